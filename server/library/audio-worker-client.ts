import { Worker } from 'node:worker_threads';
import type { AudioResults, AudioTask } from './audio-tasks.ts';

/**
 * Where the audio worker's entry is. Run from source (tests, `npm run serve`) it is the `.ts` next
 * to this file; a bundle passes its own (the desktop build: `out/main/audio-worker.js`, see electron/main.ts).
 */
export function defaultAudioWorkerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './audio-worker.ts' : './audio-worker.js', import.meta.url);
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type Reply = { readonly id: number; readonly ok: true; readonly result: unknown } | { readonly id: number; readonly ok: false; readonly error: string };

/**
 * One worker thread for the library's audio work (started on first use). A crashed worker fails
 * its pending tasks and is started again for the next one. It keeps the process alive only while
 * it has work.
 */
export class AudioWorker {
  readonly #url: URL;
  #worker: Worker | null = null;
  #next = 1;
  readonly #pending = new Map<number, Pending>();
  #closed = false;

  constructor(url: URL = defaultAudioWorkerUrl()) {
    this.#url = url;
  }

  run<K extends AudioTask['kind']>(task: Extract<AudioTask, { readonly kind: K }>): Promise<AudioResults[K]> {
    if (this.#closed) return Promise.reject(new Error('the audio worker was closed'));
    const worker = this.#started();
    const id = this.#next++;
    const result = new Promise<AudioResults[K]>((resolve, reject) => this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject }));
    worker.ref();
    worker.postMessage({ id, task });
    return result;
  }

  /** Stops the worker; tasks still running fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = null;
    this.#failAll(new Error('the audio worker was closed'));
    await worker?.terminate();
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.#url);
    worker.on('message', (reply: Reply) => {
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(new Error(reply.error));
      if (this.#pending.size === 0) worker.unref();
    });
    const lost = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = null;
      this.#failAll(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the audio worker stopped (exit code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  #failAll(error: Error): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }
}
