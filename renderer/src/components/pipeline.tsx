import { STAGES, type LineStatus } from '../../../server/api/contract.ts';
import { useLanguage, useT } from '../app-context.tsx';

/** TwiML server → tunnel → number → verified, with the fix for whatever is red. */
export function Pipeline({ status }: { readonly status: LineStatus }) {
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
    </section>
  );
}
