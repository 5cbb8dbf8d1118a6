/**
 * npm run bench:trim — the trimmer's core work on a 10-minute 8 kHz message (a long one:
 * most are under a minute):
 *   peaks          computePeaks at 100 points/s. Target: ≥ 500× realtime.
 *   health check   analyseRecording (loudness, true peak, clipping, silence).
 *   auto-trim      suggestTrim (beep, silences, # tone).
 *   open           decodeWav + computePeaks + suggestTrim: what opening a message in the trimmer costs the core.
 * Each figure is the median of several runs after a warm-up.
 */
import { analyseRecording } from '../server/audio/analysis.ts';
import { suggestTrim } from '../server/audio/auto-trim.ts';
import { computePeaks } from '../server/audio/peaks.ts';
import { decodeWav, encodeWav, type Pcm } from '../server/audio/wav.ts';
import { concat, PHONE_RATE, silence, speechLike } from '../server/voice-sim/speech.ts';

const MINUTES = Number(process.env['BENCH_MINUTES'] ?? 10);
const RUNS = 11;
const TARGET_PEAKS_REALTIME = 500;

/** A steady tone (the record beep, or one DTMF pair when `hz2` is given). */
function tone(seconds: number, hz: number, hz2?: number): Pcm {
  const samples = Int16Array.from({ length: Math.round(seconds * PHONE_RATE) }, (_, i) => {
    const t = i / PHONE_RATE;
    const value = hz2 === undefined ? Math.sin(2 * Math.PI * hz * t) : (Math.sin(2 * Math.PI * hz * t) + Math.sin(2 * Math.PI * hz2 * t)) / 2;
    return Math.round(value * 16_000);
  });
  return { sampleRate: PHONE_RATE, channels: 1, samples };
}

/** [beep][silence][speech … with pauses][silence][#] plus low line hiss, like a real long message. */
function longMessage(): Pcm {
  const speechSeconds = MINUTES * 60 - 3;
  const clip = concat(silence(0.3), tone(0.5, 1000), silence(0.7), speechLike(speechSeconds), silence(1), tone(0.2, 941, 1477), silence(0.3));
  let seed = 1;
  const hiss = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31 - 0.5) * 40; // about −60 dBFS
  return { ...clip, samples: clip.samples.map((s) => Math.max(-32768, Math.min(32767, Math.round(s + hiss())))) };
}

function time<T>(run: () => T): { ms: number; result: T } {
  let result = run(); // warm-up
  run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    result = run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] ?? NaN, result };
}

const message = longMessage();
const wav = encodeWav(message);
const seconds = message.samples.length / message.sampleRate;
const realtime = (ms: number) => `${Math.round((seconds * 1000) / ms).toLocaleString('en')}× realtime`;
const line = (name: string, ms: number, extra = '') => console.log(`${name.padEnd(14)} ${ms.toFixed(1).padStart(8)} ms  ${realtime(ms).padStart(20)}  ${extra}`);

console.log(`bench:trim — a ${MINUTES}-minute message, 8 kHz mono 16-bit (${(wav.length / 1e6).toFixed(1)} MB WAV), median of ${RUNS} runs\n`);

const decode = time(() => decodeWav(wav));
line('decode WAV', decode.ms);

const peaks = time(() => computePeaks(message, 100));
const peaksRealtime = (seconds * 1000) / peaks.ms;
line('peaks', peaks.ms, `${peaks.result.peaks.length.toLocaleString('en')} points, JSON ${(JSON.stringify(peaks.result.peaks).length / 1e3).toFixed(0)} kB — target ≥ ${TARGET_PEAKS_REALTIME}×: ${peaksRealtime >= TARGET_PEAKS_REALTIME ? 'PASS' : 'FAIL'}`);

const health = time(() => analyseRecording(message));
const h = health.result;
line('health check', health.ms, `${h.integratedLufs.toFixed(1)} LUFS, TP ${h.truePeakDbtp.toFixed(1)} dBTP, silence ${(h.silenceShare * 100).toFixed(0)} %, flags [${h.flags.join(', ')}]`);

const trim = time(() => suggestTrim(message));
line('auto-trim', trim.ms, `keeps ${trim.result.startSeconds.toFixed(2)}–${trim.result.endSeconds.toFixed(2)} s (speech is 1.50–${(seconds - 1.5).toFixed(2)} s)`);

const open = time(() => {
  const pcm = decodeWav(wav);
  return { peaks: computePeaks(pcm, 100), trim: suggestTrim(pcm) };
});
line('open (core)', open.ms, 'decode + peaks + auto-trim');

// ---------------------------------------------------------------------------------------
// Click-to-waveform in the page (Chromium, web mode; target < 150 ms): open the library,
// click "Trim" on this 10-minute message, time until the waveform and its region are drawn.
// ---------------------------------------------------------------------------------------
{
  const { startOrganiserApp } = await import('../tests/support/organiser-app.ts');
  const { addDownloadedTake } = await import('../tests/support/library-fixture.ts');
  const { launchBrowser, RENDERER_DIR } = await import('../tests/support/browser.ts');
  const app = await startOrganiserApp({ rendererDir: RENDERER_DIR });
  const browser = await launchBrowser();
  try {
    await app.rpc('finishSetup', { mode: 'rehearsal' });
    const sid = addDownloadedTake(app.core, { from: '+819011110001', wav, durationSeconds: MINUTES * 60 });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(app.organiser.uiUrl);
    await page.getByRole('button', { name: /Library|ライブラリ/ }).click();
    const times: number[] = [];
    for (let run = 0; run < 7; run++) {
      const row = page.locator(`tr[data-recording="${sid}"]`);
      await row.waitFor();
      const started = performance.now();
      await row.getByRole('button', { name: /Trim|編集/ }).click();
      await page.getByTestId('waveform').locator('[part~="region"]').first().waitFor();
      times.push(performance.now() - started);
      await page.getByRole('button', { name: /Close|閉じる/ }).click();
    }
    const ms = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? NaN;
    console.log(`${'click → waveform (page)'.padEnd(28)} ${ms.toFixed(1)} ms median of ${times.length} (target < 150 ms: ${ms < 150 ? 'met' : 'NOT met'})`);
  } finally {
    await browser.close();
    await app.close();
  }
}

if (peaksRealtime < TARGET_PEAKS_REALTIME) process.exitCode = 1;
