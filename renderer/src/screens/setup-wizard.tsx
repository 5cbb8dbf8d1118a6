import { useState } from 'react';
import type { AppState, PhoneNumberChoice } from '../../../server/api/contract.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { Pipeline } from '../components/pipeline.tsx';
import { PromptsEditor } from '../components/prompts-editor.tsx';
import { TunnelForm } from '../components/tunnel-form.tsx';
import { NumberPicker, TwilioCredentialsForm, type Credentials } from '../components/twilio-form.tsx';
import { useApi, useLanguage, useT } from '../app-context.tsx';
import type { StringKey } from '../i18n.ts';
import { useCall } from '../use-call.ts';

type Step = 'language' | 'twilio' | 'number' | 'tunnel' | 'prompts' | 'done';
const STEPS: readonly { readonly step: Step; readonly label: StringKey }[] = [
  { step: 'language', label: 'stepLanguage' },
  { step: 'twilio', label: 'stepTwilio' },
  { step: 'number', label: 'stepNumber' },
  { step: 'tunnel', label: 'stepTunnel' },
  { step: 'prompts', label: 'stepPrompts' },
  { step: 'done', label: 'stepDone' },
];

/** First run, one step per screen, each checked before moving on; skippable to rehearsal use. */
export function SetupWizard({ state }: { readonly state: AppState }) {
  const api = useApi();
  const language = useLanguage();
  const t = useT();
  const [step, setStep] = useState<Step>('language');
  const [credentials, setCredentials] = useState<Credentials | null>(null);
  const [numbers, setNumbers] = useState<readonly PhoneNumberChoice[]>([]);
  const finish = useCall();
  return (
    <main className="wizard">
      <h1>{t('setupTitle')}</h1>
      <ol className="steps" aria-label={t('setupTitle')}>
        {STEPS.map(({ step: s, label }) => (
          <li key={s} className={s === step ? 'current' : ''} aria-current={s === step ? 'step' : undefined}>
            {t(label)}
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
                    await api.call('setLanguage', { language: lang });
                    setStep('twilio');
                  }}
                >
                  {lang === 'ja' ? '日本語' : 'English'}
                </button>
              ))}
            </div>
          </div>
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
              <button type="button" className="link" onClick={() => void finish.run('finishSetup', { mode: 'rehearsal' })}>
                {t('skipToRehearsal')}
              </button>
            </p>
            <ErrorBox error={finish.error} />
          </>
        ) : null}
        {step === 'number' && credentials ? (
          <NumberPicker credentials={credentials} numbers={numbers} onConnected={() => setStep('tunnel')} />
        ) : null}
        {step === 'tunnel' ? (
          <>
            <TunnelForm onConfigured={() => undefined} />
            {state.line.stages.tunnel.state !== 'waiting' ? <Pipeline status={state.line} /> : null}
            <button type="button" className="primary" disabled={!state.line.ready} onClick={() => setStep('prompts')}>
              {t('next')}
            </button>
          </>
        ) : null}
        {step === 'prompts' ? (
          <>
            <PromptsEditor settings={state.settings} onSaved={() => setStep('done')} />
          </>
        ) : null}
        {step === 'done' ? (
          <div>
            <h2>{t('doneTitle')}</h2>
            <p>{t('doneText')}</p>
            <button type="button" className="primary" onClick={() => void finish.run('finishSetup', { mode: 'live' })}>
              {t('goHome')}
            </button>
          </div>
        ) : null}
      </section>
    </main>
  );
}
