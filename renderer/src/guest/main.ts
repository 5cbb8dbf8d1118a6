import './guest.css';
import { listItems, putItem, removeItem, type OutboxItem } from './outbox.ts';
import { canRecord, meterContext, openMicrophone, startRecording, type MicProblem, type Recording } from './recorder.ts';
import { gt, type GuestLanguage, type GuestStringKey } from './strings.ts';

interface Info {
  readonly language: GuestLanguage;
  readonly title: string;
  readonly welcomeText: string | null;
  readonly welcomeAudio: boolean;
  readonly maxSeconds: number;
  readonly phoneNumber: string | null;
}

interface Problem {
  readonly code: string;
  readonly en: string;
  readonly ja: string;
}

type View =
  | { readonly kind: 'loading' }
  | { readonly kind: 'load-failed' }
  | { readonly kind: 'idle' }
  | { readonly kind: 'countdown'; readonly n: number }
  | { readonly kind: 'recording'; readonly recording: Recording }
  | { readonly kind: 'review'; readonly item: OutboxItem; readonly url: string; readonly unsent: boolean }
  | { readonly kind: 'sending'; readonly retrying: boolean; readonly earlier: boolean }
  | { readonly kind: 'sent' }
  | { readonly kind: 'mic'; readonly problem: MicProblem }
  | { readonly kind: 'refused'; readonly problem: Problem }
  | { readonly kind: 'link-off' };

// ngrok's free plan puts a warning page in front of browser requests; our own requests say they are not a person browsing.
const HEADERS = { 'ngrok-skip-browser-warning': '1' };
const token = location.pathname.split('/').filter(Boolean)[1] ?? '';
const base = `/g/${token}`;
const root = document.getElementById('guest') as HTMLElement;
let info: Info | null = null;
let language: GuestLanguage = 'ja';
let view: View = { kind: 'loading' };
let session = randomId();
let name = '';
let timer: number | undefined;

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function t(key: GuestStringKey, vars?: Readonly<Record<string, string | number>>): string {
  return gt(language, key, vars);
}

/** Small DOM builder: no framework, the page stays a few kilobytes. */
function h(tag: string, attrs: Readonly<Record<string, string | boolean | ((event: Event) => void)>> = {}, ...children: (Node | string | null)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k, v);
    else if (typeof v === 'boolean') {
      if (v) el.setAttribute(k, '');
    } else el.setAttribute(k, v);
  }
  for (const child of children) if (child !== null) el.append(child);
  return el;
}

function show(next: View): void {
  view = next;
  render();
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function step(value: 'welcome' | 'recording' | 'listening' | 'done', options: { readonly keepalive?: boolean } = {}): void {
  // Only for the organiser's live view; a lost ping loses nothing.
  void fetch(`${base}/step`, { method: 'POST', headers: { ...HEADERS, 'content-type': 'application/json' }, body: JSON.stringify({ session, step: value }), keepalive: options.keepalive ?? false }).catch(() => undefined);
}

// Closing the page ends the visit on the organiser's live view at once (an abandoned visit would
// otherwise stay "live" until it ages out). Not when the browser keeps the page to come back to it.
// A recording not yet sent stays in the outbox and goes out when the link is opened again.
window.addEventListener('pagehide', (event) => {
  if (!event.persisted && info) step('done', { keepalive: true });
});

function render(): void {
  window.clearInterval(timer);
  document.documentElement.lang = language;
  const header = h(
    'header',
    {},
    h('button', { type: 'button', class: 'lang', lang: language === 'ja' ? 'en' : 'ja', click: () => ((language = language === 'ja' ? 'en' : 'ja'), render()) }, t('other')),
    h('h1', {}, info?.title || t('defaultTitle')),
    // The organiser's own words or audio when they gave some; otherwise the page's own welcome, in the guest's language.
    info?.welcomeText ? h('p', { class: 'welcome' }, info.welcomeText) : info && !info.welcomeAudio ? h('p', { class: 'welcome' }, t('welcome')) : null,
    info?.welcomeAudio ? h('button', { type: 'button', class: 'secondary', click: () => void new Audio(`${base}/welcome`).play() }, t('playWelcome')) : null,
  );
  root.replaceChildren(header, body());
}

function body(): HTMLElement {
  const max = info?.maxSeconds ?? 120;
  switch (view.kind) {
    case 'loading':
      return h('section', {}, h('p', { class: 'muted' }, '…'));
    case 'load-failed':
      return h('section', { class: 'problem' }, h('p', {}, t('loadFailed')));
    case 'idle':
      if (!canRecord()) return micProblem('no-recorder');
      return h(
        'section',
        {},
        h('p', { class: 'tips' }, t('tips')),
        h('p', { class: 'muted' }, t('maxLength', { n: max })),
        h('button', { type: 'button', class: 'record', 'data-testid': 'record', click: () => void record() }, t('record')),
      );
    case 'countdown':
      return h('section', {}, h('p', {}, t('starting')), h('p', { class: 'countdown', 'data-testid': 'countdown' }, String(view.n)));
    case 'recording': {
      const recording = view.recording;
      const meter = h('div', { class: 'meter-fill' });
      const time = h('p', { class: 'timer', 'data-testid': 'timer' }, `0:00 / ${clock(max * 1000)}`);
      timer = window.setInterval(() => {
        const elapsed = Date.now() - recording.startedAt;
        time.textContent = `${clock(elapsed)} / ${clock(max * 1000)}`;
        meter.style.width = `${Math.round(recording.level() * 100)}%`;
        if (elapsed >= max * 1000) void stop(recording);
      }, 100);
      return h(
        'section',
        {},
        h('p', { class: 'rec' }, h('span', { class: 'dot' }), t('recording')),
        time,
        h('div', { class: 'meter', 'aria-hidden': 'true' }, meter),
        h('button', { type: 'button', class: 'stop', 'data-testid': 'stop', click: () => void stop(recording) }, t('stop')),
      );
    }
    case 'review': {
      const { item, url, unsent } = view;
      const input = h('input', { type: 'text', name: 'name', maxlength: '100', autocomplete: 'name', placeholder: t('namePlaceholder'), value: name }) as HTMLInputElement;
      input.value = name;
      input.addEventListener('input', () => (name = input.value));
      return h(
        'section',
        {},
        unsent ? h('p', { class: 'notice' }, t('unsent')) : null,
        h('p', {}, t('listen')),
        h('audio', { controls: true, src: url, 'data-testid': 'playback' }),
        h('label', {}, t('nameLabel'), input),
        h('button', { type: 'button', class: 'send', 'data-testid': 'send', click: () => void send(item, 'kept') }, t('send')),
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'again', click: () => void send(item, 'superseded') }, t('again')),
      );
    }
    case 'sending':
      return h('section', {}, h('p', { class: 'sending' }, view.earlier ? t('finishing') : t('sending')), view.retrying ? h('p', { class: 'notice', 'data-testid': 'retrying' }, t('retrying')) : null);
    case 'sent':
      return h(
        'section',
        { class: 'done' },
        h('p', { class: 'sent', 'data-testid': 'sent' }, t('sent')),
        h('p', {}, t('thanks')),
        h('button', { type: 'button', class: 'secondary', click: () => ((session = randomId()), (name = ''), step('welcome'), show({ kind: 'idle' })) }, t('another')),
      );
    case 'mic':
      return micProblem(view.problem);
    case 'refused':
      return h(
        'section',
        { class: 'problem' },
        h('p', { 'data-testid': 'problem' }, view.problem[language]),
        h('button', { type: 'button', class: 'record', click: () => show({ kind: 'idle' }) }, t('record')),
      );
    case 'link-off':
      return h('section', { class: 'problem' }, h('p', {}, t('linkOff')));
    default:
      return view satisfies never;
  }
}

function micProblem(problem: MicProblem): HTMLElement {
  const text = problem === 'no-recorder' ? t('noRecorder') : problem === 'denied' ? t('micDenied') : t('micMissing');
  return h(
    'section',
    { class: 'problem' },
    h('p', { 'data-testid': 'mic-problem' }, text),
    info?.phoneNumber ? h('p', {}, t('callInstead'), ' ', h('a', { href: `tel:${info.phoneNumber}` }, info.phoneNumber)) : null,
  );
}

async function record(context: AudioContext = meterContext()): Promise<void> {
  const stream = await openMicrophone();
  if (typeof stream === 'string') {
    void context.close();
    return show({ kind: 'mic', problem: stream });
  }
  for (const n of [3, 2, 1]) {
    show({ kind: 'countdown', n });
    await new Promise((resolve) => window.setTimeout(resolve, 700));
  }
  step('recording');
  show({ kind: 'recording', recording: startRecording(stream, context) });
}

async function stop(recording: Recording): Promise<void> {
  if (view.kind !== 'recording') return;
  window.clearInterval(timer);
  show({ kind: 'loading' });
  const blob = await recording.stop();
  const item: OutboxItem = { key: randomId(), token, session, status: 'draft', name, blob, createdAt: Date.now() };
  // Kept on the phone before anything else, so closing the page now loses nothing.
  await putItem(item);
  step('listening');
  show({ kind: 'review', item, url: URL.createObjectURL(blob), unsent: false });
}

/** Send keeps the take; Record again sends it as superseded (kept, like pressing 3 on the phone) and records anew. */
async function send(item: OutboxItem, status: 'kept' | 'superseded'): Promise<void> {
  // Made during the tap, before anything is awaited (see meterContext).
  const context = status === 'superseded' ? meterContext() : null;
  const queued: OutboxItem = { ...item, status, name };
  await putItem(queued);
  if (context) {
    void deliver(queued);
    return record(context);
  }
  show({ kind: 'sending', retrying: false, earlier: false });
  const outcome = await deliver(queued, (retrying) => show({ kind: 'sending', retrying, earlier: false }));
  finish(outcome);
}

function finish(outcome: Outcome): void {
  if (outcome.kind === 'stored') {
    step('done');
    show({ kind: 'sent' });
  } else if (outcome.kind === 'refused') show({ kind: 'refused', problem: outcome.problem });
  else show({ kind: 'link-off' });
}

type Outcome = { readonly kind: 'stored' } | { readonly kind: 'refused'; readonly problem: Problem } | { readonly kind: 'link-off' };

/**
 * Uploads one recording until the server says it stored it (or refuses it for good). Connection
 * failures, 5xx and 429 are retried with growing pauses; the recording stays in IndexedDB meanwhile.
 */
async function deliver(item: OutboxItem, onRetry: (retrying: boolean) => void = () => undefined): Promise<Outcome> {
  const query = new URLSearchParams({ key: item.key, session: item.session, status: item.status, name: item.name });
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(`${base}/upload?${query}`, { method: 'POST', headers: { ...HEADERS, 'content-type': 'application/octet-stream' }, body: item.blob });
      if (response.ok) {
        await removeItem(item.key);
        return { kind: 'stored' };
      }
      if (response.status === 404) return { kind: 'link-off' };
      if (response.status !== 429 && response.status < 500) {
        const problem = ((await response.json().catch(() => null)) as { error?: Problem } | null)?.error;
        await removeItem(item.key);
        return { kind: 'refused', problem: problem ?? { code: 'refused', en: 'The message could not be sent.', ja: 'メッセージを送信できませんでした。' } };
      }
    } catch {
      // Offline or the connection broke half-way: try again.
    }
    onRetry(true);
    await new Promise((resolve) => window.setTimeout(resolve, Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5))));
  }
}

/** Reopening the link finishes what an earlier visit left: queued uploads go out, a draft comes back for review. */
async function resume(): Promise<void> {
  const items = await listItems(token).catch(() => [] as OutboxItem[]);
  const queued = items.filter((item) => item.status !== 'draft');
  const draft = items.filter((item) => item.status === 'draft').at(-1);
  const kept = queued.filter((item) => item.status === 'kept');
  for (const item of queued.filter((i) => i.status === 'superseded')) void deliver(item);
  if (kept.length > 0) {
    show({ kind: 'sending', retrying: false, earlier: true });
    let last: Outcome = { kind: 'stored' };
    for (const item of kept) last = await deliver(item, (retrying) => show({ kind: 'sending', retrying, earlier: true }));
    return finish(last);
  }
  if (draft) {
    session = draft.session;
    name = draft.name;
    return show({ kind: 'review', item: draft, url: URL.createObjectURL(draft.blob), unsent: true });
  }
  show({ kind: 'idle' });
}

async function start(): Promise<void> {
  try {
    const response = await fetch(`${base}/info`, { headers: HEADERS });
    if (response.status === 404) return show({ kind: 'link-off' });
    info = (await response.json()) as Info;
    language = info.language;
  } catch {
    return show({ kind: 'load-failed' });
  }
  step('welcome');
  await resume();
}

void start();
