import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../server/api/contract.ts';
import { useApi, useT } from '../app-context.tsx';
import { ErrorBox } from '../components/error-box.tsx';
import type { StringKey } from '../i18n.ts';
import { startPhoneCall, type PhoneState, type LineStep, type MicProblem, type PhoneCall } from '../rehearsal/phone-call.ts';

const LINE_TEXT: Readonly<Record<PhoneState, StringKey>> = {
  idle: 'lineIdle',
  connecting: 'lineConnecting',
  speaking: 'lineSpeaking',
  playing: 'linePlaying',
  recording: 'lineRecording',
  'waiting-key': 'lineWaitingKey',
  ended: 'lineEnded',
};
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/**
 * The phone panel: call and hang up, a keypad, a microphone level meter and what the line is
 * doing. The call itself is `rehearsal/phone-call.ts`; this page only shows it.
 */
export function Rehearsal() {
  const api = useApi();
  const t = useT();
  const [line, setLine] = useState<PhoneState>('idle');
  const [level, setLevel] = useState(0);
  const [problem, setProblem] = useState<MicProblem | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [phoneQuality, setPhoneQuality] = useState(true);
  const [pressed, setPressed] = useState('');
  // What the line has said so far, as text: a machine with no speech voice still shows every step.
  const [steps, setSteps] = useState<readonly LineStep[]>([]);
  const phone = useRef<PhoneCall | null>(null);

  const press = (key: string) => {
    setPressed((p) => (p + key).slice(-12));
    phone.current?.press(key);
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (phone.current && (KEYS as readonly string[]).includes(event.key)) press(event.key);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      phone.current?.hangUp();
    };
  }, []);

  async function call() {
    setError(null);
    setProblem(null);
    setPressed('');
    setSteps([]);
    let started: PhoneCall;
    try {
      started = await startPhoneCall(api, phoneQuality ? 'phone' : 'high', { line: setLine, level: setLevel, error: setError, step: (step) => setSteps((s) => [...s, step]) });
    } catch (micProblem) {
      setProblem(micProblem as MicProblem);
      return;
    }
    phone.current = started;
    await started.ended;
    phone.current = null;
  }

  const inCall = line !== 'idle' && line !== 'ended';
  return (
    <main>
      <section className="card phone" data-line={line}>
        <h2>{t('tryCall')}</h2>
        <p className="muted">{t('rehearsalIntro')}</p>
        <div className="line-status" role="status" data-testid="line-state">
          {t(LINE_TEXT[line])}
        </div>
        {steps.length > 0 ? (
          <ol className="transcript" aria-label={t('lineSaid')} data-testid="transcript">
            {steps.map((step, i) => (
              <li key={i} className={i === steps.length - 1 && inCall ? 'current' : ''} data-kind={step.kind}>
                {step.kind === 'say' ? step.text : step.kind === 'audio' ? t('playedAudio') : step.kind === 'record' ? `● ${t('recordHint')}` : `⌨ ${t('keyHint')}`}
              </li>
            ))}
          </ol>
        ) : null}
        <div className="meter" aria-label={t('micLevel')}>
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
            <button type="button" className="hangup" onClick={() => phone.current?.hangUp()}>
              {t('hangUp')}
            </button>
          ) : (
            <button type="button" className="primary callbtn" onClick={() => void call()}>
              {t('call')}
            </button>
          )}
          <label className="inline">
            <input type="checkbox" checked={phoneQuality} disabled={inCall} onChange={(e) => setPhoneQuality(e.target.checked)} /> {t('phoneQuality')}
          </label>
        </div>
        {problem ? (
          <div className="error" role="alert" data-code={`mic-${problem}`}>
            {t(`mic_${problem}` as StringKey)}
          </div>
        ) : null}
        <ErrorBox error={error} />
      </section>
    </main>
  );
}
