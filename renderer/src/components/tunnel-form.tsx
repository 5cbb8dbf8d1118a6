import { useState } from 'react';
import type { ConnectionStatus } from '../../../server/api/contract.ts';
import { useT } from '../app-context.tsx';
import { useCall } from '../use-call.ts';
import { ErrorBox } from './error-box.tsx';
import { ExternalLink } from './external-link.tsx';

/** ngrok authtoken (why, and where to find it) or the organiser's own public URL. */
export function TunnelForm(props: { readonly onConfigured: (status: ConnectionStatus) => void }) {
  const t = useT();
  const [own, setOwn] = useState(false);
  const [authtoken, setAuthtoken] = useState('');
  const [domain, setDomain] = useState('');
  const [url, setUrl] = useState('');
  const { busy, error, run } = useCall();
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault();
        const status = await run('configureTunnel', own ? { kind: 'public-url', url } : { kind: 'ngrok', authtoken, ...(domain ? { domain } : {}) });
        if (status) props.onConfigured(status);
      }}
    >
      <p>{t('tunnelIntro')}</p>
      {!own ? (
        <>
          <p className="muted">
            {t('tunnelWhere')} <ExternalLink href="https://dashboard.ngrok.com/get-started/your-authtoken">{t('ngrokOpenToken')}</ExternalLink>
          </p>
          <label>
            {t('ngrokToken')}
            <input name="ngrokAuthtoken" type="password" value={authtoken} onChange={(e) => setAuthtoken(e.target.value)} autoComplete="off" />
          </label>
          <label>
            {t('ngrokDomain')}
            <input name="ngrokDomain" value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="example.ngrok.app" />
          </label>
        </>
      ) : (
        <label>
          {t('publicUrl')}
          <input name="publicUrl" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…" />
        </label>
      )}
      <label className="inline">
        <input type="checkbox" name="ownUrl" checked={own} onChange={(e) => setOwn(e.target.checked)} /> {t('ownUrl')}
      </label>
      <ErrorBox error={error} />
      <button type="submit" className="primary" disabled={busy || (own ? !url : !authtoken)}>
        {busy ? t('working') : t('connect')}
      </button>
    </form>
  );
}
