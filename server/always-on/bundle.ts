import { readFile } from 'node:fs/promises';
import { UserError } from '../user-error.ts';
import type { HostedConfig } from './hosted-handler.ts';

/**
 * Where the prebuilt hosted line is, relative to the running code: beside the bundled main
 * process (`out/main/`, also inside the installed app), or `out/main/` seen from these sources
 * (`npm run build` makes it; `npm test` and `npm run serve` build first).
 */
const ARTIFACT_CANDIDATES = ['./hosted-line.cjs', '../../out/main/hosted-line.cjs'];

let prebuilt: Promise<string> | null = null;

/**
 * The hosted line as one self-contained CommonJS source (what a Twilio Function is):
 * `exports.handler` is the call flow with `config` baked in. The code was bundled at build
 * time (`scripts/hosted-line.ts`); here only the settings are appended, so the same code and
 * config always give the same text (its hash decides whether to redeploy).
 */
export async function bundleHostedLine(config: HostedConfig): Promise<string> {
  prebuilt ??= readPrebuilt();
  const code = await prebuilt.catch((error: unknown) => {
    prebuilt = null; // a later deploy may find it (e.g. after `npm run build`)
    throw error;
  });
  return `// Shukuden always-on line: generated from the app's call flow. Changes here are overwritten on the next deploy.\n${code}\nmodule.exports.handler = module.exports.createHostedHandler(${JSON.stringify(config)});\n`;
}

async function readPrebuilt(): Promise<string> {
  for (const candidate of ARTIFACT_CANDIDATES) {
    // Built from a variable so the bundler leaves the lookup to run time.
    const text = await readFile(new URL(candidate, import.meta.url), 'utf8').catch(() => null);
    if (text !== null) return text;
  }
  throw new UserError('always-on-code-missing', {
    en: "Part of Shukuden (the always-on line's code, hosted-line.cjs) is missing, so the always-on line can't be installed. Reinstall Shukuden (from the sources: run npm run build).",
    ja: 'Shukuden の一部（常時受付の回線のプログラム hosted-line.cjs）が見つからないため、常時受付の回線を設置できません。Shukuden を再インストールしてください（ソースから使っている場合は npm run build を実行）。',
  });
}
