import { useEffect, useState } from 'react';
import type { LiveCall } from '../../../server/api/contract.ts';
import { useLanguage, useT } from '../app-context.tsx';
import { callerLabel } from '../i18n.ts';

function duration(fromIso: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The step to show: Twilio reports no beep, so a call in `welcome` shows `recording` once the welcome should have ended. */
function shownStep(call: LiveCall, now: number): LiveCall['step'] {
  return call.step === 'welcome' && call.recordingFrom !== null && now >= Date.parse(call.recordingFrom) ? 'recording' : call.step;
}

/** Calls in progress, with which step each guest is in and a running duration. */
export function LiveCalls({ calls }: { readonly calls: readonly LiveCall[] }) {
  const language = useLanguage();
  const t = useT();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <section className="card">
      <h2>{t('liveCalls')}</h2>
      {calls.length === 0 ? (
        <p className="muted">{t('noLiveCalls')}</p>
      ) : (
        <table data-testid="live-calls">
          <thead>
            <tr>
              <th>{t('caller')}</th>
              <th>{t('stepCol')}</th>
              <th>{t('durationCol')}</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((call) => {
              const step = shownStep(call, now);
              return (
                <tr key={call.callSid} data-call={call.callSid} data-step={step}>
                  <td className="caller" title={call.callerName ? callerLabel(language, call.caller) : undefined}>
                    {call.callerName ?? callerLabel(language, call.caller)}
                  </td>
                  <td>
                    <span className={`pill step-${step}`}>{t(`step_${step}`)}</span>
                  </td>
                  <td className="num">{duration(call.startedAt, now)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
