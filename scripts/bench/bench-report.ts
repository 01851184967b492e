/** The bench's result document and its Markdown section for bench/RESULTS.md. */
import type { StageTimings } from './stage-timings';
import { memoryLine, type MemorySeries } from './memory-series';

/** What the processes did over one stretch of a run (the whole run, its reading stage, or merge and publish). */
export interface BenchProcessFigures {
  wallMs: number;
  cpuSeconds: { api: number; workers: number[]; simulator: number | null; database: number | null };
  /** Per worker process. */
  timings: StageTimings[];
  /** Pages (and their items) the simulator served from its page store. */
  pagesServed: { pages: number; items: number };
}

export interface BenchRun {
  label: string;
  mode: string;
  state: string;
  mailboxes: number;
  counters: { mailboxesDone: number; mailboxesFailed: number; messagesRead: number; eventsRead: number; mailboxesCalendarFullRead?: number };
  summary: { accountsEnriched: number; durationMs: number } | null;
  errors: number;
  whole: BenchProcessFigures;
  reading: BenchProcessFigures;
  mergeAndPublish: BenchProcessFigures;
  /** After "completed": the sweep of what superseded runs left (absent in older results and for runs that did not complete). */
  sweep?: BenchProcessFigures;
  graphRequests: { total: number; maxPerMailbox: number; throttled429: number };
  /** The largest injected latency one mailbox's chain of pages waited (0 without latency). */
  longestLatencyChainMs: number;
  stored: { mailboxStates: { count: number; meanBytes: number }; snapshotBytes: number };
  progress: Array<{ s: number; mailboxesFinished: number; messagesRead: number }>;
  /** Every process's resident set (and the workers' V8 heap) sampled during the run; absent in older results. */
  memory?: MemorySeries;
}

export interface FloorFigures {
  pages: number;
  items: number;
  bytes: number;
  compressedBytes: number;
  cpuMs: number;
  wallMs: number;
  cpuMicrosPerItem: number;
  /** The same pages received as the workers receive them (node:https, the body inflated in one call) and parsed; absent in older results. */
  oneShot?: { cpuMs: number; cpuMicrosPerItem: number };
  /** The fetch floor measured again before the full run (the figures above are after it); absent in older results. */
  before?: { items: number; cpuMs: number; cpuMicrosPerItem: number };
}

/** What the workers are held against: the mean of the floor before and after the full run where both were measured. */
export function floorMicrosPerItem(f: FloorFigures): number {
  return f.before ? (f.before.cpuMicrosPerItem + f.cpuMicrosPerItem) / 2 : f.cpuMicrosPerItem;
}

export interface LatencyFigures {
  mailboxes: number;
  minMs: number;
  maxMs: number;
  /** Mailboxes read at once over all workers. */
  concurrency: number;
  withoutMs: number;
  withMs: number;
  readingWithoutMs: number;
  readingWithMs: number;
  longestChainMs: number;
  /** The most Graph requests one mailbox took in the latency run (absent in older results). */
  maxRequestsPerMailbox?: number;
}

export interface BenchOutput {
  startedAt: string;
  tenant: { mailboxes: number; messagesPerMailboxPerYear: number; meetingsPerMailboxPerYear: number; accounts: number };
  database: string;
  options: { workers: number; concurrency: number; machine: string };
  cores: number;
  /** 1/5/15-minute load average when the bench started and when its runs ended. */
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  cpuModel: string | null;
  nodeVersion: string;
  /** The Node flags the worker processes ran with (absent in older results). */
  workerNodeFlags?: string[];
  peakRssMiB: { api: number | null; workers: Array<number | null>; simulator: number | null; database: number | null };
  pageStore: Array<{ run: string; name: string; loaded: boolean; ms: number }>;
  floor: FloorFigures | null;
  runs: BenchRun[];
  latency: LatencyFigures | null;
  throttledBound: { budgetPerWindow: number; windowMs: number; mailboxes: number; maxRequestsPerMailbox: number; lowerBoundMs: number; runMs: number } | null;
}

const FULL_MAILBOXES = 2500;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const n = (x: number) => x.toLocaleString('en-US');
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const r1 = (x: number) => Math.round(x * 10) / 10;
const items = (r: BenchRun) => r.counters.messagesRead + r.counters.eventsRead;
const workerCpu = (f: BenchProcessFigures) => sum(f.cpuSeconds.workers);
const allCpu = (f: BenchProcessFigures) => workerCpu(f) + f.cpuSeconds.api + (f.cpuSeconds.simulator ?? 0) + (f.cpuSeconds.database ?? 0);
const total = (f: BenchProcessFigures, k: keyof StageTimings) => sum(f.timings.map((t) => t[k]));
/** Microseconds of worker CPU per item read (message or calendar item). */
const perItem = (cpuSeconds: number, count: number) => (count > 0 ? r1((cpuSeconds * 1e6) / count) : 0);

/** Linear scaling to the 2,500-mailbox tenant: per-mailbox work is the same at every size. */
export function extrapolate(run: BenchRun, mailboxes: number): number {
  // A run cut short by the timeout is scaled from the mailboxes it finished.
  const finished = run.state === 'completed' ? mailboxes : run.counters.mailboxesDone + run.counters.mailboxesFailed;
  return finished > 0 ? (run.whole.wallMs * FULL_MAILBOXES) / finished : Infinity;
}

export function renderMarkdown(o: BenchOutput, jsonFile: string): string {
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  push(`## ${o.startedAt.slice(0, 16).replace('T', ' ')} UTC · ${n(o.tenant.mailboxes)} mailboxes · ${o.options.workers} worker process${o.options.workers === 1 ? '' : 'es'}`, '');
  push(
    `Tenant: ${n(o.tenant.mailboxes)} mailboxes, ${n(o.tenant.accounts)} accounts, ${n(o.tenant.messagesPerMailboxPerYear)} messages and ${n(o.tenant.meetingsPerMailboxPerYear)} meetings sent/organised per mailbox per year. ` +
      `Machine: ${o.options.machine} (${o.cpuModel ?? 'unknown CPU'}), Node ${o.nodeVersion}, database ${o.database}; ${o.options.workers} worker process${o.options.workers === 1 ? '' : 'es'} reading ${o.options.concurrency} mailboxes at once each${o.workerNodeFlags ? ` (Node flags: ${o.workerNodeFlags.join(' ') || 'none'})` : ''}, one API process. ` +
      `Load average (1/5/15 min) ${o.loadAverageAtStart.join(' / ')} at the start, ${o.loadAverageAtEnd.join(' / ')} at the end, on ${o.cores} cores. Raw figures: \`bench/${jsonFile}\`.`,
    '',
  );
  for (const p of o.pageStore) push(`The simulator served the ${p.run}'s pages from its page store (${p.loaded ? 'loaded from its file' : 'rendered before the run'} in ${s(p.ms)}).`);
  if (o.pageStore.length) push('Pages of other runs were rendered as they were asked for.', '');

  push('| run | state | wall time | reading | merge + publish (publish in the worker) | mailboxes done/failed | messages read | calendar items read | CPU s workers / API / simulator / database | database share of CPU |');
  push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of o.runs) {
    const w = r.whole;
    const db = w.cpuSeconds.database;
    push(
      `| ${r.label} (${r.mode}) | ${r.state} | ${s(w.wallMs)} | ${s(r.reading.wallMs)} | ${s(r.mergeAndPublish.wallMs)} (${s(total(w, 'publishMs'))}) | ${r.counters.mailboxesDone}/${r.counters.mailboxesFailed} | ${n(r.counters.messagesRead)} | ${n(r.counters.eventsRead)} | ` +
        `${r1(workerCpu(w))} / ${w.cpuSeconds.api} / ${w.cpuSeconds.simulator ?? '?'} / ${db ?? '?'} | ${db === null ? '?' : `${r1((100 * db) / Math.max(0.001, allCpu(w)))} %`} |`,
    );
  }
  push('');
  const swept = o.runs.filter((r) => r.sweep);
  if (swept.length) {
    push('After it reads completed, a run sweeps what superseded runs left (their mailbox states, the partials); the bench waits for that before the next run:', '');
    push('| run | sweep wall time | CPU s workers / API / simulator / database |');
    push('| --- | --- | --- |');
    for (const r of swept) {
      const f = r.sweep!;
      push(`| ${r.label} | ${s(f.wallMs)} | ${r1(workerCpu(f))} / ${f.cpuSeconds.api} / ${f.cpuSeconds.simulator ?? '?'} / ${f.cpuSeconds.database ?? '?'} |`);
    }
    push('');
  }
  push('Without the final publish (the Parquet snapshot written and stored, the pointer flip, the pruning of older snapshots), the engine\'s own figures:', '');
  push('| run | reading + merge (wall) | CPU s workers / API / simulator / database | database share of CPU |');
  push('| --- | --- | --- | --- |');
  for (const r of o.runs) {
    const publishMs = total(r.whole, 'publishMs');
    // Publishing is the worker's last step; the CPU the processes used meanwhile is taken out in proportion to its wall time.
    const share = r.mergeAndPublish.wallMs > 0 ? Math.min(1, publishMs / r.mergeAndPublish.wallMs) : 0;
    const cpu = (reading: number | null, merge: number | null) => (reading === null || merge === null ? null : r1(reading + merge * (1 - share)));
    const c = { w: cpu(workerCpu(r.reading), workerCpu(r.mergeAndPublish)), a: cpu(r.reading.cpuSeconds.api, r.mergeAndPublish.cpuSeconds.api), sim: cpu(r.reading.cpuSeconds.simulator, r.mergeAndPublish.cpuSeconds.simulator), db: cpu(r.reading.cpuSeconds.database, r.mergeAndPublish.cpuSeconds.database) };
    const all = (c.w ?? 0) + (c.a ?? 0) + (c.sim ?? 0) + (c.db ?? 0);
    push(`| ${r.label} | ${s(r.whole.wallMs - publishMs)} | ${c.w} / ${c.a} / ${c.sim ?? '?'} / ${c.db ?? '?'} | ${c.db === null ? '?' : `${r1((100 * c.db) / Math.max(0.001, all))} %`} |`);
  }
  push('');

  push('Where the workers\' time went (stage time summed over the mailboxes read concurrently and over workers, so it adds up to more than the wall time):', '');
  push('| run | Graph I/O | parsing | aggregation (and merge) | writes (partials, states, work items) | publish | Graph requests (max per mailbox) |');
  push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of o.runs) {
    const w = r.whole;
    push(`| ${r.label} | ${s(total(w, 'graphMs'))} | ${s(total(w, 'parseMs'))} | ${s(total(w, 'aggregateMs'))} | ${s(total(w, 'writeMs'))} | ${s(total(w, 'publishMs'))} | ${n(r.graphRequests.total)} (${r.graphRequests.maxPerMailbox}) |`);
  }
  push('');

  const full = o.runs.find((r) => r.label === 'full run');
  if (full) {
    push('CPU per item read (a message or a calendar item), full run:', '');
    push('| | µs per item |');
    push('| --- | --- |');
    push(`| workers, whole run | ${perItem(workerCpu(full.whole), items(full))} |`);
    push(`| workers, reading stage | ${perItem(workerCpu(full.reading), items(full))} |`);
    if (o.floor) {
      const floor = floorMicrosPerItem(o.floor);
      const when = o.floor.before ? `, the mean of ${o.floor.before.cpuMicrosPerItem} before the full run and ${o.floor.cpuMicrosPerItem} after it` : '';
      push(`| floor: receiving the same pages over HTTPS (gzip as served) and JSON.parse, in the API process${when} | ${r1(floor)} |`);
      push(`| workers ÷ floor (whole run / reading stage) | ${r1(perItem(workerCpu(full.whole), items(full)) / floor)} / ${r1(perItem(workerCpu(full.reading), items(full)) / floor)} (target ≤ 3) |`);
      const oneShot = o.floor.oneShot;
      if (oneShot) {
        push(`| floor as the workers receive pages: node:https, the gzip body inflated in one call, JSON.parse, in the API process | ${oneShot.cpuMicrosPerItem} |`);
        push(`| workers ÷ that floor (whole run / reading stage) | ${r1(perItem(workerCpu(full.whole), items(full)) / oneShot.cpuMicrosPerItem)} / ${r1(perItem(workerCpu(full.reading), items(full)) / oneShot.cpuMicrosPerItem)} |`);
      }
    }
    const served = full.reading.pagesServed.items;
    if (served > 0 && full.reading.cpuSeconds.simulator !== null) push(`| simulator per item served from its page store (reading stage) | ${perItem(full.reading.cpuSeconds.simulator, served)} (target ≤ 5) |`);
    push('');
    if (o.floor) push(`The floor replayed ${n(o.floor.pages)} pages, ${n(o.floor.items)} items: ${n(Math.round(o.floor.bytes / 2 ** 20))} MiB of JSON, ${n(Math.round(o.floor.compressedBytes / 2 ** 20))} MiB on the wire, ${s(o.floor.cpuMs)} of CPU.`, '');
  }

  for (const r of o.runs) {
    if (r.whole.timings.length < 2) continue;
    push(`Per worker process, ${r.label}:`, '');
    push('| worker | mailboxes | messages | calendar items | CPU s | CPU µs per item |');
    push('| --- | --- | --- | --- | --- | --- |');
    r.whole.timings.forEach((t, i) => {
      const cpu = r.whole.cpuSeconds.workers[i] ?? 0;
      push(`| ${i + 1} | ${n(t.mailboxesRead)} | ${n(t.messagesRead)} | ${n(t.eventsRead)} | ${cpu} | ${perItem(cpu, t.messagesRead + t.eventsRead)} |`);
    });
    push('');
  }

  push('What each run leaves stored (its partials are deleted when it completes):', '');
  for (const r of o.runs) {
    const st = r.stored;
    push(`- ${r.label}: ${n(st.mailboxStates.count)} mailbox states of ${n(Math.round(st.mailboxStates.meanBytes / 1024))} KiB on average (the next refresh's base), a Parquet snapshot of ${n(Math.round(st.snapshotBytes / 1024))} KiB${r.counters.mailboxesCalendarFullRead ? `; ${r.counters.mailboxesCalendarFullRead} calendars read in full` : ''}.`);
  }
  push('');
  const rss = o.peakRssMiB;
  push(`Peak RSS (VmHWM): API ${rss.api ?? '?'} MiB, worker${rss.workers.length > 1 ? 's' : ''} ${rss.workers.map((x) => x ?? '?').join(' / ')} MiB, simulator ${rss.simulator ?? '?'} MiB, database ${rss.database ?? '?'} MiB.`, '');
  for (const r of o.runs) if (r.memory) push(memoryLine(r.label, r.memory), '');

  if (full) {
    const graphBound = Math.max(0, Math.ceil(full.graphRequests.maxPerMailbox / 10_000) - 1) * 600_000;
    push(`Graph's per-mailbox limits (10,000 requests / 10 min, 4 concurrent) were on: at most ${full.graphRequests.maxPerMailbox} requests per mailbox in the full run, so they allow ${s(graphBound)} of waiting; ${full.graphRequests.throttled429} requests were answered 429.`, '');
  }
  if (o.latency) {
    const l = o.latency;
    const bound = latencyLowerBound(l);
    const readingBound = Math.max(l.readingWithoutMs, l.longestChainMs);
    push(
      `Graph's latency model (every request ${l.minMs}–${l.maxMs} ms, drawn uniformly; 4 concurrent requests and 10,000 per 10 min per mailbox) on ${n(l.mailboxes)} mailboxes, ${l.concurrency} read at once: **${s(l.withMs)}** (reading ${s(l.readingWithMs)}) against a lower bound of **${s(bound)}**, ratio **${(l.withMs / Math.max(1, bound)).toFixed(2)}** (target ≤ 1.2; reading stage ${(l.readingWithMs / Math.max(1, readingBound)).toFixed(2)}).`,
      '',
      `Lower bound T = max(T₀, max over mailboxes of its longest chain Σℓ): T₀ = ${s(l.withoutMs)} is the same run without latency (what CPU and the database allow; it ran in the same bench, same mailboxes and as-of); a mailbox's pages follow each other through \`@odata.nextLink\`, so each of its two chains (messages, calendar) waits at least the sum ℓ of its pages' drawn latencies, the longest being ${s(l.longestChainMs)}; mailboxes are limited independently and the request rate stays far below Graph's limits` +
        (l.maxRequestsPerMailbox !== undefined ? ` (at most ${l.maxRequestsPerMailbox} requests per mailbox: ⌈r/10,000⌉−1 = 0 windows of waiting; with all 4 concurrent requests used, ⌈r/4⌉·${l.minMs} ms = ${s(Math.ceil(l.maxRequestsPerMailbox / 4) * l.minMs)})` : '') +
        '.',
      '',
    );
  }
  if (o.throttledBound) {
    const t = o.throttledBound;
    push(`Throttling scaled down to ${t.budgetPerWindow} requests per ${s(t.windowMs)} window per mailbox (4 concurrent), ${t.mailboxes} mailboxes: run ${s(t.runMs)} against a lower bound of ${s(t.lowerBoundMs)} (max ${t.maxRequestsPerMailbox} requests per mailbox → ⌈r/B⌉−1 windows of waiting), ratio ${t.lowerBoundMs > 0 ? (t.runMs / t.lowerBoundMs).toFixed(2) : 'n/a'}.`, '');
  }
  const refresh = o.runs.find((r) => r.label === 'weekly refresh');
  if (full && o.tenant.mailboxes < FULL_MAILBOXES) {
    push(`Extrapolated linearly to ${n(FULL_MAILBOXES)} mailboxes at this per-mailbox volume: full run ≈ ${s(extrapolate(full, o.tenant.mailboxes))}${refresh ? `, weekly refresh ≈ ${s(extrapolate(refresh, o.tenant.mailboxes))}` : ''}.`, '');
  }
  if (full && o.tenant.mailboxes >= FULL_MAILBOXES) {
    const check = (ok: boolean) => (ok ? 'met' : 'NOT met');
    const productRss = [rss.api, ...rss.workers].filter((x): x is number => x !== null);
    // The sweep after "completed" is the run's work too: counted in its database share.
    const withSweep = (f: BenchProcessFigures, w: BenchProcessFigures | undefined) => ({ db: (f.cpuSeconds.database ?? 0) + (w?.cpuSeconds.database ?? 0), all: allCpu(f) + (w ? allCpu(w) : 0) });
    const fullCpu = withSweep(full.whole, full.sweep);
    const dbShare = full.whole.cpuSeconds.database === null ? null : fullCpu.db / Math.max(0.001, fullCpu.all);
    push('Targets:', '');
    push(`- full run ≤ 10 min: ${s(full.whole.wallMs)}, ${check(full.whole.wallMs <= 600_000)}.`);
    if (refresh) push(`- weekly refresh ≤ 2 min: ${s(refresh.whole.wallMs)}, ${check(refresh.whole.wallMs <= 120_000)}.`);
    push(`- peak RSS ≤ 1 GB per product process: ${Math.max(...productRss)} MiB at most, ${check(Math.max(...productRss) <= 1024)}.`);
    if (dbShare !== null) push(`- database ≤ 20 % of the run's CPU (its sweep included): ${r1(100 * dbShare)} %, ${check(dbShare <= 0.2)}.`);
    if (o.floor) push(`- worker CPU per item ≤ 3 × the floor: ${r1(perItem(workerCpu(full.whole), items(full)) / floorMicrosPerItem(o.floor))} ×, ${check(perItem(workerCpu(full.whole), items(full)) <= 3 * floorMicrosPerItem(o.floor))}.`);
    push('');
  }
  return lines.join('\n');
}

/** The fastest a run with Graph's latency model can be: see the report's formula. */
export function latencyLowerBound(l: Pick<LatencyFigures, 'withoutMs' | 'longestChainMs'>): number {
  return Math.max(l.withoutMs, l.longestChainMs);
}
