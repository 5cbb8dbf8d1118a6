import { useState } from 'react';
import type { OrganiserState, PhoneNumberChoice } from '../../../server/api/contract.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { ExternalLink } from '../components/external-link.tsx';
import { Pipeline } from '../components/pipeline.tsx';
import { PromptsEditor } from '../components/prompts-editor.tsx';
import { TunnelForm } from '../components/tunnel-form.tsx';
import { NumberPicker, TwilioCredentialsForm, type Credentials } from '../components/twilio-form.tsx';
import { useApi, useLanguage, useT } from '../app-context.tsx';
import type { StringKey } from '../i18n.ts';
import { useCall } from '../use-call.ts';
import { GuestReachStep, type GuestReach } from './setup/guest-reach-step.tsx';

type Step = 'language' | 'reach' | 'twilio' | 'number' | 'tunnel' | 'prompts' | 'done';
const STEPS: readonly { readonly step: Step; readonly label: StringKey }[] = [
  { step: 'language', label: 'stepLanguage' },
  { step: 'reach', label: 'stepReach' },
  { step: 'twilio', label: 'stepTwilio' },
  { step: 'number', label: 'stepNumber' },
  { step: 'tunnel', label: 'stepTunnel' },
  { step: 'prompts', label: 'stepPrompts' },
  { step: 'done', label: 'stepDone' },
];

/** First run, one step per screen, each checked before moving on; skippable to rehearsal use. */
export function SetupWizard({ state }: { readonly state: OrganiserState }) {
  const api = useApi();
  const language = useLanguage();
  const t = useT();
  const [step, setStep] = useState<Step>('language');
  // Rehearsal only (no account) skips the line's steps but still offers the greetings.
  const [mode, setMode] = useState<'live' | 'rehearsal'>('live');
  const index = STEPS.findIndex((s) => s.step === step);
  // How guests reach the organiser: the guest link alone needs no Twilio steps.
  const [reach, setReach] = useState<GuestReach>('phone');
  const reachable = (s: Step) =>
    mode === 'rehearsal'
      ? s === 'language' || s === 'reach' || s === 'twilio' || s === 'prompts' || s === 'done'
      : reach === 'link'
        ? s !== 'twilio' && s !== 'number'
        : s !== 'number' || credentials !== null;
  const back = () => {
    const earlier = STEPS.slice(0, index).reverse().find((s) => reachable(s.step));
    if (earlier) setStep(earlier.step);
    if (earlier?.step === 'twilio') setMode('live');
  };
  const [credentials, setCredentials] = useState<Credentials | null>(null);
  const [numbers, setNumbers] = useState<readonly PhoneNumberChoice[]>([]);
  const finish = useCall();
  return (
    <main className="wizard">
      <h1>{t('setupTitle')}</h1>
      <ol className="steps" aria-label={t('setupTitle')}>
        {STEPS.map(({ step: s, label }, i) => (
          <li key={s} className={s === step ? 'current' : i < index && reachable(s) ? 'done' : ''} aria-current={s === step ? 'step' : undefined}>
            {/* Finished steps can be revisited. */}
            {i < index && reachable(s) ? (
              <button type="button" onClick={() => setStep(s)}>
                {t(label)}
              </button>
            ) : (
              t(label)
            )}
          </li>
        ))}
      </ol>
      <section className="card" data-step={step}>
        {step === 'language' ? (
          <div>
            <p>{t('chooseLanguage')}</p>
            <div className="row">
              {(['ja', 'en'] as const).map((lang) => (
                <button
                  key={lang}
                  type="button"
                  className={`big ${language === lang ? 'primary' : ''}`}
                  onClick={async () => {
                    // The first choice sets both; later they are separate settings.
                    await api.call('setLanguage', { language: lang });
                    await api.call('setGreetingsLanguage', { language: lang });
                    setStep('reach');
                  }}
                >
                  {lang === 'ja' ? '日本語' : 'English'}
                </button>
              ))}
            </div>
          </div>
        ) : null}
        {step === 'reach' ? (
          <GuestReachStep
            onChosen={(chosen) => {
              setReach(chosen);
              setMode('live');
              setStep(chosen === 'link' ? 'tunnel' : 'twilio');
            }}
          />
        ) : null}
        {step === 'twilio' ? (
          <>
            <TwilioCredentialsForm
              onChecked={(creds, result) => {
                setCredentials(creds);
                setNumbers(result.numbers);
                setStep('number');
              }}
            />
            <p>
              <button
                type="button"
                className="link"
                onClick={() => {
                  setMode('rehearsal');
                  setStep('prompts');
                }}
              >
                {t('skipToRehearsal')}
              </button>
            </p>
            <details className="twilio-panel" data-testid="what-is-twilio">
              <summary>{t('whatIsTwilio')}</summary>
              <p>{t('twilioPanel1')}</p>
              <p>{t('twilioPanel2')}</p>
              <p>{t('twilioPanel3')}</p>
              <p>{t('twilioPanel4')}</p>
              <p className="links">
                <ExternalLink href="https://www.twilio.com/try-twilio">{t('twilioSignUp')}</ExternalLink>
                <ExternalLink href="https://console.twilio.com/">{t('twilioConsole')}</ExternalLink>
                <ExternalLink href="https://www.twilio.com/en-us/voice/pricing/us">{t('twilioPrices')}</ExternalLink>
              </p>
            </details>
          </>
        ) : null}
        {step === 'number' && credentials ? (
          <NumberPicker credentials={credentials} numbers={numbers} onConnected={() => setStep('tunnel')} />
        ) : null}
        {step === 'tunnel' ? (
          <>
            <TunnelForm onConfigured={() => undefined} />
            {state.connection.stages.tunnel.state !== 'waiting' ? <Pipeline status={state.connection} /> : null}
            <p>
              <button type="button" className="primary" disabled={!state.connection.ready} onClick={() => setStep('prompts')}>
                {t('next')}
              </button>
            </p>
          </>
        ) : null}
        {step === 'prompts' ? (
          <>
            <PromptsEditor key={JSON.stringify([state.settings.language, state.settings.prompts])} settings={state.settings} onSaved={() => setStep('done')} />
          </>
        ) : null}
        {step === 'done' ? (
          <div>
            <h2>{t('doneTitle')}</h2>
            <p>{t('doneText')}</p>
            <button type="button" className="primary" onClick={() => void finish.run('finishSetup', { mode })}>
              {t('goHome')}
            </button>
            <ErrorBox error={finish.error} />
          </div>
        ) : null}
        {index > 0 ? (
          <p>
            <button type="button" onClick={back}>
              ← {t('back')}
            </button>
          </p>
        ) : null}
      </section>
    </main>
  );
}
