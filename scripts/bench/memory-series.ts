import { residentMiB } from './proc-stats';

/**
 * The bench's memory time series (issue 13: peak RSS ≤ 1 GB per product process). While a run
 * goes, every `everyMs` the API process reads each process's resident set from /proc (VmRSS,
 * and for the workers VmHWM, the high-water mark the target is checked on) and asks each worker
 * over its IPC channel what V8 holds (`process.memoryUsage()`). The summary says in which stage,
 * reading or merge + publish, each process was at its largest and when a worker's high-water
 * mark was reached, so a peak can be blamed on the stage that made it.
 */

/** What V8 says a worker holds, in MiB. */
export interface HeapFigures {
  /** Live objects and garbage not yet collected on V8's heap. */
  used: number;
  /** The heap V8 has reserved (what the resident set counts of it). */
  total: number;
  /** Memory outside the heap that JavaScript objects own (Buffers, DuckDB's vectors seen by V8, …). */
  external: number;
  /** Of `external`, ArrayBuffers and Buffers. */
  arrayBuffers: number;
}

export interface WorkerMemory {
  rss: number;
  hwm: number;
  /** Null when the worker did not answer within the sampling period (its event loop was busy). */
  heap: HeapFigures | null;
}

export interface MemorySample {
  /** Seconds since the run started. */
  s: number;
  /** VmRSS in MiB; null when the process was not readable. */
  api: number | null;
  simulator: number | null;
  database: number | null;
  workers: Array<WorkerMemory | null>;
}

export interface MemorySeries {
  everyMs: number;
  /** When the reading stage ended (seconds since the run started): later samples are merge + publish. */
  readingEndS: number;
  samples: MemorySample[];
}

export type Stage = 'reading' | 'merge + publish';

export interface StagePeak {
  mib: number;
  s: number;
  heap: HeapFigures | null;
}

export interface ProcessMemory {
  process: string;
  reading: StagePeak | null;
  mergeAndPublish: StagePeak | null;
  /**
   * Workers: the high-water mark at the run's end and the two samples it rose between for the
   * last time (`afterS` null: it was already there at the first sample, i.e. before this run).
   */
  highWater?: { mib: number; afterS: number | null; byS: number; stage: Stage | 'before this run' };
}

const MIB = 2 ** 20;
const mib = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;

/** `process.memoryUsage()` as the worker sends it, in MiB. */
export function heapFiguresOf(u: Pick<NodeJS.MemoryUsage, 'heapUsed' | 'heapTotal' | 'external' | 'arrayBuffers'>): HeapFigures {
  return { used: mib(u.heapUsed), total: mib(u.heapTotal), external: mib(u.external), arrayBuffers: mib(u.arrayBuffers) };
}

export interface SampledProcesses {
  api: number;
  simulator: number;
  database: number | null;
  workers: Array<{ pid: number; heap: (timeoutMs: number) => Promise<HeapFigures | null> }>;
}

/** Samples until `stop`, which resolves with the series once the sample under way is taken. */
export function startMemorySampler(processes: SampledProcesses, startedAt: number, everyMs: number): { stop(readingEndAt: number): Promise<MemorySeries> } {
  const samples: MemorySample[] = [];
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      const at = Date.now();
      const resident = processes.workers.map((w) => residentMiB(w.pid));
      const sample: MemorySample = {
        s: Math.round((at - startedAt) / 100) / 10,
        api: residentMiB(processes.api)?.rss ?? null,
        simulator: residentMiB(processes.simulator)?.rss ?? null,
        database: processes.database === null ? null : (residentMiB(processes.database)?.rss ?? null),
        workers: [],
      };
      const heaps = await Promise.all(processes.workers.map((w) => w.heap(everyMs)));
      sample.workers = resident.map((r, i) => (r ? { ...r, heap: heaps[i] ?? null } : null));
      samples.push(sample);
      const rest = everyMs - (Date.now() - at);
      if (rest > 0 && !stopped) await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, rest).unref(); });
    }
  })();
  return {
    async stop(readingEndAt: number) {
      stopped = true;
      wake?.();
      await loop;
      return { everyMs, readingEndS: Math.round((readingEndAt - startedAt) / 100) / 10, samples };
    },
  };
}

/** Per process, its largest sampled resident set in each stage, and for workers when the high-water mark was reached. */
export function summarizeMemory(series: MemorySeries): ProcessMemory[] {
  const stageOf = (s: number): Stage => (s <= series.readingEndS ? 'reading' : 'merge + publish');
  const peaks = (name: string, pick: (x: MemorySample) => { mib: number | null; heap: HeapFigures | null }): ProcessMemory => {
    const out: ProcessMemory = { process: name, reading: null, mergeAndPublish: null };
    for (const x of series.samples) {
      const { mib: value, heap } = pick(x);
      if (value === null) continue;
      const key = stageOf(x.s) === 'reading' ? 'reading' : 'mergeAndPublish';
      if (!out[key] || value > out[key]!.mib) out[key] = { mib: value, s: x.s, heap };
    }
    return out;
  };
  const workerCount = Math.max(0, ...series.samples.map((x) => x.workers.length));
  const workers = Array.from({ length: workerCount }, (_, i) => {
    const p = peaks(workerCount > 1 ? `worker ${i + 1}` : 'worker', (x) => ({ mib: x.workers[i]?.rss ?? null, heap: x.workers[i]?.heap ?? null }));
    const marks = series.samples.map((x) => ({ s: x.s, hwm: x.workers[i]?.hwm ?? null }));
    const top = Math.max(...marks.map((m) => m.hwm ?? -1));
    const reached = marks.findIndex((m) => m.hwm === top);
    if (reached >= 0) {
      const byS = marks[reached]!.s;
      const afterS = reached === 0 ? null : marks[reached - 1]!.s;
      p.highWater = { mib: top, afterS, byS, stage: afterS === null ? 'before this run' : stageOf(byS) };
    }
    return p;
  });
  const none = { heap: null };
  return [
    ...workers,
    peaks('API', (x) => ({ mib: x.api, ...none })),
    peaks('simulator', (x) => ({ mib: x.simulator, ...none })),
    peaks('database', (x) => ({ mib: x.database, ...none })),
  ];
}

const heapText = (h: HeapFigures | null) => (h ? `; V8 heap ${h.used} used of ${h.total} MiB, external ${h.external} MiB of which array buffers ${h.arrayBuffers} MiB` : '');
const peakText = (p: StagePeak | null, withHeap: boolean) => (p ? `${p.mib} MiB (at ${p.s} s${withHeap ? heapText(p.heap) : ''})` : 'not sampled');

/** One line for the report: where each process was at its largest, reading against merge + publish. */
export function memoryLine(label: string, series: MemorySeries): string {
  const all = summarizeMemory(series);
  const parts = all.map((p) => {
    const isWorker = p.highWater !== undefined;
    const high = p.highWater ? `; high-water mark ${p.highWater.mib} MiB reached ${p.highWater.afterS === null ? `before this run (by ${p.highWater.byS} s)` : `in ${p.highWater.stage}, between ${p.highWater.afterS} and ${p.highWater.byS} s`}` : '';
    return `${p.process} ${peakText(p.reading, isWorker)} reading, ${peakText(p.mergeAndPublish, isWorker)} merge + publish${high}`;
  });
  return `Memory, ${label} (RSS sampled every ${series.everyMs / 1000} s, ${series.samples.length} samples, reading until ${series.readingEndS} s; largest per stage): ${parts.join('; ')}.`;
}
