import { useState } from 'react';
import type { AppState, OrganiserApi, PhoneNumberChoice } from '../../../server/api/contract.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { GuestLinkCard } from '../components/guest-link-card.tsx';
import { PromptsEditor } from '../components/prompts-editor.tsx';
import { TunnelForm } from '../components/tunnel-form.tsx';
import { NumberPicker, TwilioCredentialsForm, type Credentials } from '../components/twilio-form.tsx';
import { t } from '../i18n.ts';
import { useCall } from '../use-call.ts';

/** Credentials, number, tunnel, prompts, message length, surprise list, data folder, privacy. */
export function Settings({ api, state }: { readonly api: OrganiserApi; readonly state: AppState }) {
  const { language, settings } = state;
  const [credentials, setCredentials] = useState<Credentials | null>(null);
  const [numbers, setNumbers] = useState<readonly PhoneNumberChoice[]>([]);
  const [maxLength, setMaxLength] = useState(String(settings.maxLengthSeconds));
  const [surprise, setSurprise] = useState(settings.surpriseNumbers.join('\n'));
  const [saved, setSaved] = useState(false);
  const line = useCall(api);
  const privacy = useCall(api);
  const alwaysOn = useCall(api);
  return (
    <main className="settings">
      <section className="card">
        <h2>{t(language, 'twilioSection')}</h2>
        <p className="muted">
          {state.twilio.configured ? `${t(language, 'configured')}: ${state.twilio.accountSid ?? ''} · ${state.twilio.phoneNumber ?? ''}` : t(language, 'notConfigured')}
        </p>
        {credentials ? (
          <NumberPicker api={api} language={language} credentials={credentials} numbers={numbers} onConnected={() => setCredentials(null)} />
        ) : (
          <TwilioCredentialsForm
            api={api}
            language={language}
            onChecked={(creds, result) => {
              setCredentials(creds);
              setNumbers(result.numbers);
            }}
          />
        )}
      </section>
      <section className="card">
        <h2>{t(language, 'tunnelSection')}</h2>
        <p className="muted">{state.tunnel.publicUrl ?? t(language, 'notConfigured')}</p>
        <TunnelForm api={api} language={language} onConfigured={() => undefined} />
      </section>
      <section className="card">
        <h2>{t(language, 'lineSection')}</h2>
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            setSaved(false);
            const surpriseNumbers = surprise.split('\n').map((s) => s.trim()).filter(Boolean);
            if (await line.run('saveLineSettings', { settings: { ...settings, maxLengthSeconds: Number(maxLength), surpriseNumbers } })) setSaved(true);
          }}
        >
          <label>
            {t(language, 'maxLength')}
            <input name="maxLength" type="number" min={10} max={600} value={maxLength} onChange={(e) => setMaxLength(e.target.value)} />
          </label>
          <label>
            {t(language, 'surpriseList')}
            <textarea name="surpriseNumbers" rows={3} value={surprise} onChange={(e) => setSurprise(e.target.value)} placeholder="090-1234-5678" />
          </label>
          <p className="muted small">{t(language, 'surpriseHelp')}</p>
          <ErrorBox error={line.error} language={language} />
          <button type="submit" className="primary" disabled={line.busy}>
            {t(language, 'save')}
          </button>
          {saved ? <span className="ok-text"> ✓ {t(language, 'saved')}</span> : null}
        </form>
      </section>
      <section className="card">
        <h2>{t(language, 'stepPrompts')}</h2>
        <PromptsEditor api={api} language={language} settings={settings} />
      </section>
      <GuestLinkCard api={api} state={state} full />
      <section className="card" data-testid="always-on">
        <h2>{t(language, 'alwaysOnSection')}</h2>
        <p className="muted small">{t(language, 'alwaysOnHelp')}</p>
        <label className="inline">
          <input type="checkbox" name="alwaysOn" checked={state.alwaysOn.enabled} onChange={(e) => void alwaysOn.run('setAlwaysOn', { enabled: e.target.checked })} />{' '}
          {t(language, 'alwaysOnToggle')}
        </label>
        <p>
          {t(language, `alwaysOn_${state.alwaysOn.state}`)} · {t(language, 'lineModeAfterQuit')}: <strong>{state.alwaysOn.modeAfterQuit[language]}</strong>
        </p>
        <ErrorBox error={state.alwaysOn.problem} language={language} />
        <ErrorBox error={alwaysOn.error} language={language} />
        <button type="button" disabled={alwaysOn.busy} onClick={() => void alwaysOn.run('uninstallAlwaysOn', {})}>
          {t(language, 'uninstallAlwaysOn')}
        </button>
      </section>
      <section className="card">
        <h2>{t(language, 'privacySection')}</h2>
        <label className="inline">
          <input
            type="checkbox"
            name="deleteFromTwilio"
            checked={state.privacy.deleteFromTwilioAfterDownload}
            onChange={(e) => void privacy.run('setPrivacy', { deleteFromTwilioAfterDownload: e.target.checked })}
          />{' '}
          {t(language, 'deleteFromTwilio')}
        </label>
        <ErrorBox error={privacy.error} language={language} />
        <h2>{t(language, 'dataFolder')}</h2>
        <code data-testid="data-folder">{state.dataDir}</code>
      </section>
    </main>
  );
}
