import { useState } from 'react';
import type { ApiOutputs, PhoneNumberChoice } from '../../../server/api/contract.ts';
import { useT } from '../app-context.tsx';
import { useCall } from '../use-call.ts';
import { ErrorBox } from './error-box.tsx';

/** Step 1: credentials, checked with Twilio before anything is saved. */
export function TwilioCredentialsForm(props: {
  readonly onChecked: (credentials: Credentials, result: ApiOutputs['checkTwilio']) => void;
}) {
  const t = useT();
  const [accountSid, setAccountSid] = useState('');
  const [authToken, setAuthToken] = useState('');
  const [apiKeySid, setApiKeySid] = useState('');
  const [apiKeySecret, setApiKeySecret] = useState('');
  const { busy, error, run } = useCall();
  const credentials: Credentials = { accountSid, authToken, ...(apiKeySid ? { apiKeySid, apiKeySecret } : {}) };
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault();
        const result = await run('checkTwilio', credentials);
        if (result) props.onChecked(credentials, result);
      }}
    >
      <p>{t('twilioIntro')}</p>
      <label>
        {t('accountSid')}
        <input name="accountSid" value={accountSid} onChange={(e) => setAccountSid(e.target.value)} autoComplete="off" spellCheck={false} placeholder="AC…" />
      </label>
      <label>
        {t('authToken')}
        <input name="authToken" type="password" value={authToken} onChange={(e) => setAuthToken(e.target.value)} autoComplete="off" />
      </label>
      <details>
        <summary>{t('apiKeyOptional')}</summary>
        <label>
          {t('apiKeySid')}
          <input name="apiKeySid" value={apiKeySid} onChange={(e) => setApiKeySid(e.target.value)} autoComplete="off" placeholder="SK…" />
        </label>
        <label>
          {t('apiKeySecret')}
          <input name="apiKeySecret" type="password" value={apiKeySecret} onChange={(e) => setApiKeySecret(e.target.value)} autoComplete="off" />
        </label>
      </details>
      <ErrorBox error={error} />
      <button type="submit" className="primary" disabled={busy || !accountSid || !authToken}>
        {busy ? t('working') : t('check')}
      </button>
      {error?.code === 'twilio-trial-account' ? (
        // On a trial only verified numbers can call: fine for testing, not for the wedding.
        <button
          type="button"
          className="beside"
          disabled={busy}
          onClick={async () => {
            const trial = { ...credentials, allowTrial: true };
            const result = await run('checkTwilio', trial);
            if (result) props.onChecked(trial, result);
          }}
        >
          {t('continueTrial')}
        </button>
      ) : null}
    </form>
  );
}

export interface Credentials {
  readonly accountSid: string;
  readonly authToken: string;
  readonly apiKeySid?: string;
  readonly apiKeySecret?: string;
  /** The organiser chose to test with a trial account (only verified numbers can call). */
  readonly allowTrial?: boolean;
}

/** Step 2: pick the number; a number answering another app is only taken over after the organiser agrees. */
export function NumberPicker(props: {
  readonly credentials: Credentials;
  readonly numbers: readonly PhoneNumberChoice[];
  readonly onConnected: (phoneNumber: string) => void;
}) {
  const t = useT();
  const [chosen, setChosen] = useState(props.numbers[0]?.phoneNumber ?? '');
  const [confirm, setConfirm] = useState<string | null>(null);
  const { busy, error, run } = useCall();
  const connect = async (takeOver: boolean) => {
    const result = await run('connectTwilio', { ...props.credentials, phoneNumber: chosen, takeOver });
    if (!result) return;
    if (result.kind === 'needs-confirmation') setConfirm(result.currentVoiceUrl);
    else props.onConnected(result.phoneNumber);
  };
  return (
    <div>
      <p>{t('numberIntro')}</p>
      {props.credentials.allowTrial ? (
        <p className="warn-text" data-testid="trial-notice">
          {t('trialNotice')}
        </p>
      ) : null}
      <div role="radiogroup" className="choices">
        {props.numbers.map((n) => (
          <label key={n.sid} className="choice">
            <input type="radio" name="number" value={n.phoneNumber} checked={chosen === n.phoneNumber} onChange={() => setChosen(n.phoneNumber)} />
            <strong>{n.phoneNumber}</strong> <span className="muted">{n.friendlyName}</span>
            {n.currentVoiceUrl ? (
              <div className="warn-text small">
                {t('answersOther')} {n.currentVoiceUrl}
              </div>
            ) : null}
          </label>
        ))}
      </div>
      {confirm ? (
        <div className="confirm" role="alertdialog">
          <p>{t('takeOverQuestion')}</p>
          <p className="muted small">{confirm}</p>
          <button type="button" className="primary" disabled={busy} onClick={() => void connect(true)}>
            {t('takeOver')}
          </button>
        </div>
      ) : null}
      <ErrorBox error={error} />
      {!confirm ? (
        <button type="button" className="primary" disabled={busy || !chosen} onClick={() => void connect(false)}>
          {busy ? t('working') : t('next')}
        </button>
      ) : null}
    </div>
  );
}
