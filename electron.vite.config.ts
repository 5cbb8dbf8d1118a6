import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// The main process bundles server/ (the core); node:sqlite and other built-ins stay external.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads run as CommonJS.
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      // The guest page is its own small entry (no React), served on the public side under /g/{token}.
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'renderer/index.html'), guest: resolve(import.meta.dirname, 'renderer/guest.html') },
      },
    },
  },
});
