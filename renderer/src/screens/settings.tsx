import { useState } from 'react';
import type { OrganiserState, PhoneNumberChoice } from '../../../server/api/contract.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { GuestLinkCard } from '../components/guest-link-card.tsx';
import { PromptsEditor } from '../components/prompts-editor.tsx';
import { TunnelForm } from '../components/tunnel-form.tsx';
import { NumberPicker, TwilioCredentialsForm, type Credentials } from '../components/twilio-form.tsx';
import { useLanguage, useT } from '../app-context.tsx';
import { useCall } from '../use-call.ts';

/** Credentials, number, tunnel, prompts, message length, surprise list, data folder, privacy. */
export function Settings({ state }: { readonly state: OrganiserState }) {
  const { settings } = state;
  const language = useLanguage();
  const t = useT();
  const [credentials, setCredentials] = useState<Credentials | null>(null);
  const [numbers, setNumbers] = useState<readonly PhoneNumberChoice[]>([]);
  const [maxLength, setMaxLength] = useState(String(settings.maxLengthSeconds));
  const [surprise, setSurprise] = useState(settings.surpriseNumbers.join('\n'));
  const [askName, setAskName] = useState(settings.askName);
  const [saved, setSaved] = useState(false);
  const line = useCall();
  const privacy = useCall();
  const alwaysOn = useCall();
  return (
    <main className="settings">
      <section className="card">
        <h2>{t('twilioSection')}</h2>
        <p className="muted">
          {state.twilio.configured ? `${t('configured')}: ${state.twilio.accountSid ?? ''} · ${state.twilio.phoneNumber ?? ''}` : t('notConfigured')}
        </p>
        {credentials ? (
          <NumberPicker credentials={credentials} numbers={numbers} onConnected={() => setCredentials(null)} />
        ) : (
          <TwilioCredentialsForm
            onChecked={(creds, result) => {
              setCredentials(creds);
              setNumbers(result.numbers);
            }}
          />
        )}
      </section>
      <section className="card">
        <h2>{t('tunnelSection')}</h2>
        <p className="muted">{state.tunnel.publicUrl ?? t('notConfigured')}</p>
        <TunnelForm onConfigured={() => undefined} />
      </section>
      <section className="card">
        <h2>{t('lineSection')}</h2>
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            setSaved(false);
            const surpriseNumbers = surprise.split('\n').map((s) => s.trim()).filter(Boolean);
            if (await line.run('saveFlowSettings', { settings: { ...settings, maxLengthSeconds: Number(maxLength), surpriseNumbers, askName } })) setSaved(true);
          }}
        >
          <label>
            {t('maxLength')}
            <input name="maxLength" type="number" min={10} max={600} value={maxLength} onChange={(e) => setMaxLength(e.target.value)} />
          </label>
          <label className="inline">
            <input type="checkbox" name="askName" checked={askName} onChange={(e) => setAskName(e.target.checked)} /> {t('askNameToggle')}
          </label>
          <p className="muted small">{t('askNameHelp')}</p>
          <label>
            {t('surpriseList')}
            <textarea name="surpriseNumbers" rows={3} value={surprise} onChange={(e) => setSurprise(e.target.value)} placeholder="090-1234-5678" />
          </label>
          <p className="muted small">{t('surpriseHelp')}</p>
          <ErrorBox error={line.error} />
          <button type="submit" className="primary" disabled={line.busy}>
            {t('save')}
          </button>
          {saved ? <span className="ok-text"> ✓ {t('saved')}</span> : null}
        </form>
      </section>
      <section className="card">
        <h2>{t('stepPrompts')}</h2>
        {/* Re-read whenever the saved greetings change, so the editor always shows what is saved. */}
        <PromptsEditor key={JSON.stringify([settings.language, settings.prompts])} settings={settings} />
      </section>
      <GuestLinkCard state={state} full />
      <section className="card" data-testid="always-on">
        <h2>{t('alwaysOnSection')}</h2>
        <p className="muted small">{t('alwaysOnHelp')}</p>
        <label className="inline">
          <input type="checkbox" name="alwaysOn" checked={state.alwaysOn.enabled} onChange={(e) => void alwaysOn.run('setAlwaysOn', { enabled: e.target.checked })} />{' '}
          {t('alwaysOnToggle')}
        </label>
        <p>
          {t('alwaysOnNow')}: <strong>{t(`alwaysOn_${state.alwaysOn.state}`)}</strong>
          <br />
          {t('lineModeAfterQuit')}: <strong>{state.alwaysOn.modeAfterQuit[language]}</strong>
        </p>
        <ErrorBox error={state.alwaysOn.problem} />
        <ErrorBox error={alwaysOn.error} />
        <button type="button" disabled={alwaysOn.busy} onClick={() => void alwaysOn.run('uninstallAlwaysOn', {})}>
          {t('uninstallAlwaysOn')}
        </button>
      </section>
      <section className="card">
        <h2>{t('privacySection')}</h2>
        <label className="inline">
          <input
            type="checkbox"
            name="deleteFromTwilio"
            checked={state.privacy.deleteFromTwilioAfterDownload}
            onChange={(e) => void privacy.run('setPrivacy', { deleteFromTwilioAfterDownload: e.target.checked })}
          />{' '}
          {t('deleteFromTwilio')}
        </label>
        <ErrorBox error={privacy.error} />
        <h2>{t('dataFolder')}</h2>
        <code data-testid="data-folder">{state.dataDir}</code>
      </section>
    </main>
  );
}
