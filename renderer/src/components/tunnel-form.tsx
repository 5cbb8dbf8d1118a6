import { useState } from 'react';
import type { Language, OrganiserApi } from '../../../server/api/contract.ts';
import type { LineStatus } from '../../../server/api/contract.ts';
import { t } from '../i18n.ts';
import { useCall } from '../use-call.ts';
import { ErrorBox } from './error-box.tsx';

/** ngrok authtoken (why, and where to find it) or the organiser's own public URL. */
export function TunnelForm(props: { readonly api: OrganiserApi; readonly language: Language; readonly onConfigured: (status: LineStatus) => void }) {
  const { language } = props;
  const [own, setOwn] = useState(false);
  const [authtoken, setAuthtoken] = useState('');
  const [domain, setDomain] = useState('');
  const [url, setUrl] = useState('');
  const { busy, error, run } = useCall(props.api);
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault();
        const status = await run('configureTunnel', own ? { kind: 'public-url', url } : { kind: 'ngrok', authtoken, ...(domain ? { domain } : {}) });
        if (status) props.onConfigured(status);
      }}
    >
      <p>{t(language, 'tunnelIntro')}</p>
      {!own ? (
        <>
          <p className="muted">{t(language, 'tunnelWhere')}</p>
          <label>
            {t(language, 'ngrokToken')}
            <input name="ngrokAuthtoken" type="password" value={authtoken} onChange={(e) => setAuthtoken(e.target.value)} autoComplete="off" />
          </label>
          <label>
            {t(language, 'ngrokDomain')}
            <input name="ngrokDomain" value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="example.ngrok.app" />
          </label>
        </>
      ) : (
        <label>
          {t(language, 'publicUrl')}
          <input name="publicUrl" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…" />
        </label>
      )}
      <label className="inline">
        <input type="checkbox" name="ownUrl" checked={own} onChange={(e) => setOwn(e.target.checked)} /> {t(language, 'ownUrl')}
      </label>
      <ErrorBox error={error} language={language} />
      <button type="submit" className="primary" disabled={busy || (own ? !url : !authtoken)}>
        {busy ? t(language, 'working') : t(language, 'connect')}
      </button>
    </form>
  );
}
