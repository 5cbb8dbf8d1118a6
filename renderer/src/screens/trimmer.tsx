import { useCallback, useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin, { type Region } from 'wavesurfer.js/plugins/regions';
import TimelinePlugin from 'wavesurfer.js/plugins/timeline';
import ZoomPlugin from 'wavesurfer.js/plugins/zoom';
import type { ApiError } from '../../../server/api/contract.ts';
import type { Waveform } from '../../../server/api/contract.ts';
import type { LibraryEntry, TakeEdit } from '../../../server/api/contract.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { useApi, useLanguage, useT } from '../app-context.tsx';
import { formatDuration } from '../i18n.ts';

const NUDGE_SECONDS = 0.05;
/** Fades in plain words: how soft the start/end is, in seconds behind the scenes. */
const FADES: readonly { readonly seconds: number; readonly label: 'fadeNone' | 'fadeTiny' | 'fadeShort' | 'fadeLong' }[] = [
  { seconds: 0, label: 'fadeNone' },
  // The suggestion's own start: just enough to avoid a click.
  { seconds: 0.05, label: 'fadeTiny' },
  { seconds: 0.3, label: 'fadeShort' },
  { seconds: 1, label: 'fadeLong' },
];
/** The parts cut off are greyed over, so what is kept stands out. */
const CUT_COLOR = 'rgba(43, 42, 40, 0.55)';
const ZOOM_STEP = 1.5;
/** Room a timeline label ("12:30") needs after its notch. */
const LABEL_WIDTH_PX = 36;

/** The timeline's labels read like the kept part's times: 0:05, 1:10 (whole seconds, as the notches are). */
function timelineLabel(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

function fmt(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${(seconds % 60).toFixed(2).padStart(5, '0')}`;
}

/**
 * One message on a waveform: one region is the kept part. Drag its edges, set them with I/O
 * at the playhead, nudge with the arrows, zoom; fades and gain with a live preview; undo/redo.
 * Every change is saved at once, so a crash loses nothing; the original file is never changed.
 */
export function Trimmer(props: { readonly entry: LibraryEntry; readonly onClose: () => void }) {
  const { entry } = props;
  const api = useApi();
  const language = useLanguage();
  const t = useT();
  const container = useRef<HTMLDivElement | null>(null);
  const timeline = useRef<HTMLDivElement | null>(null);
  const ws = useRef<WaveSurfer | null>(null);
  const region = useRef<Region | null>(null);
  const cutBefore = useRef<Region | null>(null);
  const cutAfter = useRef<Region | null>(null);
  const gainNode = useRef<GainNode | null>(null);
  const [wave, setWave] = useState<Waveform | null>(null);
  const [edit, setEdit] = useState<TakeEdit | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  // Nothing is said until the organiser changes something: then "saving…", then "saved".
  const [saved, setSaved] = useState<'unchanged' | 'saving' | 'saved'>('unchanged');
  const undo = useRef<TakeEdit[]>([]);
  const redo = useRef<TakeEdit[]>([]);
  const editRef = useRef<TakeEdit | null>(null);
  // 0 = fit the whole message in the window (fast to draw even for a 10-minute message).
  const zoom = useRef(0);

  const save = useCallback(
    async (next: TakeEdit) => {
      setSaved('saving');
      const result = await api.call('saveEdit', { recordingSid: entry.recordingSid, edit: next });
      if (result.ok) {
        setSaved('saved');
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
      cutBefore.current?.setOptions({ start: 0, end: clean.startSeconds });
      cutAfter.current?.setOptions({ start: clean.endSeconds, end: duration });
      if (gainNode.current && wave) gainNode.current.gain.value = previewGain(wave, clean.gainDb);
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
    const total = wave.durationSeconds;
    // A label too close to the end would be cut off there (labels start at their notch): leave it out.
    const nearEnd = (seconds: number) => {
      const width = ws.current?.getWrapper().scrollWidth || container.current?.clientWidth || 0;
      return total > 0 && width > 0 && (total - seconds) * (width / total) < LABEL_WIDTH_PX;
    };
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
      plugins: [regions, TimelinePlugin.create({ container: timeline.current, height: 24, secondaryLabelOpacity: 0.75, style: { color: '#5f5a55' }, formatTimeCallback: (seconds) => (nearEnd(seconds) ? '' : timelineLabel(seconds)) }), ZoomPlugin.create({ scale: 0.2 })],
    });
    ws.current = instance;
    // The region needs the duration, known once the supplied peaks are "decoded".
    instance.once('decode', () => {
      const initial = editRef.current ?? wave.edit;
      const total = instance.getDuration();
      cutBefore.current = regions.addRegion({ id: 'cut-before', start: 0, end: initial.startSeconds, color: CUT_COLOR, drag: false, resize: false });
      cutAfter.current = regions.addRegion({ id: 'cut-after', start: initial.endSeconds, end: total, color: CUT_COLOR, drag: false, resize: false });
      region.current = regions.addRegion({ id: 'keep', start: initial.startSeconds, end: initial.endSeconds, color: 'rgba(179, 71, 93, 0.18)', drag: true, resize: true, minLength: 0.1 });
    });
    regions.on('region-updated', (r) => {
      if (r.id !== 'keep') return;
      const current = editRef.current;
      if (current) commit({ ...current, startSeconds: r.start, endSeconds: r.end }, { fromRegion: true });
    });
    instance.on('interaction', () => container.current?.focus());
    return () => {
      instance.destroy();
      ws.current = null;
      region.current = null;
      cutBefore.current = null;
      cutAfter.current = null;
      gainNode.current = null;
    };
  }, [api, entry.recordingSid, wave, commit]);

  /**
   * Gain preview, as the export will sound: route the media element through the album's normalisation
   * + the organiser's gain, then a limiter at the export's ceiling, the first time we play.
   */
  const ensureGain = () => {
    const media = ws.current?.getMediaElement();
    if (!media || !wave || gainNode.current) return;
    const context = new AudioContext();
    const node = context.createGain();
    node.gain.value = previewGain(wave, editRef.current?.gainDb ?? 0);
    const limiter = context.createDynamicsCompressor();
    limiter.threshold.value = -2;
    limiter.knee.value = 0;
    limiter.ratio.value = 20;
    limiter.attack.value = 0.005;
    limiter.release.value = 0.05;
    context.createMediaElementSource(media).connect(node).connect(limiter).connect(context.destination);
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
            {t('close')}
          </button>
        </div>
        <ErrorBox error={error} />
        <div className="wave" ref={container} tabIndex={0} onKeyDown={onKey} data-testid="waveform" aria-label={t('trimKeys')} />
        <div className="wave-timeline" ref={timeline} />
        <p className="muted small">{t('trimKeys')}</p>
        {edit ? (
          <div className="trim-controls">
            <div className="readout" data-testid="trim-readout" data-start={edit.startSeconds} data-end={edit.endSeconds}>
              {t('keep')}: <strong>{fmt(edit.startSeconds)}</strong> – <strong>{fmt(edit.endSeconds)}</strong> ({t('length')} {formatDuration(language, edit.endSeconds - edit.startSeconds)}){' '}
              <span className={saved === 'saved' ? 'ok-text' : 'muted'} data-testid="trim-saved">
                {saved === 'saved' ? `✓ ${t('saved')}` : saved === 'saving' ? '…' : ''}
              </span>
            </div>
            <div className="row">
              <button type="button" onClick={() => { ensureGain(); void ws.current?.playPause(); }}>
                {t('play')} / {t('pause')}
              </button>
              <button type="button" onClick={() => { ensureGain(); region.current?.play(true); }}>
                {t('playSelection')}
              </button>
              <button type="button" onClick={() => wave && commit(wave.suggested)}>
                {t('resetSuggestion')}
              </button>
            </div>
            <div className="row">
              <label>
                {t('softStart')}
                <FadeChoice name="fadeIn" seconds={edit.fadeInSeconds} onChange={(seconds) => commit({ ...edit, fadeInSeconds: seconds })} />
              </label>
              <label>
                {t('softEnd')}
                <FadeChoice name="fadeOut" seconds={edit.fadeOutSeconds} onChange={(seconds) => commit({ ...edit, fadeOutSeconds: seconds })} />
              </label>
              <label>
                {t('gain')} {edit.gainDb > 0 ? '+' : ''}
                {edit.gainDb}
                <input type="range" name="gain" min={-12} max={12} step={1} value={edit.gainDb} title={t('gainHint')} onChange={(e) => commit({ ...edit, gainDb: Number(e.target.value) })} />
              </label>
            </div>
          </div>
        ) : null}
      </section>
    </main>
  );
}

/** None / short / long; a value saved earlier that is none of these stays selectable as it is. */
function FadeChoice(props: { readonly name: string; readonly seconds: number; readonly onChange: (seconds: number) => void }) {
  const t = useT();
  const known = FADES.some((f) => f.seconds === props.seconds);
  return (
    <select name={props.name} value={String(props.seconds)} onChange={(e) => props.onChange(Number(e.target.value))}>
      {FADES.map((f) => (
        <option key={f.seconds} value={String(f.seconds)}>
          {t(f.label)}
        </option>
      ))}
      {known ? null : <option value={String(props.seconds)}>{props.seconds.toFixed(2)}</option>}
    </select>
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

/** The preview's linear gain: the album's normalisation for this message plus the organiser's gain. */
function previewGain(wave: Waveform, gainDb: number): number {
  return 10 ** ((wave.normalisationDb + gainDb) / 20);
}
