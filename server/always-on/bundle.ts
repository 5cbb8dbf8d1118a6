import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { HostedConfig } from './hosted-handler.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Paths in the bundle's comments are relative to the project, so the same code always bundles to the same text. */
const PROJECT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The hosted line as one self-contained CommonJS source (what a Twilio Function is):
 * `exports.handler` is the call flow with `config` baked in. Only Node built-ins stay
 * outside the bundle, so the build needs no npm packages. Deterministic: same code and
 * config, same text (its hash decides whether to redeploy).
 */
export async function bundleHostedLine(config: HostedConfig): Promise<string> {
  const result = await build({
    stdin: {
      contents: `exports.handler = require('./hosted-handler.ts').createHostedHandler(${JSON.stringify(config)});\n`,
      resolveDir: HERE,
      sourcefile: 'shukuden-line.js',
      loader: 'js',
    },
    absWorkingDir: PROJECT,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    // Twilio's newest Functions runtime.
    target: 'node22',
    charset: 'utf8',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for the hosted line');
  return `// Shukuden always-on line: generated from the app's call flow. Changes here are overwritten on the next deploy.\n${output.text}`;
}
