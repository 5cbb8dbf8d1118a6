import { useEffect, useRef, useState } from 'react';
import type { ApiError, AppState, OrganiserApi } from '../../../server/api/contract.ts';
import type { RehearsalPrompt, RehearsalReply } from '../../../server/rehearsal/rehearsal-session.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { t, type StringKey } from '../i18n.ts';
import { openMic, toBase64, type Mic, type MicProblem } from '../rehearsal/mic.ts';

type LineState = 'idle' | 'connecting' | 'speaking' | 'playing' | 'recording' | 'waiting-key' | 'ended';
const LINE_TEXT: Readonly<Record<LineState, StringKey>> = {
  idle: 'lineIdle',
  connecting: 'lineConnecting',
  speaking: 'lineSpeaking',
  playing: 'linePlaying',
  recording: 'lineRecording',
  'waiting-key': 'lineWaitingKey',
  ended: 'lineEnded',
};
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
/** RMS above this counts as someone speaking (for the silence timeout). */
const SPEECH_LEVEL = 0.02;

/**
 * The phone panel: call and hang up, a keypad, a microphone level meter and what the line is
 * doing. It runs the real call flow in the core; this page is only the guest's ear, mouth and fingers.
 */
export function Rehearsal({ api, state }: { readonly api: OrganiserApi; readonly state: AppState }) {
  const { language } = state;
  const [line, setLine] = useState<LineState>('idle');
  const [level, setLevel] = useState(0);
  const [problem, setProblem] = useState<MicProblem | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [phoneQuality, setPhoneQuality] = useState(true);
  const [pressed, setPressed] = useState('');
  const session = useRef<string | null>(null);
  const mic = useRef<Mic | null>(null);
  const keyListener = useRef<((key: string) => void) | null>(null);
  const hangupListener = useRef<(() => void) | null>(null);

  const press = (key: string) => {
    setPressed((p) => (p + key).slice(-12));
    keyListener.current?.(key);
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (session.current && (KEYS as readonly string[]).includes(event.key)) press(event.key);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      mic.current?.close();
    };
  }, []);

  /**
   * Waits for a key, the hang-up button, the timeout, or `until`. Finishing stops its timer and
   * removes only its own listeners: a wait left running used to clear a later prompt's keys and
   * hang-up when its timer fired (60 s after a spoken prompt, 180 s after playback).
   */
  const waitFor = <T,>(onKey: (key: string) => T | null, timeoutMs: number, onTimeout: () => T, onHangup: () => T, until?: Promise<T>): Promise<T> =>
    new Promise((resolve) => {
      let done = false;
      const finish = (value: T) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (keyListener.current === keys) keyListener.current = null;
        if (hangupListener.current === hangup) hangupListener.current = null;
        resolve(value);
      };
      const timer = setTimeout(() => finish(onTimeout()), timeoutMs);
      const keys = (key: string) => {
        const value = onKey(key);
        if (value !== null) finish(value);
      };
      const hangup = () => finish(onHangup());
      keyListener.current = keys;
      hangupListener.current = hangup;
      void until?.then(finish);
    });

  async function handle(prompt: Exclude<RehearsalPrompt, { kind: 'ended' }>): Promise<RehearsalReply> {
    switch (prompt.kind) {
      case 'say': {
        setLine('speaking');
        const spoken = new Promise<void>((resolve) => {
          if (!('speechSynthesis' in window)) return resolve();
          const utterance = new SpeechSynthesisUtterance(prompt.text);
          utterance.lang = prompt.language;
          utterance.onend = () => resolve();
          utterance.onerror = () => resolve();
          speechSynthesis.speak(utterance);
        });
        // Machines without a voice for the language never fire "end": don't hang the call on it.
        const fallback = new Promise<void>((resolve) => setTimeout(resolve, Math.min(12_000, 900 + prompt.text.length * 60)));
        const hungUp = await waitFor(() => null, 60_000, () => false, () => true, Promise.race([spoken, fallback]).then(() => false));
        speechSynthesis?.cancel();
        return hungUp ? { kind: 'hangup' } : { kind: 'heard' };
      }
      case 'play': {
        setLine('playing');
        const url = URL.createObjectURL(new Blob([Uint8Array.from(atob(prompt.audioBase64), (c) => c.charCodeAt(0))], { type: prompt.mime }));
        const audio = new Audio(url);
        const played = new Promise<void>((resolve) => {
          audio.onended = () => resolve();
          audio.onerror = () => resolve();
          audio.play().catch(() => resolve());
        });
        const hungUp = await waitFor(() => null, 180_000, () => false, () => true, played.then(() => false));
        audio.pause();
        URL.revokeObjectURL(url);
        return hungUp ? { kind: 'hangup' } : { kind: 'heard' };
      }
      case 'record': {
        setLine('recording');
        const m = mic.current;
        if (!m) return { kind: 'hangup' };
        let heardSpeech = false;
        let quietSince = performance.now();
        let ended: ((end: 'key' | 'silence' | 'hangup' | 'nothing') => void) | null = null;
        const finished = new Promise<'key' | 'silence' | 'hangup' | 'nothing'>((resolve) => (ended = resolve));
        m.start((rms) => {
          setLevel(rms);
          const now = performance.now();
          if (rms > SPEECH_LEVEL) {
            heardSpeech = true;
            quietSince = now;
          } else if (now - quietSince > prompt.silenceSeconds * 1000) {
            // Twilio's timeout: this much silence ends the recording (or, with nothing said, there is no recording).
            ended?.(heardSpeech ? 'silence' : 'nothing');
          }
        });
        const max = setTimeout(() => ended?.('silence'), prompt.maxLengthSeconds * 1000);
        keyListener.current = (key) => {
          if (prompt.finishOnKey.includes(key)) ended?.('key');
        };
        hangupListener.current = () => ended?.('hangup');
        const end = await finished;
        clearTimeout(max);
        keyListener.current = null;
        hangupListener.current = null;
        const wav = m.stop();
        setLevel(0);
        if (end === 'nothing') return { kind: 'silent' };
        return { kind: 'recorded', wavBase64: toBase64(wav), end };
      }
      case 'gather': {
        setLine('waiting-key');
        return waitFor<RehearsalReply>(
          (key) => ({ kind: 'keys', digits: key }),
          prompt.timeoutSeconds * 1000,
          () => ({ kind: 'no-input' }),
          () => ({ kind: 'hangup' }),
        );
      }
    }
  }

  async function call() {
    setError(null);
    setProblem(null);
    setPressed('');
    try {
      mic.current = await openMic();
    } catch (micProblem) {
      setProblem(micProblem as MicProblem);
      return;
    }
    setLine('connecting');
    const started = await api.call('rehearsalStart', { quality: phoneQuality ? 'phone' : 'high' });
    if (!started.ok) {
      setError(started.error);
      setLine('idle');
      return;
    }
    const sessionId = started.value.sessionId;
    session.current = sessionId;
    let seq = 0;
    for (;;) {
      const next = await api.call('rehearsalNext', { sessionId, afterSeq: seq });
      if (!next.ok) {
        setError(next.error);
        break;
      }
      if (!next.value) continue;
      seq = next.value.seq;
      const prompt = next.value.prompt;
      if (prompt.kind === 'ended') break;
      const reply = await handle(prompt);
      const sent = await api.call('rehearsalReply', { sessionId, seq, reply });
      if (!sent.ok) {
        setError(sent.error);
        break;
      }
    }
    session.current = null;
    mic.current?.close();
    mic.current = null;
    setLine('ended');
  }

  const inCall = line !== 'idle' && line !== 'ended';
  return (
    <main>
      <section className="card phone" data-line={line}>
        <h2>{t(language, 'tryCall')}</h2>
        <p className="muted">{t(language, 'rehearsalIntro')}</p>
        <div className="line-status" role="status" data-testid="line-state">
          {t(language, LINE_TEXT[line])}
        </div>
        <div className="meter" aria-label={t(language, 'micLevel')}>
          <div className="meter-fill" style={{ width: `${Math.min(100, Math.round(level * 400))}%` }} />
        </div>
        <div className="keypad" aria-label="keypad">
          {KEYS.map((key) => (
            <button key={key} type="button" disabled={!inCall} onClick={() => press(key)}>
              {key}
            </button>
          ))}
        </div>
        <div className="pressed" data-testid="pressed">{pressed}</div>
        <div className="row">
          {inCall ? (
            <button type="button" className="hangup" onClick={() => {
              hangupListener.current?.();
              if (session.current) void api.call('rehearsalHangup', { sessionId: session.current });
            }}>
              {t(language, 'hangUp')}
            </button>
          ) : (
            <button type="button" className="primary callbtn" onClick={() => void call()}>
              {t(language, 'call')}
            </button>
          )}
          <label className="inline">
            <input type="checkbox" checked={phoneQuality} disabled={inCall} onChange={(e) => setPhoneQuality(e.target.checked)} /> {t(language, 'phoneQuality')}
          </label>
        </div>
        {problem ? (
          <div className="error" role="alert" data-code={`mic-${problem}`}>
            {t(language, `mic_${problem}` as StringKey)}
          </div>
        ) : null}
        <ErrorBox error={error} language={language} />
      </section>
    </main>
  );
}
