/**
 * The audio worker's entry (a worker_threads worker): health checks, peaks and loudness run here,
 * so a burst of arriving messages never delays a webhook on the main thread.
 * In the desktop build it is its own bundle entry, `out/main/audio-worker.js` (electron.vite.config.ts).
 */
import { parentPort } from 'node:worker_threads';
import { runAudioTask, type AudioTask } from './audio-tasks.ts';

parentPort?.on('message', (message: { readonly id: number; readonly task: AudioTask }) => {
  runAudioTask(message.task).then(
    (result) => parentPort?.postMessage({ id: message.id, ok: true, result }),
    (error: unknown) => parentPort?.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
