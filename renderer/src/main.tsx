import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { OrganiserWindow } from './organiser-window.tsx';
import './styles.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><OrganiserWindow /></StrictMode>);
