import type { CallState } from './call-flow/call-state.ts';
import { defaultLineSettings, type LineSettings } from './call-flow/line-settings.ts';
import { answerCall, continueCall, type FlowContext, type FlowEvent, type FlowResult, type IncomingCall } from './call-flow/flow.ts';
import type { Log } from './log.ts';
import type { CallStore } from './store/call-store.ts';
import type { SettingsStore } from './store/settings-store.ts';
import type { StorageHealth } from './store/storage-health.ts';
import { renderTwiml } from './twiml/render.ts';

/**
 * A call with no end this long after it began is over: the longest message (600 s) plus the
 * prompts and the menu fit well inside it. Used when Twilio can't be asked.
 */
export const STALE_CALL_MS = 15 * 60_000;

/** Whether a call began so long ago that it must have ended (its end was lost in a crash). */
export function isStaleCall(call: CallState, now: Date): boolean {
  return now.getTime() - Date.parse(call.startedAt) > STALE_CALL_MS;
}

/** Call statuses after which Twilio will send nothing more for the call. */
export const FINAL_CALL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export interface CallLineOptions {
  readonly calls: CallStore;
  readonly settings: SettingsStore;
  readonly log: Log;
  readonly media: { prompt(file: string): string; take(recordingSid: string): string };
  readonly clock?: () => Date;
  /** Where a database that can't be written (full, locked, damaged) is reported. */
  readonly storage?: StorageHealth;
  /** Told when Twilio says a recording's media is ready (the downloader fetches it). */
  readonly onRecordingReady?: (recordingSid: string) => void;
}

/**
 * The phone line: loads a call's state, runs the pure call flow, stores the result,
 * and returns TwiML. Routes stay thin; the flow stays free of storage and HTTP.
 */
export class CallLine {
  readonly #o: CallLineOptions;
  /** The settings last read, for answering while the database can't be read. */
  #lastSettings: LineSettings | null = null;

  constructor(options: CallLineOptions) {
    this.#o = options;
  }

  /** The voice webhook: a new call rings. */
  answer(incoming: IncomingCall): string {
    const ctx = this.#context();
    const result = answerCall(this.#read(() => this.#o.calls.getCall(incoming.callSid), null), incoming, ctx);
    if (result.call.kind === 'decoy') this.#o.log.info('Surprise-list caller got the decoy message', { callSid: incoming.callSid });
    return this.#commit(result, ctx);
  }

  /** Any later step of a call. A call we have no record of (e.g. a lost database) is picked up, not dropped. */
  continue(incoming: IncomingCall, event: FlowEvent): string {
    const ctx = this.#context();
    const call = this.#read(() => this.#o.calls.getCall(incoming.callSid), null) ?? this.#adopt(incoming, ctx);
    return this.#commit(continueCall(call, event, ctx), ctx);
  }

  /** Twilio's recording-status callback. */
  recordingStatus(input: {
    readonly callSid: string;
    readonly recordingSid: string;
    readonly recordingUrl: string;
    readonly durationSeconds: number;
    readonly status: string;
  }): void {
    if (input.status === 'absent') {
      // Twilio found it silent and kept nothing: a take we knew of is settled as empty.
      const call = this.#o.calls.getCall(input.callSid);
      if (call && this.#o.calls.getTake(input.recordingSid)) this.#o.calls.save(call, [{ kind: 'set-status', recordingSid: input.recordingSid, status: 'empty' }], this.#now());
      this.#o.log.info('Recording was silent; Twilio kept nothing', { recordingSid: input.recordingSid });
      return;
    }
    if (input.status !== 'completed') {
      this.#o.log.info('Recording status', { recordingSid: input.recordingSid, status: input.status });
      return;
    }
    // Not stored (the database refused): the recording stays at Twilio and the reconciler adopts it.
    if (!this.#write(() => this.#o.calls.recordingReady(input, this.#now()))) return;
    this.#o.onRecordingReady?.(input.recordingSid);
  }

  /** Twilio's call-status callback: a call that ended mid-review keeps its take as unconfirmed. */
  callStatus(incoming: IncomingCall, status: string): void {
    if (!FINAL_CALL_STATUSES.has(status)) return;
    const call = this.#read(() => this.#o.calls.getCall(incoming.callSid), null);
    if (!call) return;
    const ctx = this.#context();
    const result = continueCall(call, { kind: 'call-ended' }, ctx);
    this.#write(() => this.#o.calls.save(result.call, result.takes, ctx.now));
  }

  /**
   * After a crash, the truth: calls `isOver` says have ended are ended (their pending takes become
   * unconfirmed, as when a guest hangs up mid-review), and any other take left pending on an ended
   * call too. Returns how many calls were ended.
   */
  async settleOpenCalls(isOver: (call: CallState) => Promise<boolean>): Promise<number> {
    let ended = 0;
    for (const call of this.#o.calls.openCalls()) {
      if (!(await isOver(call))) continue;
      // A webhook may have ended it while we were asking.
      const current = this.#o.calls.getCall(call.callSid);
      if (!current || current.endedAt !== null) continue;
      const ctx = this.#context();
      const result = continueCall(current, { kind: 'call-ended' }, ctx);
      this.#o.calls.save(result.call, result.takes, ctx.now);
      ended++;
    }
    this.#o.calls.settleOrphanedTakes(this.#now());
    if (ended > 0) this.#o.log.info('Ended calls left open by an earlier stop', { count: ended });
    return ended;
  }

  #adopt(incoming: IncomingCall, ctx: FlowContext): CallState {
    this.#o.log.warn('Continuing a call this app has no record of', { callSid: incoming.callSid });
    // Answering creates the state; its TwiML is discarded because the call is already past the welcome.
    const adopted = answerCall(null, incoming, ctx).call;
    return { ...adopted, step: 'recording' };
  }

  /** Stores the step and answers; a guest still hears the line when the database refuses the write. */
  #commit(result: FlowResult, ctx: FlowContext): string {
    this.#write(() => this.#o.calls.save(result.call, result.takes, ctx.now));
    return renderTwiml(result.verbs);
  }

  /** A read that may fail (a damaged or locked database): the call goes on from `fallback`. */
  #read<T>(read: () => T, fallback: T): T {
    try {
      return read();
    } catch (error) {
      this.#storageFailed(error);
      return fallback;
    }
  }

  /** A write that may fail (disk full, locked, damaged): reported, never thrown at Twilio. */
  #write(write: () => void): boolean {
    try {
      write();
      this.#o.storage?.ok('database');
      return true;
    } catch (error) {
      this.#storageFailed(error);
      return false;
    }
  }

  #storageFailed(error: unknown): void {
    // Not a storage problem (a bug): let the error handler answer 500 so Twilio uses the fallback URL.
    if (!this.#o.storage?.report('database', error)) throw error;
  }

  #settings(): LineSettings {
    this.#lastSettings = this.#read(() => this.#o.settings.line(), this.#lastSettings ?? defaultLineSettings());
    return this.#lastSettings;
  }

  #context(): FlowContext {
    return {
      settings: this.#settings(),
      now: this.#now(),
      promptUrl: (file) => this.#o.media.prompt(file),
      takeUrl: (sid) => this.#o.media.take(sid),
    };
  }

  #now(): string {
    return (this.#o.clock?.() ?? new Date()).toISOString();
  }
}
