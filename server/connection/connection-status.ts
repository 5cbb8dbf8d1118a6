import type { Problem } from '../user-error.ts';

/** The pipeline the organiser sees: TwiML server → tunnel → number wired → verified. */
export type StageName = 'server' | 'tunnel' | 'number' | 'verified';

export const STAGES: readonly StageName[] = ['server', 'tunnel', 'number', 'verified'];

export interface StageState {
  readonly state: 'waiting' | 'working' | 'ok' | 'failed' | 'skipped';
  /** On failure: what happened and what to do. */
  readonly problem: Problem | null;
  /** A URL, a phone number: what the stage is about. */
  readonly detail: string | null;
}

export interface ConnectionStatus {
  readonly stages: Readonly<Record<StageName, StageState>>;
  readonly publicUrl: string | null;
  /** True only when every stage is ok (or skipped) and the line was verified. */
  readonly ready: boolean;
  /** After a failure that may pass (a network error): when the next try is due; null when none is planned. */
  readonly retryAt: string | null;
}

const WAITING: StageState = { state: 'waiting', problem: null, detail: null };

export function initialStatus(): ConnectionStatus {
  return { stages: { server: WAITING, tunnel: WAITING, number: WAITING, verified: WAITING }, publicUrl: null, ready: false, retryAt: null };
}

export function withStage(status: ConnectionStatus, name: StageName, stage: StageState): ConnectionStatus {
  const stages = { ...status.stages, [name]: stage };
  const ready = STAGES.every((s) => stages[s].state === 'ok' || stages[s].state === 'skipped') && stages.verified.state === 'ok';
  return { ...status, stages, ready };
}
