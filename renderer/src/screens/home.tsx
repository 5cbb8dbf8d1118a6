import type { OrganiserState } from '../../../server/api/contract.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { GuestLinkCard } from '../components/guest-link-card.tsx';
import { LiveCalls } from '../components/live-calls.tsx';
import { MessageList } from '../components/message-list.tsx';
import { Pipeline } from '../components/pipeline.tsx';
import { useLanguage, useT } from '../app-context.tsx';
import { GuestProgressCard } from '../guests/guest-progress-card.tsx';

/** The dashboard: is the line up, who is calling right now, what came in. */
export function Home({ state }: { readonly state: OrganiserState }) {
  const language = useLanguage();
  const t = useT();
  // With the guest link on, a Twilio account is optional (guests can use the link alone).
  const needsTwilio = !state.twilio.configured && !state.guestLink.enabled;
  return (
    <main>
      {state.problems.map((problem) => (
        <ErrorBox key={problem.code} error={problem} />
      ))}
      {state.setup.mode === 'rehearsal' ? <p className="banner">{t('rehearsalMode')}</p> : <Pipeline status={state.connection} />}
      {state.storage.map((problem) => (
        <ErrorBox key={problem.code} error={problem} />
      ))}
      {state.setup.mode !== 'rehearsal' ? (
        <p className="mode-line" data-testid="answering-mode">
          {t('lineModeNow')}: <strong>{state.alwaysOn.modeNow[language]}</strong> · {t('lineModeAfterQuit')}: <strong>{state.alwaysOn.modeAfterQuit[language]}</strong>
        </p>
      ) : null}
      <section className="counts">
        <div className="count card">
          <span className="count-value" data-testid="calls-today">{state.counts.callsToday}</span>
          <span className="count-label">{t('callsToday')}</span>
        </div>
        <div className="count card">
          <span className="count-value" data-testid="messages-kept">{state.counts.messagesKept}</span>
          <span className="count-label">{t('messagesKept')}</span>
        </div>
        {state.twilio.balance ? (
          <div className={`count card ${state.twilio.balance.low ? 'low' : ''}`}>
            <span className="count-value">
              {state.twilio.balance.amount} <small>{state.twilio.balance.currency}</small>
            </span>
            <span className="count-label">{state.twilio.balance.low ? t('lowBalance') : t('balance')}</span>
          </div>
        ) : null}
      </section>
      {state.setup.mode === 'live' && (needsTwilio || state.tunnel.kind === null) ? (
        <section className="card" data-testid="still-to-set-up">
          <h2>{t('stillToSetUp')}</h2>
          <ul>
            {needsTwilio ? <li>{t('missingTwilio')}</li> : null}
            {state.tunnel.kind === null ? <li>{t('missingTunnel')}</li> : null}
          </ul>
          <a href="#settings">{t('settings')} →</a>
        </section>
      ) : null}
      {state.messages.length === 0 && state.liveCalls.length === 0 ? (
        <section className="card empty-hint" data-testid="home-empty">
          <p>{t('noMessagesTry')}</p>
          <a className="button primary" href="#rehearsal">
            {t('tryCall')}
          </a>
        </section>
      ) : null}
      <GuestProgressCard state={state} />
      <LiveCalls calls={state.liveCalls} />
      {state.setup.mode !== 'rehearsal' || state.guestLink.enabled ? <GuestLinkCard state={state} /> : null}
      <MessageList messages={state.messages} />
    </main>
  );
}
