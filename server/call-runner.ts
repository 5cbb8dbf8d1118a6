import type { CallState, NameRecording } from './call-flow/call-state.ts';
import { defaultFlowSettings, type FlowSettings } from './call-flow/flow-settings.ts';
import { adoptCall, answerCall, continueCall, type FlowContext, type FlowEvent, type FlowResult, type IncomingCall } from './call-flow/flow.ts';
import { orphanedTakeWrites } from './call-flow/settle-calls.ts';
import { nameClipReady, recordingAbsent, recordingReady, takeWrites, type ReadyRecording, type TakeWrite } from './call-flow/take-writes.ts';
import type { Log } from './log.ts';
import type { CallStore } from './store/call-store.ts';
import type { SettingsStore } from './store/settings-store.ts';
import type { StorageHealth } from './store/storage-health.ts';
import { renderTwiml } from './twiml/render.ts';

export interface CallRunnerOptions {
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
export class CallRunner {
  readonly #o: CallRunnerOptions;
  /** The settings last read, for answering while the database can't be read. */
  #lastSettings: FlowSettings | null = null;
  /** Each call's steps in progress, by CallSid: the last one's end, and how many there are (see `#inTurn`). */
  readonly #turns = new Map<string, { last: Promise<unknown> | null; waiting: number }>();

  constructor(options: CallRunnerOptions) {
    this.#o = options;
  }

  /** The voice webhook: a new call rings. */
  answer(incoming: IncomingCall): Promise<string> {
    return this.#inTurn(incoming.callSid, () => {
      const ctx = this.#context();
      const result = answerCall(this.#read(() => this.#o.calls.getCall(incoming.callSid), null), incoming, ctx);
      if (result.call.kind === 'decoy') this.#o.log.info('Surprise-list caller got the decoy message', { callSid: incoming.callSid });
      return this.#commit(result, ctx);
    });
  }

  /** Any later step of a call. A call we have no record of (e.g. a lost database) is picked up, not dropped. */
  continue(incoming: IncomingCall, event: FlowEvent): Promise<string> {
    return this.#inTurn(incoming.callSid, () => {
      const ctx = this.#context();
      const call = this.#read(() => this.#o.calls.getCall(incoming.callSid), null) ?? this.#adopt(incoming, ctx);
      return this.#commit(continueCall(call, event, ctx), ctx);
    });
  }

  /** Twilio's recording-status callback (only `completed` means the media is ready). */
  recordingStatus(recording: ReadyRecording, status: string): Promise<void> {
    const { calls } = this.#o;
    if (status === 'absent') {
      return this.#inTurn(recording.callSid, async () => {
        await this.#write(() => ({ call: null, writes: recordingAbsent(calls.getCall(recording.callSid), calls.stepTake(recording.recordingSid), this.#now()) }));
        this.#o.log.info('Recording was silent; Twilio kept nothing', { recordingSid: recording.recordingSid });
      });
    }
    if (status !== 'completed') {
      this.#o.log.info('Recording status', { recordingSid: recording.recordingSid, status });
      return Promise.resolve();
    }
    return this.#inTurn(recording.callSid, async () => {
      // Not stored (the database refused): the recording stays at Twilio and the reconciler adopts it.
      if (!(await this.#write(() => ({ call: null, writes: recordingReady(calls.getCall(recording.callSid), calls.stepTake(recording.recordingSid), recording, this.#now()) })))) return;
      this.#o.onRecordingReady?.(recording.recordingSid);
    });
  }

  /**
   * The name clip's own recording-status callback (never the takes' one, so a name is never taken for a
   * message): once its media is ready it is stored with the kept take `takeSid` and brought home.
   */
  nameRecordingStatus(callSid: string, takeSid: string, clip: NameRecording, status: string): Promise<void> {
    if (status !== 'completed') {
      this.#o.log.info('Name clip status', { recordingSid: clip.recordingSid, status });
      return Promise.resolve();
    }
    const { calls } = this.#o;
    return this.#inTurn(callSid, async () => {
      // Not stored (the database refused): the clip stays at Twilio and the reconciler finds it for its take.
      if (!(await this.#write(() => ({ call: null, writes: nameClipReady(callSid, calls.stepTake(takeSid), clip) })))) return;
      this.#o.onRecordingReady?.(clip.recordingSid);
    });
  }

  /** Twilio's call-status callback, for a call that is over: a take still in review is kept as unconfirmed. */
  callEnded(incoming: IncomingCall): Promise<void> {
    return this.#inTurn(incoming.callSid, async () => {
      const call = this.#read(() => this.#o.calls.getCall(incoming.callSid), null);
      if (!call) return;
      const ctx = this.#context();
      await this.#commit(continueCall(call, { kind: 'call-ended' }, ctx), ctx);
    });
  }

  /**
   * After a crash, the truth: calls `isOver` says have ended are ended (their pending takes become
   * unconfirmed, as when a guest hangs up mid-review), and any other take left pending on an ended
   * call too. Returns how many calls were ended.
   */
  async settleOpenCalls(isOver: (call: CallState) => Promise<boolean>): Promise<number> {
    const { calls } = this.#o;
    let ended = 0;
    for (const call of calls.openCalls()) {
      if (!(await isOver(call))) continue;
      // In the call's turn: a webhook may have ended it while we were asking, or be storing a step.
      const settled = await this.#inTurn(call.callSid, async () => {
        const current = calls.getCall(call.callSid);
        if (!current || current.endedAt !== null) return false;
        const ctx = this.#context();
        const result = continueCall(current, { kind: 'call-ended' }, ctx);
        calls.save(result.call, takeWrites(result.takes, calls.stepTakes(current.callSid), ctx.now));
        return true;
      });
      if (settled) ended++;
    }
    calls.save(null, orphanedTakeWrites(new Set(calls.openCalls().map((call) => call.callSid)), calls.listTakes(), this.#now()));
    if (ended > 0) this.#o.log.info('Ended calls left open by an earlier stop', { count: ended });
    return ended;
  }

  /**
   * Runs `step` after the call's earlier webhooks have been stored: Twilio may send a recording's
   * status while the guest's next step is still being stored, and each step reads what the one
   * before it wrote. Different calls run side by side.
   */
  #inTurn<T>(callSid: string, step: () => Promise<T>): Promise<T> {
    let turns = this.#turns.get(callSid);
    if (!turns) this.#turns.set(callSid, (turns = { last: null, waiting: 0 }));
    const call = turns;
    const run = async (): Promise<T> => {
      try {
        return await step();
      } finally {
        // Before the caller resumes: its next step of this call then starts at once.
        if (--call.waiting === 0) this.#turns.delete(callSid);
      }
    };
    // Nothing in progress for this call: start now (the step reads and hands its write over in this
    // turn). Otherwise after the last one, however it ended (its own caller handles a failure).
    const turn = ++call.waiting === 1 || !call.last ? run() : call.last.then(run, run);
    call.last = turn;
    return turn;
  }

  #adopt(incoming: IncomingCall, ctx: FlowContext): CallState {
    this.#o.log.warn('Continuing a call this app has no record of', { callSid: incoming.callSid });
    return adoptCall(incoming, ctx);
  }

  /** Stores the step and answers; a guest still hears the line when the database refuses the write. */
  async #commit(result: FlowResult, ctx: FlowContext): Promise<string> {
    const { calls } = this.#o;
    // Most steps change no take: then there is nothing to resolve against (one read fewer per webhook).
    await this.#write(() => ({ call: result.call, writes: takeWrites(result.takes, result.takes.length === 0 ? [] : calls.stepTakes(result.call.callSid), ctx.now) }));
    return renderTwiml(result.verbs);
  }

  /**
   * Stores a step (relaxed: a power cut may undo it, and Twilio holds what rebuilds it, `Durability`).
   * `decide` reads what is stored and says what to change. Should another writer have stored the
   * same recording meanwhile (the reconciler found it at Twilio), it runs once more against that.
   * A write that fails (disk full, locked, damaged) is reported, never thrown at Twilio.
   */
  async #write(decide: () => { readonly call: CallState | null; readonly writes: readonly TakeWrite[] }): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        const step = decide();
        await this.#o.calls.saveStep(step.call, step.writes);
        this.#o.storage?.ok('database');
        return true;
      } catch (error) {
        if (attempt === 1 && isAlreadyStored(error)) {
          // Stored by another writer meanwhile: read the takes again, then decide against them.
          this.#o.calls.forgetStepTakes();
          continue;
        }
        this.#storageFailed(error);
        return false;
      }
    }
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

  #storageFailed(error: unknown): void {
    // Not a storage problem (a bug): let the error handler answer 500 so Twilio uses the fallback URL.
    if (!this.#o.storage?.report('database', error)) throw error;
  }

  #settings(): FlowSettings {
    this.#lastSettings = this.#read(() => this.#o.settings.flow(), this.#lastSettings ?? defaultFlowSettings());
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

/** SQLite's "UNIQUE constraint failed" on a primary key (SQLITE_CONSTRAINT_PRIMARYKEY, 1555). */
function isAlreadyStored(error: unknown): boolean {
  return (error as { errcode?: unknown } | null)?.errcode === 1555;
}
