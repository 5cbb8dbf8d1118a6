import { useState } from 'react';
import type { AppState, OrganiserApi, PhoneNumberChoice } from '../../../server/api/contract.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { Pipeline } from '../components/pipeline.tsx';
import { PromptsEditor } from '../components/prompts-editor.tsx';
import { TunnelForm } from '../components/tunnel-form.tsx';
import { NumberPicker, TwilioCredentialsForm, type Credentials } from '../components/twilio-form.tsx';
import { t, type StringKey } from '../i18n.ts';
import { useCall } from '../use-call.ts';
import { GuestReachStep } from './setup/guest-reach-step.tsx';

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
export function SetupWizard({ api, state }: { readonly api: OrganiserApi; readonly state: AppState }) {
  const { language } = state;
  const [step, setStep] = useState<Step>('language');
  const [credentials, setCredentials] = useState<Credentials | null>(null);
  const [numbers, setNumbers] = useState<readonly PhoneNumberChoice[]>([]);
  const finish = useCall(api);
  return (
    <main className="wizard">
      <h1>{t(language, 'setupTitle')}</h1>
      <ol className="steps" aria-label={t(language, 'setupTitle')}>
        {STEPS.map(({ step: s, label }) => (
          <li key={s} className={s === step ? 'current' : ''} aria-current={s === step ? 'step' : undefined}>
            {t(language, label)}
          </li>
        ))}
      </ol>
      <section className="card" data-step={step}>
        {step === 'language' ? (
          <div>
            <p>{t(language, 'chooseLanguage')}</p>
            <div className="row">
              {(['ja', 'en'] as const).map((lang) => (
                <button
                  key={lang}
                  type="button"
                  className={`big ${language === lang ? 'primary' : ''}`}
                  onClick={async () => {
                    await api.call('setLanguage', { language: lang });
                    setStep('reach');
                  }}
                >
                  {lang === 'ja' ? '日本語' : 'English'}
                </button>
              ))}
            </div>
          </div>
        ) : null}
        {step === 'reach' ? <GuestReachStep api={api} language={language} onChosen={(reach) => setStep(reach === 'link' ? 'tunnel' : 'twilio')} /> : null}
        {step === 'twilio' ? (
          <>
            <TwilioCredentialsForm
              api={api}
              language={language}
              onChecked={(creds, result) => {
                setCredentials(creds);
                setNumbers(result.numbers);
                setStep('number');
              }}
            />
            <p>
              <button type="button" className="link" onClick={() => void finish.run('finishSetup', { mode: 'rehearsal' })}>
                {t(language, 'skipToRehearsal')}
              </button>
            </p>
            <ErrorBox error={finish.error} language={language} />
          </>
        ) : null}
        {step === 'number' && credentials ? (
          <NumberPicker api={api} language={language} credentials={credentials} numbers={numbers} onConnected={() => setStep('tunnel')} />
        ) : null}
        {step === 'tunnel' ? (
          <>
            <TunnelForm api={api} language={language} onConfigured={() => undefined} />
            {state.line.stages.tunnel.state !== 'waiting' ? <Pipeline status={state.line} language={language} /> : null}
            <button type="button" className="primary" disabled={!state.line.ready} onClick={() => setStep('prompts')}>
              {t(language, 'next')}
            </button>
          </>
        ) : null}
        {step === 'prompts' ? (
          <>
            <PromptsEditor api={api} language={language} settings={state.settings} onSaved={() => setStep('done')} />
          </>
        ) : null}
        {step === 'done' ? (
          <div>
            <h2>{t(language, 'doneTitle')}</h2>
            <p>{t(language, 'doneText')}</p>
            <button type="button" className="primary" onClick={() => void finish.run('finishSetup', { mode: 'live' })}>
              {t(language, 'goHome')}
            </button>
          </div>
        ) : null}
      </section>
    </main>
  );
}
