import { toE164 } from '../call-flow/phone-number.ts';
import type { CallRunner } from '../call-runner.ts';
import type { CallState } from '../call-flow/call-state.ts';
import { isStaleCall } from '../call-flow/settle-calls.ts';
import { adoptRecording, relinkRecoveredTake } from '../call-flow/take-writes.ts';
import { isFinalCallStatus } from '../call-flow/twilio-webhook.ts';
import type { Log } from '../log.ts';
import type { CallStore } from '../store/call-store.ts';
import { recoveredCallSid } from '../store/database-recovery.ts';
import { REHEARSAL_CALLER } from '../rehearsal/rehearsal-session.ts';
import type { TwilioClient } from './client.ts';
import type { RecordingDownloader } from './recording-downloader.ts';
import { explainTwilioError } from './twilio-errors.ts';

export interface ReconcileReport {
  /** Recordings on calls to our number that no webhook had told us about. */
  readonly adopted: number;
  /** Takes and name clips queued for download (new, or not home yet). */
  readonly queued: number;
}

export interface ReconcilerOptions {
  readonly client: TwilioClient;
  readonly calls: CallStore;
  readonly downloader: RecordingDownloader;
  /** The line's number (E.164): only recordings of calls to it are ours. */
  readonly phoneNumber: string;
  /** Twilio's REST base, to turn a recording's relative URI into its media URL. */
  readonly apiBase: string;
  /** When the event began: recordings before it are not looked at. */
  readonly since: () => Date;
  readonly log: Log;
  readonly intervalMs?: number;
  /**
   * Whether the always-on line (Twilio-hosted) has been installed: a recording on a call this
   * app never answered was then taken by it, and is marked "while away".
   */
  readonly whileAway?: () => boolean;
  /** The phone line: calls left open by a crash are settled with Twilio's word on each pass. */
  readonly line?: Pick<CallRunner, 'settleOpenCalls'>;
}

/**
 * Makes sure every message arrives even if its callback never did: lists the account's
 * recordings since the event began, keeps those of calls to our number, and downloads
 * any we don't have. Runs at start and every few minutes.
 */
export class Reconciler {
  readonly #o: ReconcilerOptions;
  /** Calls already looked up (CallSid → the number called). */
  readonly #callTo = new Map<string, string>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<ReconcileReport> | null = null;

  constructor(options: ReconcilerOptions) {
    this.#o = options;
  }

  start(): void {
    void this.runOnce().catch(() => undefined);
    this.#timer = setInterval(() => void this.runOnce().catch(() => undefined), this.#o.intervalMs ?? 3 * 60_000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** One pass; concurrent callers share the pass in progress. */
  runOnce(): Promise<ReconcileReport> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #pass(): Promise<ReconcileReport> {
    const { calls, downloader, client, log } = this.#o;
    let queued = 0;
    for (const recordingSid of [...calls.takesToDownload().map((take) => take.recordingSid), ...calls.nameClipsToDownload()]) {
      downloader.enqueue(recordingSid);
      queued++;
    }
    await this.#o.line?.settleOpenCalls((call) => this.#isOver(call)).catch((error: unknown) => log.warn('Could not settle calls left open; will try again', { error: String(error) }));
    let adopted = 0;
    try {
      const recordings = await client.recordings.list({ dateCreatedAfter: this.#o.since(), pageSize: 100 });
      // Twilio lists newest first; oldest first numbers a call's takes in the order they were made.
      for (const recording of [...recordings].reverse()) {
        if (recording.status !== 'completed' || !recording.callSid) continue;
        const known = calls.getTake(recording.sid);
        const standIn = recoveredCallSid(recording.sid);
        if ((known && known.callSid !== standIn) || calls.takeByNameClip(recording.sid)) continue;
        const call = await this.#lookupCall(recording.callSid);
        if (!call || toE164(call.to, '81') !== toE164(this.#o.phoneNumber, '81')) continue;
        if (known) {
          // Brought back from the recordings folder after the database was replaced: now its caller is known again.
          // Loaded, decided and saved in one synchronous turn: no webhook can interleave.
          const relink = relinkRecoveredTake(
            { call: calls.getCall(recording.callSid), standInTakes: calls.listTakes(standIn) },
            recording.sid,
            standIn,
            { callSid: recording.callSid, accountSid: recording.accountSid, ...call },
          );
          calls.save(relink.call, relink.writes);
          continue;
        }
        const created = recording.dateCreated ?? new Date();
        const source = this.#sourceOf(recording.callSid);
        const found = {
          callSid: recording.callSid,
          accountSid: recording.accountSid,
          from: call.from,
          to: call.to,
          startedAt: call.startedAt,
          endedAt: call.endedAt,
        };
        const take = {
          recordingSid: recording.sid,
          recordingUrl: new URL(recording.uri.replace(/\.json$/, ''), this.#o.apiBase).href,
          durationSeconds: Number(recording.duration ?? 0),
          createdAt: created.toISOString(),
        };
        // Loaded, decided and saved in one synchronous turn: no webhook can interleave.
        const stored = { call: calls.getCall(recording.callSid), takes: calls.listTakes(recording.callSid) };
        const adoption = adoptRecording(stored, found, take, source);
        calls.save(adoption.call, adoption.writes);
        const isNew = adoption.writes.length > 0;
        if (isNew) {
          const nameClip = adoption.writes.some((write) => write.kind === 'name-clip');
          if (!nameClip) adopted++;
          queued++;
          downloader.enqueue(recording.sid);
          log.info(nameClip ? 'Found a name clip no webhook told us about; downloading it' : 'Found a message no webhook told us about; downloading it', { recordingSid: recording.sid, callSid: recording.callSid, source });
        }
      }
    } catch (error) {
      const explained = explainTwilioError(error, { en: 'check Twilio for missed messages', ja: '取りこぼしたメッセージを Twilio で確認' });
      log.warn('Reconciliation failed; will try again', { error: explained.text.en });
      throw explained;
    }
    return { adopted, queued };
  }

  /** Twilio's word on a call we have no end for; a call Twilio doesn't know (a rehearsal) is over once stale. */
  async #isOver(call: CallState): Promise<boolean> {
    if (call.from === REHEARSAL_CALLER) return false;
    try {
      const status = (await this.#o.client.calls(call.callSid).fetch()).status;
      return isFinalCallStatus(status);
    } catch (error) {
      if ((error as { status?: unknown }).status === 404) return isStaleCall(call, new Date());
      return false;
    }
  }

  /** A call this app never answered (or one already found as such) was taken by the always-on line, if it is installed. */
  #sourceOf(callSid: string): 'reconciled' | 'while-away' {
    const { calls } = this.#o;
    if (calls.getCall(callSid) === null) return this.#o.whileAway?.() ? 'while-away' : 'reconciled';
    return calls.listTakes(callSid).some((take) => take.source === 'while-away') ? 'while-away' : 'reconciled';
  }

  async #lookupCall(callSid: string): Promise<{ from: string; to: string; startedAt: string; endedAt: string | null } | null> {
    const cachedTo = this.#callTo.get(callSid);
    if (cachedTo !== undefined && toE164(cachedTo, '81') !== toE164(this.#o.phoneNumber, '81')) return null;
    let call;
    try {
      call = await this.#o.client.calls(callSid).fetch();
    } catch (error) {
      // A call Twilio no longer has (deleted, or of another number's log): not ours; the rest of the pass goes on.
      if ((error as { status?: unknown }).status === 404) return null;
      throw error;
    }
    this.#callTo.set(callSid, call.to);
    return {
      from: call.from,
      to: call.to,
      startedAt: (call.startTime ?? call.dateCreated ?? new Date()).toISOString(),
      endedAt: call.endTime ? call.endTime.toISOString() : null,
    };
  }
}
