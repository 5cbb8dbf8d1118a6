import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { hostedLinePlugin } from './scripts/hosted-line.ts';
import { bundledPackagesPlugin } from './scripts/third-party-notices.ts';

// The main process bundles server/ (the core); node:sqlite and other built-ins stay external.
// The audio worker (worker_threads) is its own entry, out/main/audio-worker.js: electron/main.ts hands its URL to the core.
// out/main/serve.js is the same core headless (the production-build test runs it), and
// out/main/hosted-line.cjs the always-on line, prebuilt so nothing is bundled at run time.
// Each build lists the packages bundled into it (out/bundled-packages/), for the licence notices.
export default defineConfig({
  main: {
    plugins: [hostedLinePlugin(), bundledPackagesPlugin('main')],
    build: {
      outDir: 'out/main',
      // zod is bundled: as a package it is ~100 ES module files that Node resolves and links one by
      // one at every start (~0.1 s of the cold start, npm run bench:flow); the other packages load later.
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main.ts'),
          serve: resolve(import.meta.dirname, 'server/cli/serve.ts'),
          'audio-worker': resolve(import.meta.dirname, 'server/library/audio-worker.ts'),
        },
        // Shared code stays beside the entries, so files found relative to it (the renderer,
        // the hosted line) are at the same place from every entry.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    plugins: [bundledPackagesPlugin('preload')],
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
    plugins: [react(), bundledPackagesPlugin('renderer')],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      // The guest page is its own small entry (no React), served on the public side under /g/{token}.
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'renderer/index.html'), guest: resolve(import.meta.dirname, 'renderer/guest.html') },
      },
    },
  },
});
