/**
 * npm run bench:flow — measures the line's server, side by side with a minimal reference line.
 *
 * Three processes: the project's headless line as `npm run serve` runs it (the production build,
 * `out/main/serve.js`, rebuilt first if a source changed), the reference line
 * (bench/flow/reference-line.ts: plain node:http, the same TwiML documents, the same signature
 * check, no storage) and the load generator (bench/flow/load.ts: signed requests written as bytes on
 * keep-alive sockets, no audio; it prints its own CPU, which stays well under each line's).
 *
 * 1. Latency: 1, 20 and 60 calls at once through each line, alternating, BENCH_ROUNDS times (default 7:
 *    single rounds swing with this shared machine);
 *    p50/p99 per line and the ratio project ÷ reference (median over the rounds, and the spread; for
 *    information also the p50/p99 of every round's webhooks together, steadier than one round's).
 * 2. Library size: server CPU per call (from /proc) with 300 and with 30,000 takes in the library.
 * 3. Cold start: spawning the headless line until its first answered webhook (and, for information,
 *    the same from the TypeScript sources, as the tests start it).
 * Targets (this machine, 2 cores): p99 at 60 calls ≤ 1.3× reference; CPU per call at 30,000 takes
 * ≤ 1.1× that at 300; cold start < 0.5 s.
 */
import { execFileSync, fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, transaction } from '../server/store/database.ts';
import { BUILT_SERVE, freePort, SOURCE_SERVE, spawnServe, type ServeProcess } from '../tests/support/spawn-serve.ts';
import type { LoadResult, LoadRun } from './flow/load.ts';
import { percentile, runLoad } from './flow/load.ts';

const AUTH_TOKEN = '5d41402abc4b2a76b9719d911017c592';
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const SCALE = Number(process.env['BENCH_SCALE'] ?? 1);
const LEVELS = [
  { concurrency: 1, calls: Math.round(60 * SCALE) },
  { concurrency: 20, calls: Math.round(300 * SCALE) },
  { concurrency: 60, calls: Math.round(600 * SCALE) },
] as const;
const LIBRARY_SIZES = [300, 30_000] as const;
const TARGET = { p99Ratio: 1.3, cpuRatio: 1.1, coldStartMs: 500 } as const;
/** Which parts to run (BENCH_PARTS=1,3): all by default. */
const PARTS = new Set((process.env['BENCH_PARTS'] ?? '1,2,3').split(',').map(Number));
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? NaN;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** A process's CPU time so far (user + system, all threads), in ms. */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

class Generator {
  readonly #child: ChildProcess = fork(here('./flow/load.ts'), [], { execPath: process.execPath, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  #runs = 0;

  run(base: string, concurrency: number, calls: number): Promise<LoadResult> {
    const run: LoadRun = { base, authToken: AUTH_TOKEN, concurrency, calls, runId: ++this.#runs };
    return new Promise((resolve) => {
      this.#child.once('message', (result) => resolve(result as LoadResult));
      this.#child.send(run);
    });
  }

  stop(): void {
    this.#child.kill();
  }
}

interface Line {
  readonly name: string;
  readonly base: string;
  readonly pid: number;
  stop(): Promise<void>;
}

async function projectLine(dataDir: string): Promise<Line> {
  const port = await freePort();
  const serve = spawnServe(['--data-dir', dataDir, '--port', String(port), '--public-url', `http://127.0.0.1:${port}`], { TWILIO_AUTH_TOKEN: AUTH_TOKEN }, BUILT_SERVE);
  const webhook = await serve.line('Voice webhook:');
  return { name: 'project', base: webhook.replace(/\/twilio\/voice$/, ''), pid: serve.child.pid ?? 0, stop: () => stopServe(serve) };
}

async function stopServe(serve: ServeProcess): Promise<void> {
  serve.child.kill('SIGTERM');
  await serve.exited();
}

async function referenceLine(): Promise<Line> {
  const port = await freePort();
  const child = spawn(process.execPath, [here('./flow/reference-line.ts'), String(port), AUTH_TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('Voice webhook:') && resolve()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { name: 'reference', base: `http://127.0.0.1:${port}`, pid: child.pid ?? 0, stop: async () => void (child.kill(), await exited) };
}

/** A data folder whose library already holds `takes` messages (measured, downloaded), as after a busy wedding. */
async function libraryOf(takes: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `shukuden-bench-${takes}-`));
  const db = openDatabase(dir);
  const health = JSON.stringify({ durationSeconds: 30, integratedLufs: -24, samplePeakDbfs: -3, truePeakDbtp: -2.8, clippedShare: 0, silenceShare: 0.1, flags: [] });
  const call = db.prepare(`INSERT INTO calls VALUES (?, 'AC${'0'.repeat(32)}', ?, '+815012345678', 'guest', 'done', ?, ?, 1, 0, NULL, 0, 0)`);
  const take = db.prepare(`INSERT INTO takes (recording_sid, call_sid, take_number, recording_url, duration_seconds, status, created_at, updated_at, local_file, downloaded_at, health)
                           VALUES (?, ?, 1, 'https://api.twilio.com/x', 30, 'kept', ?, ?, ?, ?, ?)`);
  transaction(db, () => {
    for (let i = 0; i < takes; i++) {
      const n = i.toString(16).padStart(32, '0');
      const at = new Date(Date.UTC(2025, 4, 3) + i * 1000).toISOString();
      call.run(`CA${n}`, `+8190${String(i).padStart(8, '0')}`, at, at);
      take.run(`RE${n}`, `CA${n}`, at, at, `recordings/RE${n}.wav`, at, health);
    }
  });
  db.close();
  return dir;
}

/** Wall time and the line's own CPU time from spawning it (`entry`) to its first answered webhook. */
async function coldStart(entry: string): Promise<{ readonly wallMs: number; readonly cpuMs: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'shukuden-bench-cold-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const serve = spawnServe(['--data-dir', dir, '--port', String(port), '--public-url', base], { TWILIO_AUTH_TOKEN: AUTH_TOKEN }, entry);
  try {
    for (;;) {
      // One signed voice webhook, the moment the port accepts connections.
      const answered = await runLoad({ base, authToken: AUTH_TOKEN, concurrency: 1, calls: 1, runId: 0xc01d }).catch(() => null);
      if (answered && answered.failed === 0) return { wallMs: performance.now() - started, cpuMs: await cpuMs(serve.child.pid ?? 0) };
      if (serve.child.exitCode !== null) throw new Error(`the line stopped: ${serve.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    await stopServe(serve);
    await rm(dir, { recursive: true, force: true });
  }
}

const generator = new Generator();
const dirs: string[] = [];
const lines: Line[] = [];

/** Part 1: p99 ratio (project ÷ reference) at 60 calls at once, median over the rounds. */
async function latency(): Promise<number> {
  console.log('1. Latency, project vs minimal reference (ms per webhook)');
  const empty = await mkdtemp(join(tmpdir(), 'shukuden-bench-flow-'));
  dirs.push(empty);
  const project = await projectLine(empty);
  const reference = await referenceLine();
  lines.push(project, reference);
  // Warm-up, not measured: a full round at the highest level, so rounds compare code the JIT has
  // optimised (the first rounds after a smaller warm-up ran up to 2× slower on both lines).
  for (const line of [project, reference]) await generator.run(line.base, 60, Math.round(600 * SCALE));
  const ratios = new Map<number, number[]>();
  // Every webhook of every round, per line and level: one p99 over all rounds, steadier than any single round's.
  const pooled = new Map<string, number[]>();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const level of LEVELS) {
      const results: Record<string, LoadResult> = {};
      const cpu: Record<string, number> = {};
      // Alternate which line goes first, so neither always meets a warmer machine.
      for (const line of round % 2 ? [project, reference] : [reference, project]) {
        const before = await cpuMs(line.pid);
        results[line.name] = await generator.run(line.base, level.concurrency, level.calls);
        cpu[line.name] = (await cpuMs(line.pid)) - before;
        const key = `${line.name} ${level.concurrency}`;
        pooled.set(key, [...(pooled.get(key) ?? []), ...(results[line.name]?.latencies ?? [])]);
      }
      const p = results['project'] as LoadResult;
      const r = results['reference'] as LoadResult;
      const ratio = p.p99 / r.p99;
      ratios.set(level.concurrency, [...(ratios.get(level.concurrency) ?? []), ratio]);
      console.log(
        `  round ${round}, ${String(level.concurrency).padStart(2)} at once, ${level.calls} calls: ` +
          `project p50 ${p.p50.toFixed(2)} p99 ${p.p99.toFixed(2)} (failed ${p.failed}, server CPU ${(cpu['project'] ?? 0).toFixed(0)} ms) | ` +
          `reference p50 ${r.p50.toFixed(2)} p99 ${r.p99.toFixed(2)} (failed ${r.failed}, CPU ${(cpu['reference'] ?? 0).toFixed(0)} ms) | ` +
          `p99 ratio ${ratio.toFixed(2)}× | generator CPU ${(p.generatorCpuMs + r.generatorCpuMs).toFixed(0)} ms`,
      );
    }
  }
  for (const level of LEVELS) {
    const all = ratios.get(level.concurrency) ?? [];
    const [p, r] = ['project', 'reference'].map((name) => [...(pooled.get(`${name} ${level.concurrency}`) ?? [])].sort((a, b) => a - b));
    const at = (sorted: readonly number[] | undefined, q: number) => percentile(sorted ?? [], q);
    console.log(
      `  ${String(level.concurrency).padStart(2)} at once: p99 ratio median ${median(all).toFixed(2)}× (spread ${Math.min(...all).toFixed(2)}–${Math.max(...all).toFixed(2)}); ` +
        `all rounds' webhooks together: project p50 ${at(p, 50).toFixed(2)} p99 ${at(p, 99).toFixed(2)}, reference p50 ${at(r, 50).toFixed(2)} p99 ${at(r, 99).toFixed(2)}, p99 ratio ${(at(p, 99) / at(r, 99)).toFixed(2)}× (information)`,
    );
  }
  for (const line of lines.splice(0)) await line.stop();
  return median(ratios.get(60) ?? []);
}

/** Part 2: server CPU per call with 30,000 takes ÷ with 300, median over the rounds. */
async function librarySize(): Promise<number> {
  console.log('\n2. Server CPU per call by library size (20 calls at once)');
  const perCall = new Map<number, number[]>();
  const libraries = await Promise.all(LIBRARY_SIZES.map(async (takes) => ({ takes, dir: await libraryOf(takes) })));
  dirs.push(...libraries.map((l) => l.dir));
  const sized = await Promise.all(libraries.map(async (l) => ({ takes: l.takes, line: await projectLine(l.dir) })));
  lines.push(...sized.map((s) => s.line));
  for (const { line } of sized) await generator.run(line.base, 20, 100); // warm-up
  // Each round: short chunks, alternating between the two libraries, so a change in the machine's
  // load hits both alike; CPU per call is summed over the round's chunks.
  const CHUNKS = 8;
  const chunkCalls = Math.round(60 * SCALE);
  const ratiosBySize: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const used = new Map<number, number>();
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      for (const { takes, line } of chunk % 2 ? sized : [...sized].reverse()) {
        const before = await cpuMs(line.pid);
        const result = await generator.run(line.base, 20, chunkCalls);
        if (result.failed > 0) throw new Error(`${result.failed} webhooks failed with ${takes} takes`);
        used.set(takes, (used.get(takes) ?? 0) + (await cpuMs(line.pid)) - before);
      }
    }
    const ms = (takes: number) => (used.get(takes) ?? NaN) / (CHUNKS * chunkCalls);
    for (const takes of LIBRARY_SIZES) perCall.set(takes, [...(perCall.get(takes) ?? []), ms(takes)]);
    ratiosBySize.push(ms(30_000) / ms(300));
    console.log(`  round ${round}: ${ms(300).toFixed(2)} ms CPU per call at 300 takes, ${ms(30_000).toFixed(2)} ms at 30,000 takes: ${(ms(30_000) / ms(300)).toFixed(2)}×`);
  }
  const small = median(perCall.get(300) ?? []);
  const large = median(perCall.get(30_000) ?? []);
  const cpuRatio = median(ratiosBySize);
  console.log(`  median: ${small.toFixed(2)} ms at 300 takes, ${large.toFixed(2)} ms at 30,000 takes: ratio ${cpuRatio.toFixed(2)}× (spread ${Math.min(...ratiosBySize).toFixed(2)}–${Math.max(...ratiosBySize).toFixed(2)})`);
  for (const line of lines.splice(0)) await line.stop();
  return cpuRatio;
}

/** Part 3: median wall time from spawning `npm run serve`'s build to its first answered webhook. */
async function coldStarts(): Promise<number> {
  console.log('\n3. Cold start of the headless line to its first answered webhook');
  let built = NaN;
  for (const [label, entry] of [['npm run serve (the build)', BUILT_SERVE], ['from the TypeScript sources (tests; information only)', SOURCE_SERVE]] as const) {
    const starts: { wallMs: number; cpuMs: number }[] = [];
    for (let i = 0; i < Math.max(ROUNDS, 3); i++) starts.push(await coldStart(entry));
    const wall = median(starts.map((s) => s.wallMs));
    if (entry === BUILT_SERVE) built = wall;
    // On a busy machine the wall time mostly waits for a core; the line's own CPU time says what it costs.
    console.log(`  ${label}: ${starts.map((s) => `${s.wallMs.toFixed(0)} ms (CPU ${s.cpuMs.toFixed(0)} ms)`).join(', ')}: median ${wall.toFixed(0)} ms (spread ${Math.min(...starts.map((s) => s.wallMs)).toFixed(0)}–${Math.max(...starts.map((s) => s.wallMs)).toFixed(0)}), CPU median ${median(starts.map((s) => s.cpuMs)).toFixed(0)} ms`);
  }
  return built;
}

try {
  // What `npm run serve` runs is the build: bring it up to date first (as its "preserve" step does).
  const build = spawnSync(process.execPath, [here('../scripts/build-if-stale.ts')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  console.log(`bench:flow — ${ROUNDS} rounds; each call = 8 webhooks (voice, recorded, recording-status, menu 3, recorded, recording-status, menu 1, call-status)\n`);
  const p99Ratio = PARTS.has(1) ? await latency() : NaN;
  const cpuRatio = PARTS.has(2) ? await librarySize() : NaN;
  const cold = PARTS.has(3) ? await coldStarts() : NaN;
  console.log('\nTargets');
  if (PARTS.has(1)) console.log(`  ${verdict(p99Ratio <= TARGET.p99Ratio)}  p99 at 60 calls at once ${p99Ratio.toFixed(2)}× reference (≤ ${TARGET.p99Ratio}×)`);
  if (PARTS.has(2)) console.log(`  ${verdict(cpuRatio <= TARGET.cpuRatio)}  CPU per call at 30,000 takes ${cpuRatio.toFixed(2)}× that at 300 (≤ ${TARGET.cpuRatio}×)`);
  if (PARTS.has(3)) console.log(`  ${verdict(cold < TARGET.coldStartMs)}  cold start ${cold.toFixed(0)} ms (< ${TARGET.coldStartMs} ms)`);
} finally {
  for (const line of lines) await line.stop();
  generator.stop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}
