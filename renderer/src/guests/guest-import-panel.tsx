import { useState } from 'react';
import type { ApiOutputs } from '../../../server/api/contract.ts';
import type { GuestImportSourceInput } from '../../../server/api/contract.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { useLanguage } from '../app-context.tsx';
import { toBase64 } from '../base64.ts';
import { useCall } from '../use-call.ts';
import { gt } from './guest-strings.ts';

type Preview = ApiOutputs['previewGuestImport'];

/** Import from a file or pasted cells: a preview (guests + unreadable rows with the reason) before anything is saved. */
export function GuestImportPanel({ onImported }: { readonly onImported: (message: string) => void }) {
  const language = useLanguage();
  const { busy, error, run } = useCall();
  const [pasted, setPasted] = useState('');
  const [source, setSource] = useState<GuestImportSourceInput | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);

  const showPreview = async (next: GuestImportSourceInput) => {
    setSource(next);
    setPreview(await run('previewGuestImport', { source: next }));
  };
  const reset = () => {
    setSource(null);
    setPreview(null);
    setPasted('');
  };

  return (
    <section className="card" data-testid="guest-import">
      <h2>{gt(language, 'importTitle')}</h2>
      <p className="muted small">{gt(language, 'importHelp')}</p>
      {preview === null ? (
        <div className="import-inputs">
          <label className="import-file">
            {gt(language, 'fromFile')}{' '}
            <input
              type="file"
              className="file-input"
              disabled={busy}
              accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
              onChange={async (event) => {
                const file = event.target.files?.[0];
                event.target.value = '';
                if (file) await showPreview({ kind: 'file', fileName: file.name, dataBase64: toBase64(new Uint8Array(await file.arrayBuffer())) });
              }}
            />
            {/* The browser's own "Choose File" speaks the system's language, not the app's. */}
            <span className="file-button" aria-hidden="true">
              {gt(language, 'chooseFile')}
            </span>
          </label>
          <label>
            {gt(language, 'pasteHere')}
            <textarea rows={4} value={pasted} onChange={(e) => setPasted(e.target.value)} placeholder={'名前\t電話\tグループ\n山田 太郎\t090-1234-5678\t新郎友人'} />
          </label>
          <button type="button" disabled={busy || pasted.trim() === ''} onClick={() => void showPreview({ kind: 'text', text: pasted })}>
            {gt(language, 'preview')}
          </button>
        </div>
      ) : (
        <div className="import-preview" data-testid="import-preview">
          <p>
            <strong>{gt(language, 'previewOf', { n: preview.guests.length })}</strong>{' '}
            <span className="muted small">
              {gt(language, 'detected', { encoding: preview.encoding === 'pasted' ? gt(language, 'pasted') : preview.encoding, delimiter: gt(language, preview.delimiter) })}
            </span>
          </p>
          <table>
            <thead>
              <tr>
                <th>{gt(language, 'name')}</th>
                <th>{gt(language, 'phone')}</th>
                <th>{gt(language, 'group')}</th>
                <th>{gt(language, 'note')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.guests.slice(0, 50).map((g) => (
                <tr key={g.line}>
                  <td>{g.name}</td>
                  <td>{g.phone ?? ''}</td>
                  <td>{g.group}</td>
                  <td>{g.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.guests.length > 50 ? <p className="muted small">… +{preview.guests.length - 50}</p> : null}
          {preview.problems.length > 0 ? (
            <div className="problems" data-testid="import-problems">
              <h3>{gt(language, 'problemsTitle', { n: preview.problems.length })}</h3>
              <ul>
                {preview.problems.map((p) => (
                  <li key={p.line}>
                    <strong>{gt(language, 'lineN', { n: p.line })}</strong> {p.reason[language]} <span className="muted small">{p.text}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <div className="row">
            <button
              type="button"
              className="primary"
              disabled={busy || preview.guests.length === 0 || source === null}
              onClick={async () => {
                if (!source) return;
                const result = await run('importGuests', { source });
                if (result) {
                  reset();
                  onImported(gt(language, 'imported', { added: result.added, skipped: result.alreadyListed }));
                }
              }}
            >
              {gt(language, 'importNow')}
            </button>
            <button type="button" onClick={reset}>
              {gt(language, 'cancel')}
            </button>
          </div>
        </div>
      )}
      <ErrorBox error={error} />
    </section>
  );
}
