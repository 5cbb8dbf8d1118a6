import type { CallStatus, EmulatedAccount, EmulatedCall, EmulatedNumber, EmulatedRecording, NumberInput, ResolvedAccount } from './records.ts';
import { newSid } from '../../../server/twilio/sids.ts';
import { MessageBook } from './messages.ts';

const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * The emulator's state: accounts, numbers, calls and recordings. Records are immutable
 * snapshots; a change replaces the record, so what a test holds never moves under it.
 */
export class EmulatorStore {
  readonly #accounts: ReadonlyMap<string, ResolvedAccount>;
  readonly #numbers = new Map<string, EmulatedNumber>();
  readonly #calls = new Map<string, EmulatedCall>();
  readonly #recordings = new Map<string, EmulatedRecording>();
  /** Outbound SMS, opt-outs and unreachable handsets. */
  readonly messages = new MessageBook();

  constructor(accounts: readonly EmulatedAccount[]) {
    const createdAt = new Date();
    this.#accounts = new Map(
      accounts.map((a): [string, ResolvedAccount] => [
        a.sid,
        {
          sid: a.sid,
          authToken: a.authToken,
          status: a.status ?? 'active',
          type: a.type ?? 'Full',
          friendlyName: a.friendlyName ?? a.sid,
          balance: a.balance ?? '25.00',
          currency: a.currency ?? 'USD',
          apiKeys: a.apiKeys ?? [],
          verifiedCallerIds: a.verifiedCallerIds ?? [],
          createdAt,
        },
      ]),
    );
  }

  account(sid: string): ResolvedAccount | undefined {
    return this.#accounts.get(sid);
  }

  get accounts(): Iterable<ResolvedAccount> {
    return this.#accounts.values();
  }

  addNumber(input: NumberInput): EmulatedNumber {
    if (!this.#accounts.has(input.accountSid)) throw new Error(`addNumber: unknown account ${input.accountSid}`);
    if (!E164.test(input.phoneNumber)) throw new Error(`addNumber: ${input.phoneNumber} is not an E.164 number`);
    if (this.numberByPhone(input.phoneNumber)) throw new Error(`addNumber: ${input.phoneNumber} already exists`);
    const now = new Date();
    const number: EmulatedNumber = {
      sid: newSid('PN'),
      accountSid: input.accountSid,
      phoneNumber: input.phoneNumber,
      friendlyName: input.friendlyName ?? input.phoneNumber,
      voiceCapable: input.voiceCapable ?? true,
      smsCapable: input.smsCapable ?? false,
      voiceUrl: input.voiceUrl ?? '',
      voiceMethod: input.voiceMethod ?? 'POST',
      voiceFallbackUrl: input.voiceFallbackUrl ?? '',
      voiceFallbackMethod: 'POST',
      statusCallback: input.statusCallback ?? '',
      statusCallbackMethod: 'POST',
      voiceApplicationSid: input.voiceApplicationSid ?? '',
      voiceCallerIdLookup: false,
      createdAt: now,
      updatedAt: now,
    };
    this.#numbers.set(number.sid, number);
    return number;
  }

  number(sid: string): EmulatedNumber | undefined {
    return this.#numbers.get(sid);
  }

  numberByPhone(phoneNumber: string): EmulatedNumber | undefined {
    return [...this.#numbers.values()].find((n) => n.phoneNumber === phoneNumber);
  }

  /** An account's numbers in the order they were added. */
  numbersOf(accountSid: string): readonly EmulatedNumber[] {
    return [...this.#numbers.values()].filter((n) => n.accountSid === accountSid);
  }

  updateNumber(sid: string, changes: Partial<EmulatedNumber>): EmulatedNumber {
    const old = this.#numbers.get(sid);
    if (!old) throw new Error(`updateNumber: unknown number ${sid}`);
    const updated = { ...old, ...changes, sid, updatedAt: new Date() };
    this.#numbers.set(sid, updated);
    return updated;
  }

  startCall(number: EmulatedNumber, from: string): EmulatedCall {
    const now = new Date();
    const call: EmulatedCall = {
      sid: newSid('CA'),
      accountSid: number.accountSid,
      phoneNumberSid: number.sid,
      from,
      to: number.phoneNumber,
      status: 'in-progress',
      direction: 'inbound',
      startTime: now,
      endTime: null,
      durationSeconds: null,
      updatedAt: now,
    };
    this.#calls.set(call.sid, call);
    return call;
  }

  endCall(sid: string, status: Exclude<CallStatus, 'in-progress'>): void {
    const call = this.#calls.get(sid);
    if (!call) return;
    const end = new Date();
    const durationSeconds = Math.round((end.getTime() - call.startTime.getTime()) / 1000);
    this.#calls.set(sid, { ...call, status, endTime: end, durationSeconds, updatedAt: end });
  }

  call(sid: string): EmulatedCall | undefined {
    return this.#calls.get(sid);
  }

  get calls(): readonly EmulatedCall[] {
    return [...this.#calls.values()];
  }

  addRecording(recording: EmulatedRecording): void {
    this.#recordings.set(recording.sid, recording);
  }

  recording(sid: string): EmulatedRecording | undefined {
    return this.#recordings.get(sid);
  }

  deleteRecording(sid: string): void {
    const recording = this.#recordings.get(sid);
    if (recording) this.#recordings.set(sid, { ...recording, deleted: true });
  }

  /** Every recording, deleted ones included, in the order they were added. */
  get recordings(): readonly EmulatedRecording[] {
    return [...this.#recordings.values()];
  }

  /**
   * An account's recordings newest first, like Twilio lists them. Deleted ones stay in
   * (callers hide them) so a page token naming a since-deleted recording still has a place.
   */
  recordingsOf(accountSid: string): readonly EmulatedRecording[] {
    // Reversed first so that, for equal creation times, the later-added one comes first (sort is stable).
    return [...this.#recordings.values()]
      .filter((r) => r.accountSid === accountSid)
      .reverse()
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }
}
