/**
 * Preload: the only bridge between the sandboxed renderer and the main process.
 * It exposes a small, typed, read-only surface; the organiser API arrives with the desktop-app issue.
 */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('shukuden', Object.freeze({ transport: 'ipc' as const }));
