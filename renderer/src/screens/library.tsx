import { useEffect, useMemo, useRef, useState } from 'react';
import type { MediaClip, OrganiserState } from '../../../server/api/contract.ts';
import type { LibraryEntry } from '../../../server/api/contract.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { useApi, useLanguage, useT } from '../app-context.tsx';
import { GuestChoice } from '../guests/guest-choice.tsx';
import { callerLabel, formatDuration, type StringKey } from '../i18n.ts';
import { useCall } from '../use-call.ts';
import { Trimmer } from './trimmer.tsx';

type Sort = 'newest' | 'oldest' | 'caller' | 'length';

/** What is playing: a message by its RecordingSid, its name clip by `name:` and the same. */
function playKey(entry: LibraryEntry, clip: MediaClip): string {
  return clip === 'take' ? entry.recordingSid : `name:${entry.recordingSid}`;
}

/** Every take in one list: filter, sort, play, name the caller, note, album, trash with undo, trim. */
export function Library({ state }: { readonly state: OrganiserState }) {
  const api = useApi();
  const language = useLanguage();
  const t = useT();
  const [entries, setEntries] = useState<readonly LibraryEntry[]>([]);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState('all');
  const [showTrash, setShowTrash] = useState(false);
  const [sort, setSort] = useState<Sort>('newest');
  const [playing, setPlaying] = useState<string | null>(null);
  const [undoTrash, setUndoTrash] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [unplayable, setUnplayable] = useState<string | null>(null);
  const { error, run } = useCall();
  const audio = useRef<HTMLAudioElement | null>(null);

  // Refetch when the stored data changed (a new message, a download, a name), not on every push.
  useEffect(() => {
    void api.call('getLibrary', {}).then((result) => {
      if (result.ok) setEntries(result.value.entries);
    });
  }, [api, state.revision]);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = entries.filter(
      (e) =>
        e.trashed === showTrash &&
        (status === 'all' || e.status === status || (status === 'rehearsal' && e.source === 'rehearsal')) &&
        (q === '' || [e.callerName ?? '', e.callerNumber, e.note].some((s) => s.toLowerCase().includes(q))),
    );
    const by: Record<Sort, (a: LibraryEntry, b: LibraryEntry) => number> = {
      newest: (a, b) => b.createdAt.localeCompare(a.createdAt),
      oldest: (a, b) => a.createdAt.localeCompare(b.createdAt),
      caller: (a, b) => (a.callerName ?? a.callerNumber).localeCompare(b.callerName ?? b.callerNumber, language),
      length: (a, b) => b.durationSeconds - a.durationSeconds,
    };
    return [...list].sort(by[sort]);
  }, [entries, query, status, showTrash, sort, language]);

  // A command returns the entries it changed; the rest of the list stays as it is.
  const apply = (result: { entries: readonly LibraryEntry[] } | null) => {
    if (!result) return;
    const changed = new Map(result.entries.map((e) => [e.recordingSid, e]));
    setEntries((list) => list.map((e) => changed.get(e.recordingSid) ?? e));
  };
  /** Plays (or pauses) a message, or its name clip: one player, so starting one stops the other. */
  const togglePlay = (entry: LibraryEntry, clip: MediaClip = 'take') => {
    const element = audio.current;
    if (!element) return;
    const key = playKey(entry, clip);
    if (playing === key) {
      element.pause();
      setPlaying(null);
      return;
    }
    element.src = api.mediaUrl(entry.recordingSid, clip);
    setUnplayable(null);
    // A message that can't play says so on its row (not only in the console).
    element.play().catch(() => {
      setUnplayable(entry.recordingSid);
      setPlaying(null);
    });
    setPlaying(key);
  };
  // 11/23 10:00 in Japanese: short enough to stay on one line beside the names.
  const time = new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-GB', { month: language === 'ja' ? 'numeric' : 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const openEntry = entries.find((e) => e.recordingSid === open);
  if (openEntry) return <Trimmer entry={openEntry} onClose={() => setOpen(null)} />;

  return (
    <main className="wide">
      <audio
        ref={audio}
        onEnded={() => setPlaying(null)}
        onError={() => {
          setUnplayable(playing);
          setPlaying(null);
        }}
      />
      <section className="card">
        <h2>{t('library')}</h2>
        <div className="toolbar">
          <input type="search" aria-label={t('search')} placeholder={t('search')} value={query} onChange={(e) => setQuery(e.target.value)} />
          <select aria-label={t('statusCol')} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="all">{t('allStatuses')}</option>
            {(['kept', 'unconfirmed', 'superseded', 'empty', 'pending'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`take_${s}`)}
              </option>
            ))}
          </select>
          <select aria-label="sort" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            <option value="newest">{t('sortNewest')}</option>
            <option value="oldest">{t('sortOldest')}</option>
            <option value="caller">{t('sortCaller')}</option>
            <option value="length">{t('sortLength')}</option>
          </select>
          <label className="inline">
            <input type="checkbox" checked={showTrash} onChange={(e) => setShowTrash(e.target.checked)} /> {t('showTrash')}
          </label>
        </div>
        {undoTrash ? (
          <div className="toast" role="status">
            {t('trashed')}{' '}
            <button
              type="button"
              className="link"
              onClick={async () => {
                apply(await run('updateTake', { recordingSid: undoTrash, trashed: false }));
                setUndoTrash(null);
              }}
            >
              {t('undo')}
            </button>
          </div>
        ) : null}
        <ErrorBox error={error} />
        {shown.length === 0 ? (
          <p className="muted" data-testid="library-empty">{showTrash ? t('trashEmpty') : t('noMessages')}</p>
        ) : (
          <table data-testid="library">
            <thead>
              <tr>
                <th />
                <th>{t('nameCol')}</th>
                <th>{t('timeCol')}</th>
                <th>{t('durationCol')}</th>
                <th>{t('statusCol')}</th>
                <th>{t('healthCol')}</th>
                <th>{t('albumCol')}</th>
                <th>{t('noteCol')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr key={e.recordingSid} data-recording={e.recordingSid} data-status={e.status}>
                  <td>
                    <button type="button" className="icon" disabled={!e.downloaded || e.healthError !== null} aria-label={playing === e.recordingSid ? t('pause') : t('play')} onClick={() => togglePlay(e)}>
                      {playing === e.recordingSid ? '❚❚' : '▶'}
                    </button>
                  </td>
                  <td>
                    <div className="name-field">
                      <input
                        className="name"
                        aria-label={`${t('nameCol')} ${callerLabel(language, e.callerNumber)}`}
                        title={e.callerName ?? undefined}
                        defaultValue={e.callerName ?? ''}
                        key={`${e.recordingSid}-${e.callerName ?? ''}`}
                        placeholder={t('namePlaceholder')}
                        onBlur={async (event) => {
                          // Names this message only; it becomes the default for the caller's unnamed messages.
                          if (event.target.value !== (e.callerName ?? '')) apply(await run('nameTake', { recordingSid: e.recordingSid, name: event.target.value }));
                        }}
                      />
                      {e.nameClip ? (
                        // The guest saying their name: listen while typing it (the focus stays where it is).
                        <button
                          type="button"
                          className="name-clip"
                          data-testid="name-clip"
                          disabled={e.nameClip.localFile === null}
                          title={e.nameClip.localFile === null ? t('nameClipNotHome') : t('nameClipHelp')}
                          aria-label={playing === playKey(e, 'name') ? t('pause') : t('playNameClip')}
                          onMouseDown={(event) => event.preventDefault()}
                          onClick={() => togglePlay(e, 'name')}
                        >
                          {playing === playKey(e, 'name') ? '❚❚' : '▶'} {t('nameClipShort')}
                        </button>
                      ) : null}
                    </div>
                    <div className="muted small caller-id" title={callerLabel(language, e.callerNumber)}>
                      {callerLabel(language, e.callerNumber)}
                      {e.nameSource === 'caller' ? (
                        <span className="name-default" data-testid="name-default" title={t('nameDefaultHelp')}>
                          {' '}· {t('nameDefault')}
                        </span>
                      ) : null}
                    </div>
                    <GuestChoice entry={e} onChange={(entries) => setEntries(entries)} />
                    {unplayable === e.recordingSid ? (
                      <div className="error-text small" role="alert" data-testid="cannot-play">
                        {t('cannotPlay')}
                      </div>
                    ) : null}
                  </td>
                  <td className="when">{time.format(new Date(e.createdAt))}</td>
                  <td className="num" data-testid="duration">
                    {formatDuration(language, e.edit ? e.edit.endSeconds - e.edit.startSeconds : (e.health?.durationSeconds ?? e.durationSeconds))}
                    {e.edit ? <div className="pill edited" data-testid="edited">{t('edited')}</div> : null}
                  </td>
                  <td>
                    <span className={`pill take-${e.status}`}>{t(`take_${e.status}`)}</span>
                    {e.source === 'while-away' ? <div className="muted small">{t('source_while_away')}</div> : null}
                    {e.source === 'guest-link' ? <div className="muted small">{t('source_guest_link')}</div> : null}
                  </td>
                  <td data-testid="health">
                    {e.healthError ? (
                      <span className="error-text" role="note">{t('unreadable')}</span>
                    ) : !e.downloaded ? (
                      <span className="muted">{t('notHomeYet')}</span>
                    ) : e.health && e.health.flags.length > 0 ? (
                      e.health.flags.map((flag) => (
                        <span key={flag} className="pill flag" data-flag={flag}>
                          {t(`flag_${flag}` as StringKey)}
                        </span>
                      ))
                    ) : e.health ? (
                      <span className="ok-text">{t('healthOk')}</span>
                    ) : null}
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('albumCol')}
                      checked={e.onAlbum}
                      onChange={async (event) => apply(await run('updateTake', { recordingSid: e.recordingSid, album: event.target.checked ? 'in' : 'out' }))}
                    />
                  </td>
                  <td>
                    <input
                      className="note"
                      aria-label={t('noteCol')}
                      defaultValue={e.note}
                      key={`${e.recordingSid}-note-${e.note}`}
                      onBlur={async (event) => {
                        if (event.target.value !== e.note) apply(await run('updateTake', { recordingSid: e.recordingSid, note: event.target.value }));
                      }}
                    />
                  </td>
                  <td className="actions">
                    <button type="button" disabled={!e.downloaded || e.healthError !== null} onClick={() => setOpen(e.recordingSid)}>
                      {t('trim')}
                    </button>
                    <button
                      type="button"
                      onClick={async () => {
                        apply(await run('updateTake', { recordingSid: e.recordingSid, trashed: !e.trashed }));
                        setUndoTrash(e.trashed ? null : e.recordingSid);
                      }}
                    >
                      {e.trashed ? t('restore') : t('trash')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}
