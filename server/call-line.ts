import type { CallState } from './call-flow/call-state.ts';
import { adoptCall, answerCall, continueCall, type FlowContext, type FlowEvent, type FlowResult, type IncomingCall } from './call-flow/flow.ts';
import { recordingAbsent, recordingReady, takeWrites, type ReadyRecording } from './call-flow/take-writes.ts';
import type { Log } from './log.ts';
import type { CallStore } from './store/call-store.ts';
import type { SettingsStore } from './store/settings-store.ts';
import { renderTwiml } from './twiml/render.ts';

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

  /** Twilio's recording-status callback (only `completed` means the media is ready). */
  recordingStatus(recording: ReadyRecording, status: string): void {
    const { calls } = this.#o;
    if (status === 'absent') {
      calls.save(null, recordingAbsent(calls.getCall(recording.callSid), calls.getTake(recording.recordingSid), this.#now()));
      this.#o.log.info('Recording was silent; Twilio kept nothing', { recordingSid: recording.recordingSid });
      return;
    }
    if (status !== 'completed') {
      this.#o.log.info('Recording status', { recordingSid: recording.recordingSid, status });
      return;
    }
    calls.save(null, recordingReady(calls.getCall(recording.callSid), calls.getTake(recording.recordingSid), recording, this.#now()));
    this.#o.onRecordingReady?.(recording.recordingSid);
  }

  /** Twilio's call-status callback, for a call that is over: a take still in review is kept as unconfirmed. */
  callEnded(incoming: IncomingCall): void {
    const call = this.#o.calls.getCall(incoming.callSid);
    if (!call) return;
    const ctx = this.#context();
    this.#commit(continueCall(call, { kind: 'call-ended' }, ctx), ctx);
  }

  #adopt(incoming: IncomingCall, ctx: FlowContext): CallState {
    this.#o.log.warn('Continuing a call this app has no record of', { callSid: incoming.callSid });
    return adoptCall(incoming, ctx);
  }

  /** Persists a step: the take changes are resolved against the call's stored takes (still one synchronous turn). */
  #commit(result: FlowResult, ctx: FlowContext): string {
    const { calls } = this.#o;
    calls.save(result.call, takeWrites(result.takes, calls.listTakes(result.call.callSid), ctx.now));
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
