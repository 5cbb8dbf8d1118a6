import type { CallState } from './call-flow/call-state.ts';
import { answerCall, continueCall, type FlowContext, type FlowEvent, type FlowResult, type IncomingCall } from './call-flow/flow.ts';
import type { Log } from './log.ts';
import type { CallStore } from './store/call-store.ts';
import type { SettingsStore } from './store/settings-store.ts';
import { renderTwiml } from './twiml/render.ts';

/** Call statuses after which Twilio will send nothing more for the call. */
const FINAL_CALL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export interface CallLineOptions {
  readonly calls: CallStore;
  readonly settings: SettingsStore;
  readonly log: Log;
  readonly media: { prompt(file: string): string; take(recordingSid: string): string };
  readonly clock?: () => Date;
  /** Told when Twilio says a recording's media is ready (the downloader fetches it). */
  readonly onRecordingReady?: (recordingSid: string) => void;
}

/**
 * The phone line: loads a call's state, runs the pure call flow, stores the result,
 * and returns TwiML. Routes stay thin; the flow stays free of storage and HTTP.
 */
export class CallLine {
  readonly #o: CallLineOptions;

  constructor(options: CallLineOptions) {
    this.#o = options;
  }

  /** The voice webhook: a new call rings. */
  answer(incoming: IncomingCall): string {
    const ctx = this.#context();
    const result = answerCall(this.#o.calls.getCall(incoming.callSid), incoming, ctx);
    if (result.call.kind === 'decoy') this.#o.log.info('Surprise-list caller got the decoy message', { callSid: incoming.callSid });
    return this.#commit(result, ctx);
  }

  /** Any later step of a call. A call we have no record of (e.g. a lost database) is picked up, not dropped. */
  continue(incoming: IncomingCall, event: FlowEvent): string {
    const ctx = this.#context();
    const call = this.#o.calls.getCall(incoming.callSid) ?? this.#adopt(incoming, ctx);
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
    this.#o.calls.recordingReady(input, this.#now());
    this.#o.onRecordingReady?.(input.recordingSid);
  }

  /** Twilio's call-status callback: a call that ended mid-review keeps its take as unconfirmed. */
  callStatus(incoming: IncomingCall, status: string): void {
    if (!FINAL_CALL_STATUSES.has(status)) return;
    const call = this.#o.calls.getCall(incoming.callSid);
    if (!call) return;
    const ctx = this.#context();
    const result = continueCall(call, { kind: 'call-ended' }, ctx);
    this.#o.calls.save(result.call, result.takes, ctx.now);
  }

  #adopt(incoming: IncomingCall, ctx: FlowContext): CallState {
    this.#o.log.warn('Continuing a call this app has no record of', { callSid: incoming.callSid });
    // Answering creates the state; its TwiML is discarded because the call is already past the welcome.
    const adopted = answerCall(null, incoming, ctx).call;
    return { ...adopted, step: 'recording' };
  }

  #commit(result: FlowResult, ctx: FlowContext): string {
    this.#o.calls.save(result.call, result.takes, ctx.now);
    return renderTwiml(result.verbs);
  }

  #context(): FlowContext {
    return {
      settings: this.#o.settings.line(),
      now: this.#now(),
      promptUrl: (file) => this.#o.media.prompt(file),
      takeUrl: (sid) => this.#o.media.take(sid),
    };
  }

  #now(): string {
    return (this.#o.clock?.() ?? new Date()).toISOString();
  }
}
