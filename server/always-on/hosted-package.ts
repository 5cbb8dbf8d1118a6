import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FlowSettings } from '../call-flow/flow-settings.ts';
import { defaultPrompts, PROMPT_KEYS } from '../call-flow/prompts.ts';
import { UserError } from '../user-error.ts';
import { bundleHostedLine } from './bundle.ts';
import { HOSTED_FUNCTIONS, HOSTED_PROMPT_DIR, type FunctionVisibility } from './hosted-paths.ts';

/**
 * Twilio's runtime for the build (node22: the default; node18 and older are refused for new builds).
 * `@twilio/runtime-handler` must be a version Twilio's handler page lists (npm's `latest` 2.1.0
 * is refused), and `twilio` must be there: the handler builds the `Twilio` global from it.
 * docs/real-services.md "Functions: handler versions and runtimes".
 */
export const HOSTED_RUNTIME = 'node22';
export const HOSTED_DEPENDENCIES: readonly { readonly name: string; readonly version: string }[] = [
  { name: '@twilio/runtime-handler', version: '2.0.1' },
  // What Twilio's own scaffolder (create-twilio-function versions.js) pins.
  { name: 'twilio', version: '5.0.3' },
];

/** How long take playback may wait for Twilio to finish a recording: under the 10-second limit of a function. */
const TAKE_WAIT_MS = 7000;

export interface HostedFunction {
  readonly path: string;
  readonly visibility: FunctionVisibility;
  readonly content: string;
}

export interface HostedAsset {
  /** e.g. /prompts/3fa9….mp3 */
  readonly path: string;
  /** The prompt file in the data folder. */
  readonly file: string;
  readonly contentType: string;
}

/** Everything one deployment of the hosted line consists of, and its fingerprint. */
export interface HostedPackage {
  readonly functions: readonly HostedFunction[];
  readonly assets: readonly HostedAsset[];
  /**
   * Changes when the code, the settings or any prompt audio changes (prompt files are
   * named by their content, so their names stand for their bytes).
   */
  readonly hash: string;
}

/** The hosted line's name prompt: the same whatever the organiser chose (the hosted line skips the name step). */
const UNUSED_NAME_PROMPT = defaultPrompts('en').askName;

/**
 * The hosted line for the organiser's current settings: the call-flow bundle at every
 * webhook path, and each audio prompt as a public asset under /prompts/.
 */
export async function buildHostedPackage(settings: FlowSettings, promptDir: string, apiBase: string): Promise<HostedPackage> {
  // The hosted line skips the name step: its recordings come home only through the reconciler, which
  // adopts each one of a call it never answered as a take (a later one superseding the one before),
  // so a name clip there would replace the guest's message.
  // Its name prompt, never played there, is a fixed one: changing the laptop's own neither rebuilds
  // the hosted line nor uploads its audio.
  const hosted: FlowSettings = { ...settings, askName: false, prompts: { ...settings.prompts, askName: UNUSED_NAME_PROMPT } };
  const content = await bundleHostedLine({ settings: hosted, apiBase, takeWaitMs: TAKE_WAIT_MS });
  const functions = HOSTED_FUNCTIONS.map((f) => ({ ...f, content }));
  const files = [...new Set(PROMPT_KEYS.flatMap((key) => {
    const prompt = hosted.prompts[key];
    return prompt.kind === 'audio' ? [prompt.file] : [];
  }))].sort();
  const assets: HostedAsset[] = [];
  for (const name of files) {
    const file = join(promptDir, name);
    if (!(await stat(file).catch(() => null))?.isFile()) {
      throw new UserError('always-on-prompt-missing', {
        en: `The audio file for one of your prompts (${name}) is missing from Shukuden's data folder, so the always-on line can't be installed. Choose that prompt's audio again.`,
        ja: `案内音声のファイル（${name}）が Shukuden のデータフォルダに見つからないため、常時受付の回線を設置できません。その案内の音声をもう一度選んでください。`,
      });
    }
    assets.push({ path: `${HOSTED_PROMPT_DIR}/${name}`, file, contentType: name.endsWith('.mp3') ? 'audio/mpeg' : 'audio/wav' });
  }
  const fingerprint = JSON.stringify({
    functions: functions.map((f) => [f.path, f.visibility, f.content]),
    assets: assets.map((a) => a.path),
    runtime: HOSTED_RUNTIME,
    dependencies: HOSTED_DEPENDENCIES,
  });
  return { functions, assets, hash: createHash('sha256').update(fingerprint).digest('hex') };
}
