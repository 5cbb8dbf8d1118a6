import { useCallback, useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin, { type Region } from 'wavesurfer.js/plugins/regions';
import TimelinePlugin from 'wavesurfer.js/plugins/timeline';
import ZoomPlugin from 'wavesurfer.js/plugins/zoom';
import type { ApiError, Language, OrganiserApi } from '../../../server/api/contract.ts';
import type { Waveform } from '../../../server/api/contract.ts';
import type { LibraryEntry, TakeEdit } from '../../../server/api/contract.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { t } from '../i18n.ts';

const NUDGE_SECONDS = 0.05;
const ZOOM_STEP = 1.5;

function fmt(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${(seconds % 60).toFixed(2).padStart(5, '0')}`;
}

/**
 * One message on a waveform: one region is the kept part. Drag its edges, set them with I/O
 * at the playhead, nudge with the arrows, zoom; fades and gain with a live preview; undo/redo.
 * Every change is saved at once, so a crash loses nothing; the original file is never changed.
 */
export function Trimmer(props: { readonly api: OrganiserApi; readonly entry: LibraryEntry; readonly language: Language; readonly onClose: () => void }) {
  const { api, entry, language } = props;
  const container = useRef<HTMLDivElement | null>(null);
  const timeline = useRef<HTMLDivElement | null>(null);
  const ws = useRef<WaveSurfer | null>(null);
  const region = useRef<Region | null>(null);
  const gainNode = useRef<GainNode | null>(null);
  const [wave, setWave] = useState<Waveform | null>(null);
  const [edit, setEdit] = useState<TakeEdit | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(true);
  const undo = useRef<TakeEdit[]>([]);
  const redo = useRef<TakeEdit[]>([]);
  const editRef = useRef<TakeEdit | null>(null);
  // 0 = fit the whole message in the window (fast to draw even for a 10-minute message).
  const zoom = useRef(0);

  const save = useCallback(
    async (next: TakeEdit) => {
      setSaved(false);
      const result = await api.call('saveEdit', { recordingSid: entry.recordingSid, edit: next });
      if (result.ok) {
        setSaved(true);
        setError(null);
      } else setError(result.error);
    },
    [api, entry.recordingSid],
  );

  /** Applies a new cut: remembered for undo, shown on the waveform, saved. */
  const commit = useCallback(
    (next: TakeEdit, options: { readonly fromRegion?: boolean; readonly history?: 'push' | 'none' } = {}) => {
      const duration = ws.current?.getDuration() || wave?.durationSeconds || next.endSeconds;
      const start = Math.max(0, Math.min(next.startSeconds, duration - 0.1));
      const clean: TakeEdit = { ...next, startSeconds: round(start), endSeconds: round(Math.min(duration, Math.max(next.endSeconds, start + 0.1))) };
      const previous = editRef.current;
      if (previous && (options.history ?? 'push') === 'push') {
        undo.current.push(previous);
        redo.current = [];
      }
      editRef.current = clean;
      setEdit(clean);
      if (!options.fromRegion) region.current?.setOptions({ start: clean.startSeconds, end: clean.endSeconds });
      if (gainNode.current) gainNode.current.gain.value = 10 ** (clean.gainDb / 20);
      void save(clean);
    },
    [save, wave],
  );

  useEffect(() => {
    let cancelled = false;
    void api.call('getWaveform', { recordingSid: entry.recordingSid }).then((result) => {
      if (cancelled) return;
      if (!result.ok) return setError(result.error);
      setWave(result.value);
      editRef.current = result.value.edit;
      setEdit(result.value.edit);
    });
    return () => {
      cancelled = true;
    };
  }, [api, entry.recordingSid]);

  useEffect(() => {
    if (!wave || !container.current || !timeline.current) return;
    const regions = RegionsPlugin.create();
    const instance = WaveSurfer.create({
      container: container.current,
      url: api.mediaUrl(entry.recordingSid),
      // Peaks and duration come from the core: the page never decodes the whole file.
      peaks: [decodePeaks(wave.peaks)],
      duration: wave.durationSeconds,
      height: 140,
      waveColor: '#c9a3ab',
      progressColor: '#b3475d',
      cursorColor: '#2b2a28',
      normalize: true,
      minPxPerSec: zoom.current,
      plugins: [regions, TimelinePlugin.create({ container: timeline.current }), ZoomPlugin.create({ scale: 0.2 })],
    });
    ws.current = instance;
    // The region needs the duration, known once the supplied peaks are "decoded".
    instance.once('decode', () => {
      const initial = editRef.current ?? wave.edit;
      region.current = regions.addRegion({ id: 'keep', start: initial.startSeconds, end: initial.endSeconds, color: 'rgba(179, 71, 93, 0.18)', drag: true, resize: true, minLength: 0.1 });
    });
    regions.on('region-updated', (r) => {
      const current = editRef.current;
      if (current) commit({ ...current, startSeconds: r.start, endSeconds: r.end }, { fromRegion: true });
    });
    instance.on('interaction', () => container.current?.focus());
    return () => {
      instance.destroy();
      ws.current = null;
      region.current = null;
      gainNode.current = null;
    };
  }, [api, entry.recordingSid, wave, commit]);

  /** Gain preview: route the media element through a gain node the first time we play. */
  const ensureGain = () => {
    const media = ws.current?.getMediaElement();
    if (!media || gainNode.current) return;
    const context = new AudioContext();
    const node = context.createGain();
    node.gain.value = 10 ** ((editRef.current?.gainDb ?? 0) / 20);
    context.createMediaElementSource(media).connect(node).connect(context.destination);
    gainNode.current = node;
  };

  const onKey = (event: React.KeyboardEvent) => {
    const instance = ws.current;
    const current = editRef.current;
    if (!instance || !current || (event.target as HTMLElement).tagName === 'INPUT') return;
    const key = event.key.toLowerCase();
    const handled = () => event.preventDefault();
    if (key === ' ') {
      handled();
      ensureGain();
      void instance.playPause();
    } else if (key === 'i') {
      handled();
      commit({ ...current, startSeconds: instance.getCurrentTime() });
    } else if (key === 'o') {
      handled();
      commit({ ...current, endSeconds: instance.getCurrentTime() });
    } else if (key === 'p') {
      handled();
      ensureGain();
      region.current?.play(true);
    } else if (key === 'arrowleft' || key === 'arrowright') {
      handled();
      const delta = key === 'arrowleft' ? -NUDGE_SECONDS : NUDGE_SECONDS;
      commit(event.shiftKey ? { ...current, endSeconds: current.endSeconds + delta } : { ...current, startSeconds: current.startSeconds + delta });
    } else if (key === '+' || key === '=' || key === '-') {
      handled();
      const fitted = (container.current?.clientWidth ?? 800) / Math.max(1, instance.getDuration());
      const current = zoom.current || fitted;
      zoom.current = Math.max(fitted, Math.min(2000, key === '-' ? current / ZOOM_STEP : current * ZOOM_STEP));
      instance.zoom(zoom.current);
    } else if (key === 'z' && (event.ctrlKey || event.metaKey)) {
      handled();
      const stack = event.shiftKey ? redo.current : undo.current;
      const target = stack.pop();
      if (!target) return;
      (event.shiftKey ? undo.current : redo.current).push(current);
      commit(target, { history: 'none' });
    }
  };

  return (
    <main className="wide">
      <section className="card trimmer">
        <div className="trimmer-head">
          <h2>
            {entry.callerName ?? entry.callerNumber} <span className="muted small">{entry.callerName ? entry.callerNumber : ''}</span>
          </h2>
          <button type="button" onClick={props.onClose}>
            {t(language, 'close')}
          </button>
        </div>
        <ErrorBox error={error} language={language} />
        <div className="wave" ref={container} tabIndex={0} onKeyDown={onKey} data-testid="waveform" aria-label={t(language, 'trimKeys')} />
        <div ref={timeline} />
        <p className="muted small">{t(language, 'trimKeys')}</p>
        {edit ? (
          <div className="trim-controls">
            <div className="readout" data-testid="trim-readout" data-start={edit.startSeconds} data-end={edit.endSeconds}>
              {t(language, 'keep')}: <strong>{fmt(edit.startSeconds)}</strong> – <strong>{fmt(edit.endSeconds)}</strong> ({t(language, 'length')} {(edit.endSeconds - edit.startSeconds).toFixed(2)} s){' '}
              <span className={saved ? 'ok-text' : 'muted'}>{saved ? `✓ ${t(language, 'saved')}` : '…'}</span>
            </div>
            <div className="row">
              <button type="button" onClick={() => { ensureGain(); void ws.current?.playPause(); }}>
                {t(language, 'play')} / {t(language, 'pause')}
              </button>
              <button type="button" onClick={() => { ensureGain(); region.current?.play(true); }}>
                {t(language, 'playSelection')}
              </button>
              <button type="button" onClick={() => wave && commit(wave.suggested)}>
                {t(language, 'resetSuggestion')}
              </button>
            </div>
            <div className="row">
              <label>
                {t(language, 'fadeIn')}
                <input type="number" name="fadeIn" min={0} max={10} step={0.05} value={edit.fadeInSeconds} onChange={(e) => commit({ ...edit, fadeInSeconds: Number(e.target.value) })} />
              </label>
              <label>
                {t(language, 'fadeOut')}
                <input type="number" name="fadeOut" min={0} max={10} step={0.05} value={edit.fadeOutSeconds} onChange={(e) => commit({ ...edit, fadeOutSeconds: Number(e.target.value) })} />
              </label>
              <label>
                {t(language, 'gain')} {edit.gainDb > 0 ? '+' : ''}
                {edit.gainDb}
                <input type="range" name="gain" min={-12} max={12} step={1} value={edit.gainDb} onChange={(e) => commit({ ...edit, gainDb: Number(e.target.value) })} />
              </label>
            </div>
          </div>
        ) : null}
      </section>
    </main>
  );
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/** The core sends peaks as 8-bit values in base64 (see LibraryService.waveform). */
function decodePeaks(base64: string): Float32Array {
  const bytes = Int8Array.from(atob(base64), (c) => (c.charCodeAt(0) << 24) >> 24);
  return Float32Array.from(bytes, (b) => b / 127);
}
