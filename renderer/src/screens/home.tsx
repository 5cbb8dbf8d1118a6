import type { AppState } from '../../../server/api/contract.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { LiveCalls } from '../components/live-calls.tsx';
import { MessageList } from '../components/message-list.tsx';
import { Pipeline } from '../components/pipeline.tsx';
import { t } from '../i18n.ts';

/** The dashboard: is the line up, who is calling right now, what came in. */
export function Home({ state }: { readonly state: AppState }) {
  const { language } = state;
  return (
    <main>
      {state.setup.mode === 'rehearsal' ? <p className="banner">{t(language, 'rehearsalMode')}</p> : <Pipeline status={state.line} language={language} />}
      {state.storage.map((problem) => (
        <ErrorBox key={problem.code} error={problem} language={language} />
      ))}
      {state.setup.mode !== 'rehearsal' ? (
        <p className="mode-line" data-testid="line-mode">
          {t(language, 'lineModeNow')}: <strong>{state.alwaysOn.modeNow[language]}</strong> · {t(language, 'lineModeAfterQuit')}: <strong>{state.alwaysOn.modeAfterQuit[language]}</strong>
        </p>
      ) : null}
      <section className="counts">
        <div className="count card">
          <span className="count-value" data-testid="calls-today">{state.counts.callsToday}</span>
          <span className="count-label">{t(language, 'callsToday')}</span>
        </div>
        <div className="count card">
          <span className="count-value" data-testid="messages-kept">{state.counts.messagesKept}</span>
          <span className="count-label">{t(language, 'messagesKept')}</span>
        </div>
        {state.twilio.balance ? (
          <div className={`count card ${state.twilio.balance.low ? 'low' : ''}`}>
            <span className="count-value">
              {state.twilio.balance.amount} <small>{state.twilio.balance.currency}</small>
            </span>
            <span className="count-label">{state.twilio.balance.low ? t(language, 'lowBalance') : t(language, 'balance')}</span>
          </div>
        ) : null}
      </section>
      <LiveCalls calls={state.liveCalls} language={language} />
      <MessageList messages={state.messages} language={language} />
    </main>
  );
}
