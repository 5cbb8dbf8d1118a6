import type { CallState, CallStep, CallKind } from '../call-flow/call-state.ts';
import type { IncomingCall } from '../call-flow/flow.ts';

/** The query parameter carrying the call's state on the hosted line's action URLs. */
export const STATE_PARAM = 's';

// Appended, never reordered: a URL written by an earlier build still reads the same step.
const STEPS: readonly CallStep[] = ['welcome', 'recording', 'listening', 'menu', 'done', 'name'];
const KINDS: readonly CallKind[] = ['guest', 'decoy'];

/**
 * Functions keep nothing between requests, so the hosted line carries the call's state in
 * the URLs it hands Twilio: compact base64url JSON of everything but the call's identity
 * (which every webhook repeats). Twilio signs the full URL on each request and the runtime
 * checks it, so the state can't be forged or altered.
 */
export function encodeState(call: CallState): string {
  const compact = [
    KINDS.indexOf(call.kind),
    STEPS.indexOf(call.step),
    call.startedAt,
    call.endedAt,
    call.recordCount,
    call.emptyCount,
    call.currentTakeSid,
    call.menuTimeouts,
    call.invalidKeys,
  ];
  return Buffer.from(JSON.stringify(compact), 'utf8').toString('base64url');
}

/** The state `encodeState` wrote, for this call; null when absent or not ours. */
export function decodeState(token: unknown, incoming: IncomingCall): CallState | null {
  if (typeof token !== 'string' || token === '' || token.length > 2000) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 9) return null;
  const [kind, step, startedAt, endedAt, recordCount, emptyCount, currentTakeSid, menuTimeouts, invalidKeys] = value as unknown[];
  const counts = [recordCount, emptyCount, menuTimeouts, invalidKeys];
  if (!counts.every((n) => Number.isInteger(n) && (n as number) >= 0 && (n as number) < 1000)) return null;
  const k = KINDS[kind as number];
  const s = STEPS[step as number];
  if (!k || !s || typeof startedAt !== 'string') return null;
  if (endedAt !== null && typeof endedAt !== 'string') return null;
  if (currentTakeSid !== null && (typeof currentTakeSid !== 'string' || !/^RE[0-9a-fA-F]{32}$/.test(currentTakeSid))) return null;
  return {
    ...incoming,
    kind: k,
    step: s,
    startedAt,
    endedAt: endedAt as string | null,
    recordCount: recordCount as number,
    emptyCount: emptyCount as number,
    currentTakeSid: currentTakeSid as string | null,
    menuTimeouts: menuTimeouts as number,
    invalidKeys: invalidKeys as number,
  };
}

/** Adds the state to a URL the flow wrote (relative or absolute), keeping its own query. */
export function withState(url: string, call: CallState): string {
  return `${url}${url.includes('?') ? '&' : '?'}${STATE_PARAM}=${encodeState(call)}`;
}
