/** An audio worker that starts every task and never finishes it (as if analysing endless audio). */
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', () => {
  parentPort?.postMessage({ id: -1, ok: true, result: 'started' });
  for (;;) {
    // Busy for good: the thread that answers webhooks must not care.
  }
});
