import type { OrganiserState, Language, LiveCall, MessageRow } from '../api/contract.ts';
import type { Core } from '../core.ts';
import type { ConnectionStatus } from '../connection/connection-status.ts';
import { describeAnsweringMode } from '../always-on/answering-mode.ts';
import { PRIVACY } from '../twilio/twilio-account.ts';
import { guestLinkView } from '../guest-link/guest-link-view.ts';
import { GUEST_ACCOUNT } from '../guest-link/guest-takes.ts';
import { secondsBeforeRecording } from '../call-flow/welcome-length.ts';
import { promptFileSeconds } from '../audio/prompt-length.ts';
import { guestProgress } from '../guests/guest-progress.ts';
import { INVITATION_DEADLINE } from './guest-controller.ts';

/** Calls older than this without an end are not shown as live (their status callback was lost). */
const LIVE_WINDOW_MS = 2 * 60 * 60 * 1000;
/** A guest-link visit that never sent anything (the page was closed) stops showing as live after this. */
const GUEST_VISIT_WINDOW_MS = 15 * 60 * 1000;

/** What the snapshot is read from. */
export type StateSources = Pick<Core, 'calls' | 'settings' | 'dataDir' | 'storage' | 'alwaysOn' | 'guestLink' | 'promptDir' | 'guests' | 'libraryStore'>;

/** Builds the snapshot the organiser UI renders. Pure reads; never includes a secret. */
export function buildOrganiserState(input: {
  readonly core: StateSources;
  readonly revision: number;
  readonly language: Language;
  readonly setup: OrganiserState['setup'];
  readonly connection: ConnectionStatus;
  readonly twilio: OrganiserState['twilio'];
  readonly tunnel: OrganiserState['tunnel'];
  readonly exportView: OrganiserState['export'];
  readonly now?: Date;
}): OrganiserState {
  const { core } = input;
  const now = input.now ?? new Date();
  const calls = core.calls.listCalls();
  const live = calls.filter((c) => c.kind === 'guest' && c.endedAt === null && now.getTime() - Date.parse(c.startedAt) < (c.accountSid === GUEST_ACCOUNT ? GUEST_VISIT_WINDOW_MS : LIVE_WINDOW_MS));
  // Twilio says nothing when the welcome ends and the beep sounds: the UI switches to "recording" at this estimate.
  const welcomeMs = live.some((c) => c.step === 'welcome')
    ? secondsBeforeRecording(core.settings.flow(), (file) => promptFileSeconds(core.promptDir, file)) * 1000
    : 0;
  const names = core.libraryStore.callerNames(live.map((c) => c.from));
  const liveCalls: LiveCall[] = live.map((c) => ({
    callSid: c.callSid,
    caller: c.from,
    callerName: names.get(c.from) ?? null,
    step: c.step,
    startedAt: c.startedAt,
    recordingFrom: c.step === 'welcome' ? new Date(Date.parse(c.startedAt) + Math.round(welcomeMs)).toISOString() : null,
  }));
  // Read as the library reads them: Home names a message as the library does.
  const library = core.libraryStore.list();
  const messages: MessageRow[] = library
    .map((entry) => ({
      recordingSid: entry.recordingSid,
      callSid: entry.callSid,
      caller: entry.callerNumber,
      callerName: entry.callerName,
      createdAt: entry.createdAt,
      durationSeconds: entry.durationSeconds,
      status: entry.status,
      downloaded: entry.downloaded,
      downloadError: entry.downloadError,
      source: entry.source,
    }))
    .reverse();
  const today = now.toDateString();
  return {
    revision: input.revision,
    language: input.language,
    setup: input.setup,
    connection: input.connection,
    twilio: input.twilio,
    tunnel: input.tunnel,
    liveCalls,
    messages,
    counts: {
      // Guest-link page visits are not phone calls.
      callsToday: calls.filter((c) => c.kind === 'guest' && c.accountSid !== GUEST_ACCOUNT && new Date(c.startedAt).toDateString() === today).length,
      messagesKept: messages.filter((m) => m.status === 'kept').length,
    },
    settings: core.settings.flow(),
    privacy: core.settings.get(PRIVACY),
    problems: core.settings.problems(),
    dataDir: core.dataDir,
    storage: core.storage.list().map((problem) => ({ code: problem.code, ...problem.text })),
    export: input.exportView,
    alwaysOn: alwaysOnView(core, input.connection.ready),
    guestLink: guestLinkView(core.guestLink, input.connection, input.tunnel.kind),
    guests: guestProgress(core.guests.list(), library),
    invitation: { deadline: core.settings.get(INVITATION_DEADLINE) },
  };
}

function alwaysOnView(core: StateSources, laptopReady: boolean): OrganiserState['alwaysOn'] {
  const status = core.alwaysOn.status();
  return {
    enabled: core.alwaysOn.enabled(),
    state: status.kind,
    problem: status.kind === 'failed' ? status.problem : null,
    modeNow: core.alwaysOn.describeMode(laptopReady),
    modeAfterQuit: describeAnsweringMode(core.alwaysOn.modeAfterQuit()),
  };
}
