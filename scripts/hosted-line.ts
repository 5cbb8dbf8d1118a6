/**
 * Build step: the always-on line (`server/always-on/hosted-handler.ts` and the call flow it
 * runs) as one self-contained CommonJS file, written next to the main process as
 * `out/main/hosted-line.cjs`. The app reads that file at deploy time and appends the
 * organiser's settings (`server/always-on/bundle.ts`), so nothing is compiled or bundled on
 * the organiser's machine.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'vite';
import { HOSTED_RUNTIME } from '../server/always-on/hosted-package.ts';

/** The artifact's name, beside the main process's entry files. */
export const HOSTED_LINE_FILE = 'hosted-line.cjs';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The hosted line's code: `module.exports.createHostedHandler` and nothing else from outside
 * but Node built-ins. Deterministic (paths in comments are relative to the project), so the
 * same sources always give the same text and the same deploy hash.
 */
export async function buildHostedLine(): Promise<string> {
  const result = await build({
    entryPoints: ['server/always-on/hosted-handler.ts'],
    absWorkingDir: PROJECT,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    // The Node of Twilio's Functions runtime the service is built with.
    target: HOSTED_RUNTIME,
    charset: 'utf8',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for the hosted line');
  return output.text;
}

/** Emits the hosted line into the main process's build output (electron-vite's main build). */
export function hostedLinePlugin(): Plugin {
  return {
    name: 'shukuden-hosted-line',
    apply: 'build',
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: HOSTED_LINE_FILE, source: await buildHostedLine() });
    },
  };
}
