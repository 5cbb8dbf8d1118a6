import { useEffect, useState } from 'react';
import { STAGES, type ConnectionStatus } from '../../../server/api/contract.ts';
import { useLanguage, useT } from '../app-context.tsx';

/** "Retrying in 12 s" counting down to the supervisor's next try, then "Retrying…" while it runs. */
function RetryNotice({ retryAt }: { readonly retryAt: string }) {
  const t = useT();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.ceil((Date.parse(retryAt) - now) / 1000);
  return (
    <p className="retry muted" data-testid="line-retry" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {seconds > 0 ? `${t('retryingIn')} ${seconds}${t('retryInUnit')}` : t('retrying')}
    </p>
  );
}

/** TwiML server → tunnel → number → verified, with the fix for whatever is red. */
export function Pipeline({ status }: { readonly status: ConnectionStatus }) {
  const language = useLanguage();
  const t = useT();
  const failed = STAGES.map((name) => status.stages[name]).find((stage) => stage.state === 'failed');
  return (
    <section className="card" aria-label={t('lineStatus')}>
      <h2>
        {t('lineStatus')}:{' '}
        <span className={status.ready ? 'ok-text' : 'warn-text'} data-testid="line-ready">
          {status.ready ? t('ready') : t('notReady')}
        </span>
      </h2>
      <ol className="pipeline">
        {STAGES.map((name) => {
          const stage = status.stages[name];
          return (
            <li key={name} className={`stage stage-${stage.state}`} data-testid={`stage-${name}`} data-state={stage.state}>
              <span className="stage-name">{t(`stage_${name}`)}</span>
              <span className="stage-state">{t(`state_${stage.state}`)}</span>
              {stage.detail ? <span className="stage-detail">{stage.detail}</span> : null}
            </li>
          );
        })}
      </ol>
      {failed?.problem ? (
        <div className="error" role="alert" data-code={failed.problem.code}>
          {language === 'ja' ? failed.problem.ja : failed.problem.en}
        </div>
      ) : null}
      {failed && status.retryAt !== null ? <RetryNotice retryAt={status.retryAt} /> : null}
    </section>
  );
}
