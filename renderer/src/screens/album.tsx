import { useEffect, useState } from 'react';
import type { AlbumView, AppState, OrganiserApi } from '../../../server/api/contract.ts';
import type { AlbumArrangement } from '../../../server/api/contract.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { callerLabel, t, type StringKey } from '../i18n.ts';
import { toBase64 } from '../rehearsal/mic.ts';
import { useCall } from '../use-call.ts';

/** Pick and order the messages, name the album, add a cover, export with progress. */
export function Album({ api, state }: { readonly api: OrganiserApi; readonly state: AppState }) {
  const { language } = state;
  const [view, setView] = useState<AlbumView | null>(null);
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [shownPath, setShownPath] = useState<string | null>(null);
  const { error, run } = useCall(api);
  const running = state.export.running;

  // Reload when the library or an export changes.
  useEffect(() => {
    void api.call('getAlbum', {}).then((result) => {
      if (result.ok) setView(result.value);
    });
  }, [api, state.messages, state.export.running]);

  if (!view) return <main className="loading">…</main>;
  const arrangement = view.arrangement;
  const save = async (next: AlbumArrangement) => {
    const result = await run('saveAlbum', { arrangement: next });
    if (result) setView(result);
  };
  const order = [...arrangement.recordingSids];
  const move = (from: number, to: number) => {
    if (to < 0 || to >= order.length || from === to) return;
    const [sid] = order.splice(from, 1);
    if (sid) order.splice(to, 0, sid);
    void save({ ...arrangement, recordingSids: order });
  };
  const progress = state.export.progress;
  const fraction = progress?.fraction ?? (state.export.result ? 1 : 0);

  return (
    <main className="wide album">
      <section className="card">
        <h2>{t(language, 'album')}</h2>
        <div className="album-grid">
          <div>
            <label>
              {t(language, 'albumTitle')}
              <input name="albumTitle" defaultValue={arrangement.albumTitle} key={`t-${arrangement.albumTitle}`} onBlur={(e) => e.target.value !== arrangement.albumTitle && void save({ ...arrangement, albumTitle: e.target.value })} />
            </label>
            <label>
              {t(language, 'albumArtist')}
              <input name="albumArtist" defaultValue={arrangement.albumArtist} key={`a-${arrangement.albumArtist}`} onBlur={(e) => e.target.value !== arrangement.albumArtist && void save({ ...arrangement, albumArtist: e.target.value })} />
            </label>
            <label>
              {t(language, 'year')}
              <input name="year" type="number" defaultValue={arrangement.year} key={`y-${arrangement.year}`} onBlur={(e) => Number(e.target.value) !== arrangement.year && void save({ ...arrangement, year: Number(e.target.value) })} />
            </label>
            <label>
              {t(language, 'outputFolder')}
              <input name="outputDir" defaultValue={arrangement.outputDir ?? ''} key={`o-${arrangement.outputDir ?? ''}`} placeholder={view.defaultOutputDir} onBlur={(e) => (e.target.value || null) !== arrangement.outputDir && void save({ ...arrangement, outputDir: e.target.value || null })} />
            </label>
            <label className="inline">
              <input type="checkbox" name="mix" checked={arrangement.mix.enabled} onChange={(e) => void save({ ...arrangement, mix: { ...arrangement.mix, enabled: e.target.checked } })} /> {t(language, 'mixOption')}
            </label>
            {arrangement.mix.enabled ? (
              <label className="inline">
                {t(language, 'gapSeconds')}{' '}
                <input type="number" name="gap" min={0} max={10} step={0.5} defaultValue={arrangement.mix.gapSeconds} onBlur={(e) => void save({ ...arrangement, mix: { ...arrangement.mix, gapSeconds: Number(e.target.value) } })} />
              </label>
            ) : null}
            <label className="inline">
              <input type="checkbox" name="zip" checked={arrangement.zip} onChange={(e) => void save({ ...arrangement, zip: e.target.checked })} /> {t(language, 'zipOption')}
            </label>
          </div>
          <div className="cover-box">
            {view.coverPreview ? <img src={view.coverPreview} alt={t(language, 'cover')} data-testid="cover-preview" /> : <div className="cover-empty">♪</div>}
            <label className="small">
              {t(language, 'cover')}
              <input
                type="file"
                name="cover"
                accept="image/jpeg,image/png"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  const result = await run('importCover', { fileName: file.name, dataBase64: toBase64(new Uint8Array(await file.arrayBuffer())) });
                  if (result) setView(result);
                }}
              />
            </label>
          </div>
        </div>
        <ErrorBox error={error} language={language} />
      </section>

      <section className="card">
        <h2>{t(language, 'tracks')}</h2>
        {view.problems.map((p) => (
          <div key={`${p.recordingSid}-${p.position}`} className="error" role="alert" data-code={p.code}>
            {p.position}. {language === 'ja' ? p.ja : p.en}
          </div>
        ))}
        <ol className="tracklist" data-testid="tracklist">
          {view.tracks.map((track, index) => (
            <li
              key={track.recordingSid}
              data-recording={track.recordingSid}
              draggable
              onDragStart={() => setDragFrom(index)}
              onDragOver={(e) => e.preventDefault()}
              onDrop={() => {
                if (dragFrom !== null) move(dragFrom, index);
                setDragFrom(null);
              }}
            >
              <span className="grip" aria-hidden>⋮⋮</span>
              <span className="track-title">{callerLabel(language, track.title)}</span>
              <span className="muted small">{track.seconds.toFixed(1)} s</span>
              <span className="track-status small" data-status={progress?.tracks.find((p) => p.recordingSid === track.recordingSid)?.status ?? ''}>
                {(() => {
                  const status = progress?.tracks.find((p) => p.recordingSid === track.recordingSid)?.status;
                  return status ? t(language, `track_${status}` as StringKey) : '';
                })()}
              </span>
              <button type="button" aria-label={t(language, 'moveUp')} disabled={running || index === 0} onClick={() => move(index, index - 1)}>↑</button>
              <button type="button" aria-label={t(language, 'moveDown')} disabled={running || index === view.tracks.length - 1} onClick={() => move(index, index + 1)}>↓</button>
              <button type="button" aria-label={t(language, 'remove')} disabled={running} onClick={() => void save({ ...arrangement, recordingSids: order.filter((s) => s !== track.recordingSid) })}>×</button>
            </li>
          ))}
        </ol>
        {view.available.length > 0 ? (
          <details>
            <summary>{t(language, 'addable')} ({view.available.length})</summary>
            <ul className="addable">
              {view.available.map((track) => (
                <li key={track.recordingSid}>
                  {callerLabel(language, track.title)} <span className="muted small">{track.seconds.toFixed(1)} s</span>{' '}
                  <button type="button" disabled={running} onClick={() => void save({ ...arrangement, recordingSids: [...order, track.recordingSid] })}>
                    {t(language, 'add')}
                  </button>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      <section className="card">
        <div className="row">
          <button type="button" className="primary big" disabled={running || view.tracks.length === 0} onClick={() => void run('startExport', {})}>
            {t(language, 'exportAlbum')}
          </button>
          {running ? (
            <button type="button" onClick={() => void run('cancelExport', {})}>
              {t(language, 'cancelExport')}
            </button>
          ) : null}
        </div>
        {running || state.export.result || state.export.error ? (
          <div className="progress" role="progressbar" aria-valuenow={Math.round(fraction * 100)} aria-valuemin={0} aria-valuemax={100} data-testid="export-progress">
            <div className="progress-fill" style={{ width: `${Math.round(fraction * 100)}%` }} />
          </div>
        ) : null}
        <ErrorBox error={state.export.error} language={language} />
        {state.export.result ? (
          <div className="done" data-testid="export-done">
            <strong>{t(language, 'exportDone')}</strong> — {state.export.result.files} MP3 · {t(language, 'exportWhere')}: <code>{state.export.result.outputDir}</code>{' '}
            <button
              type="button"
              onClick={async () => {
                const result = await run('showInFolder', {});
                if (result) setShownPath(result.opened ? null : result.path);
              }}
            >
              {t(language, 'showInFolder')}
            </button>
            {shownPath ? <div className="muted small">{shownPath}</div> : null}
          </div>
        ) : null}
      </section>
    </main>
  );
}
