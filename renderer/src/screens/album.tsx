import { useEffect, useRef, useState } from 'react';
import type { AlbumView, OrganiserState } from '../../../server/api/contract.ts';
import type { AlbumArrangement } from '../../../server/api/contract.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { useApi, useLanguage, useT } from '../app-context.tsx';
import { toBase64 } from '../base64.ts';
import { callerLabel, formatDuration, type StringKey } from '../i18n.ts';
import { gt } from '../guests/guest-strings.ts';
import { useCall } from '../use-call.ts';

/** Pick and order the messages, name the album, add a cover, export with progress. */
export function Album({ state }: { readonly state: OrganiserState }) {
  const api = useApi();
  const language = useLanguage();
  const t = useT();
  const [view, setView] = useState<AlbumView | null>(null);
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [shownPath, setShownPath] = useState<string | null>(null);
  // What the folder field shows is where the album goes: it is the export's input, never reset by another save.
  const [folder, setFolder] = useState<string | null>(null);
  // The arrangement as last changed here, so two quick saves (blur, then a tick) never undo each other;
  // shown at once (a tick shows ticked while it is being saved), the ref tells which save is the last.
  const latest = useRef<AlbumArrangement | null>(null);
  const [pending, setPending] = useState<AlbumArrangement | null>(null);
  const { error, run } = useCall();
  const exporting = useCall();
  const running = state.export.running;

  // Reload when the library or an export changes.
  useEffect(() => {
    void api.call('getAlbum', {}).then((result) => {
      if (result.ok) setView(result.value);
    });
  }, [api, state.messages, state.export.running]);

  if (!view) return <main className="loading">…</main>;
  const arrangement = pending ?? view.arrangement;
  const shownFolder = folder ?? arrangement.outputDir ?? '';
  const save = async (next: AlbumArrangement) => {
    latest.current = next;
    setPending(next);
    const result = await run('saveAlbum', { arrangement: next });
    if (result && latest.current === next) {
      latest.current = null;
      setPending(null);
      setView(result);
    }
  };
  const chooseFolder = async () => {
    const result = await run('chooseFolder', {});
    if (result?.path) setFolder(result.path);
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
        <h2>{t('album')}</h2>
        <div className="album-grid">
          <div>
            <label>
              {t('albumTitle')}
              <input name="albumTitle" defaultValue={arrangement.albumTitle} key={`t-${arrangement.albumTitle}`} onBlur={(e) => e.target.value !== arrangement.albumTitle && void save({ ...arrangement, albumTitle: e.target.value })} />
            </label>
            <label>
              {t('albumArtist')}
              <input name="albumArtist" defaultValue={arrangement.albumArtist} key={`a-${arrangement.albumArtist}`} onBlur={(e) => e.target.value !== arrangement.albumArtist && void save({ ...arrangement, albumArtist: e.target.value })} />
            </label>
            <label>
              {t('year')}
              <input name="year" type="number" defaultValue={arrangement.year} key={`y-${arrangement.year}`} onBlur={(e) => Number(e.target.value) !== arrangement.year && void save({ ...arrangement, year: Number(e.target.value) })} />
            </label>
            <label>
              {t('outputFolder')}
              <span className="row">
                <input
                  name="outputDir"
                  value={shownFolder}
                  readOnly={view.folderPicker}
                  placeholder={view.defaultOutputDir}
                  onChange={(e) => setFolder(e.target.value)}
                  // Remembered as typed once it is a full path; the export checks it again before writing.
                  onBlur={() => /^([A-Za-z]:[\\/]|\/)/.test(shownFolder) && shownFolder !== arrangement.outputDir && void save({ ...arrangement, outputDir: shownFolder })}
                  onClick={view.folderPicker ? () => void chooseFolder() : undefined}
                />
                {view.folderPicker ? (
                  <button type="button" onClick={() => void chooseFolder()}>
                    {t('chooseFolder')}
                  </button>
                ) : null}
              </span>
              {!view.folderPicker ? <span className="muted small">{t('outputFolderHelp')}</span> : null}
            </label>
            <label className="inline">
              <input type="checkbox" name="mix" checked={arrangement.mix.enabled} onChange={(e) => void save({ ...arrangement, mix: { ...arrangement.mix, enabled: e.target.checked } })} /> {t('mixOption')}
            </label>
            {arrangement.mix.enabled ? (
              <label className="inline">
                {t('gapSeconds')}{' '}
                <input type="number" name="gap" min={0} max={10} step={0.5} defaultValue={arrangement.mix.gapSeconds} onBlur={(e) => Number(e.target.value) !== arrangement.mix.gapSeconds && void save({ ...arrangement, mix: { ...arrangement.mix, gapSeconds: Number(e.target.value) } })} />
              </label>
            ) : null}
            <label className="inline">
              <input type="checkbox" name="zip" checked={arrangement.zip} onChange={(e) => void save({ ...arrangement, zip: e.target.checked })} /> {t('zipOption')}
            </label>
          </div>
          <div className="cover-box">
            {view.coverPreview ? <img src={view.coverPreview} alt={t('cover')} data-testid="cover-preview" /> : <div className="cover-empty">♪</div>}
            <label className="small">
              {t('cover')}
              <input
                type="file"
                className="file-input"
                name="cover"
                accept="image/jpeg,image/png"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  const result = await run('importCover', { fileName: file.name, dataBase64: toBase64(new Uint8Array(await file.arrayBuffer())) });
                  if (result) setView(result);
                }}
              />
              {/* The browser's own "Choose File" speaks the system's language, not the app's. */}
              <span className="file-button" aria-hidden="true">
                {t('chooseFile')}
              </span>
            </label>
          </div>
        </div>
        <ErrorBox error={error} />
      </section>

      <section className="card">
        <h2>{t('tracks')}</h2>
        {view.problems.map((p) => (
          <div key={`${p.recordingSid}-${p.position}`} className="error" role="alert" data-code={p.code}>
            {p.position}. {language === 'ja' ? p.ja : p.en}
          </div>
        ))}
        {view.unnamed.length > 0 ? (
          <div className="confirm" data-testid="album-unnamed">
            {gt(language, 'unnamedTracks', { n: view.unnamed.length })} {view.unnamed.map((u) => `${u.position}. ${u.title}`).join(' · ')}
          </div>
        ) : null}
        {view.tracks.length === 0 ? (
          <div className="empty-hint" data-testid="album-empty">
            <p>
              <strong>{t('albumEmpty')}</strong>
            </p>
            <p>{view.available.length > 0 ? t('albumEmptyAdd') : t('albumEmptyWhy')}</p>
          </div>
        ) : null}
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
              <span className="track-title" title={callerLabel(language, track.title)}>{callerLabel(language, track.title)}</span>
              <span className="muted small num">{formatDuration(language, track.seconds)}</span>
              <span className="track-status small" data-status={progress?.tracks.find((p) => p.recordingSid === track.recordingSid)?.status ?? ''}>
                {(() => {
                  const status = progress?.tracks.find((p) => p.recordingSid === track.recordingSid)?.status;
                  return status ? t(`track_${status}` as StringKey) : '';
                })()}
              </span>
              <button type="button" aria-label={t('moveUp')} disabled={running || index === 0} onClick={() => move(index, index - 1)}>↑</button>
              <button type="button" aria-label={t('moveDown')} disabled={running || index === view.tracks.length - 1} onClick={() => move(index, index + 1)}>↓</button>
              <button type="button" aria-label={t('remove')} disabled={running} onClick={() => void save({ ...arrangement, recordingSids: order.filter((s) => s !== track.recordingSid) })}>×</button>
            </li>
          ))}
        </ol>
        {view.available.length > 0 ? (
          <details open={view.tracks.length === 0}>
            <summary>{t('addable')} ({view.available.length})</summary>
            <ul className="addable">
              {view.available.map((track) => (
                <li key={track.recordingSid}>
                  {callerLabel(language, track.title)} <span className="muted small">{formatDuration(language, track.seconds)}</span>{' '}
                  <button type="button" disabled={running} onClick={() => void save({ ...arrangement, recordingSids: [...order, track.recordingSid] })}>
                    {t('add')}
                  </button>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      <section className="card">
        <div className="row">
          <button type="button" className="primary big" disabled={running || view.tracks.length === 0} onClick={() => void exporting.run('startExport', shownFolder.trim() ? { outputDir: shownFolder.trim() } : {})}>
            {t('exportAlbum')}
          </button>
          {running ? (
            <button type="button" onClick={() => void run('cancelExport', {})}>
              {t('cancelExport')}
            </button>
          ) : null}
        </div>
        {running || state.export.result || state.export.error ? (
          <div className="progress" role="progressbar" aria-valuenow={Math.round(fraction * 100)} aria-valuemin={0} aria-valuemax={100} data-testid="export-progress">
            <div className="progress-fill" style={{ width: `${Math.round(fraction * 100)}%` }} />
          </div>
        ) : null}
        {running && progress ? (
          <p className="muted small" data-testid="export-count" aria-live="polite">
            {tracksDone(language, progress.tracks.filter((p) => p.status === 'done' || p.status === 'skipped-unchanged').length, progress.tracks.length)}
          </p>
        ) : null}
        <ErrorBox error={exporting.error} />
        <ErrorBox error={state.export.error} />
        {state.export.result ? (
          <div className="done" data-testid="export-done">
            <strong>{t('exportDone')}</strong> — {trackCount(language, state.export.result.files)} · {t('exportWhere')}: <code>{state.export.result.outputDir}</code>{' '}
            <button
              type="button"
              onClick={async () => {
                const result = await run('showInFolder', {});
                if (result) setShownPath(result.opened ? null : result.path);
              }}
            >
              {t('showInFolder')}
            </button>
            {shownPath ? <div className="muted small">{shownPath}</div> : null}
          </div>
        ) : null}
      </section>
    </main>
  );
}

/** 「完了 1 / 3 曲」 / "1 of 3 tracks done": progress in words beside the bar. */
function tracksDone(language: 'ja' | 'en', done: number, total: number): string {
  return language === 'ja' ? `完了 ${done} / ${total} 曲` : `${done} of ${total} ${total === 1 ? 'track' : 'tracks'} done`;
}

/** 「3 曲」 / "3 tracks". */
function trackCount(language: 'ja' | 'en', n: number): string {
  return language === 'ja' ? `${n} 曲` : `${n} ${n === 1 ? 'track' : 'tracks'}`;
}
