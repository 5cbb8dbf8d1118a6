/**
 * Which `@twilio/runtime-handler` versions and Node runtimes Twilio's Serverless API accepts for
 * a build, as of the date below. Twilio changes these over time; docs/real-services.md
 * "Functions: handler versions and runtimes" says how to refresh them.
 */
export const CHECKED_ON = '2026-11-30';

/** Handler versions Twilio's handler page lists. https://www.twilio.com/docs/serverless/functions-assets/handler */
export const HANDLER_VERSIONS: readonly string[] = ['2.1.2', '2.0.1', '2.0.0', '1.3.1', '1.3.0', '1.2.5', '1.2.4', '1.2.3', '1.2.2', '1.2.1'];
export const HANDLER_SOURCE = 'https://www.twilio.com/docs/serverless/functions-assets/handler';

/**
 * Runtimes a new build may use: node20/node22 since Node 18's end on 2025-11-10
 * (https://www.twilio.com/docs/runtime/twilio-functions-nodejs-v10-upgrade, the Node.js v22
 * upgrade guide), node24 since 2026-07-08
 * (https://www.twilio.com/en-us/changelog/node-js-v24-is-now-available-for-twilio-functions).
 */
export const ACCEPTED_RUNTIMES: readonly string[] = ['node20', 'node22', 'node24'];

/** Twilio's refusal of a build (the toolkit shows it as "Failed API Request 20001"). */
export interface BuildRefusal {
  readonly status: 400;
  readonly code: 20001;
  readonly message: string;
}

/** Why Twilio would refuse a build with these dependencies on this runtime, or null. */
export function refuseBuild(dependencies: readonly { readonly name: string; readonly version: string }[], runtime: string): BuildRefusal | null {
  if (!ACCEPTED_RUNTIMES.includes(runtime)) {
    // The wording of this refusal is not documented; the fact is (Node 18 builds fail since 2025-11-10).
    return { status: 400, code: 20001, message: `Runtime ${runtime} is no longer supported for new builds. Use one of ${ACCEPTED_RUNTIMES.join(', ')}.` };
  }
  const handler = dependencies.find((d) => d.name === '@twilio/runtime-handler');
  if (!handler) return null;
  // On node24, Twilio upgrades 1.2.0–2.1.2 to 2.1.2 itself; older handlers fail (changelog 2026-07-08).
  const upgraded = runtime === 'node24' && compare(handler.version, '1.2.0') >= 0 && compare(handler.version, '2.1.2') <= 0;
  if (HANDLER_VERSIONS.includes(handler.version) || upgraded) return null;
  // Text as reported in twilio-labs/serverless-toolkit#557 and #564.
  return {
    status: 400,
    code: 20001,
    message: `Some dependencies could not be validated. No matching version found for @twilio/runtime-handler@${handler.version}. You can find the valid versions at ${HANDLER_SOURCE}`,
  };
}

function compare(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0 || Number.isNaN(d)) return Number.isNaN(d) ? -1 : d;
  }
  return 0;
}
