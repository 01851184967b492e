import { describe, expect, it } from 'vitest';
import { heapFiguresOf, memoryLine, summarizeMemory, type MemorySample, type MemorySeries } from '../../scripts/bench/memory-series';

/** The bench's memory series: which stage a process was at its largest in, and when a worker's high-water mark was reached. */
const heap = (used: number) => ({ used, total: used + 50, external: 20, arrayBuffers: 5 });
const sample = (s: number, worker: { rss: number; hwm: number } | null, others = 100): MemorySample => ({
  s,
  api: others,
  simulator: others + 1,
  database: others + 2,
  workers: [worker ? { ...worker, heap: heap(worker.rss / 2) } : null],
});
const seriesOf = (samples: MemorySample[], readingEndS = 3): MemorySeries => ({ everyMs: 1000, readingEndS, samples });

describe('bench memory series', () => {
  it('when the worker grows after reading ends, then its merge + publish peak and high-water mark are placed in merge + publish', () => {
    const series = seriesOf([sample(1, { rss: 300, hwm: 300 }), sample(2, { rss: 500, hwm: 500 }), sample(3, { rss: 450, hwm: 500 }), sample(4, { rss: 700, hwm: 800 }), sample(5, { rss: 400, hwm: 800 })]);
    const [worker] = summarizeMemory(series);
    expect(worker).toMatchObject({ process: 'worker', reading: { mib: 500, s: 2, heap: heap(250) }, mergeAndPublish: { mib: 700, s: 4, heap: heap(350) } });
    expect(worker!.highWater).toEqual({ mib: 800, afterS: 3, byS: 4, stage: 'merge + publish' });
  });

  it('when the high-water mark is already at its top at the first sample, then it is said to be from before this run', () => {
    const [worker] = summarizeMemory(seriesOf([sample(0, { rss: 200, hwm: 900 }), sample(1, { rss: 300, hwm: 900 })]));
    expect(worker!.highWater).toEqual({ mib: 900, afterS: null, byS: 0, stage: 'before this run' });
  });

  it('when a sample could not read a process, then the stage peaks skip it and the other processes are summarised without heap figures', () => {
    const summary = summarizeMemory(seriesOf([sample(1, null, 120), sample(2, { rss: 250, hwm: 260 }, 90)]));
    expect(summary.map((p) => p.process)).toEqual(['worker', 'API', 'simulator', 'database']);
    expect(summary[0]).toMatchObject({ reading: { mib: 250, s: 2 }, mergeAndPublish: null, highWater: { mib: 260, afterS: 1, byS: 2, stage: 'reading' } });
    expect(summary[1]).toEqual({ process: 'API', reading: { mib: 120, s: 1, heap: null }, mergeAndPublish: null });
  });

  it('when the report line is written, then it names the peak of each stage and where the high-water mark rose', () => {
    const line = memoryLine('full run', seriesOf([sample(1, { rss: 300, hwm: 300 }), sample(4, { rss: 700, hwm: 710 })]));
    expect(line).toContain('full run (RSS sampled every 1 s, 2 samples, reading until 3 s');
    expect(line).toContain('worker 300 MiB (at 1 s; V8 heap 150 used of 200 MiB, external 20 MiB of which array buffers 5 MiB) reading, 700 MiB (at 4 s;');
    expect(line).toContain('high-water mark 710 MiB reached in merge + publish, between 1 and 4 s');
  });

  it('when a worker reports process.memoryUsage, then its figures are kept in MiB', () => {
    expect(heapFiguresOf({ heapUsed: 256 * 2 ** 20, heapTotal: 300.25 * 2 ** 20, external: 3 * 2 ** 19, arrayBuffers: 0 })).toEqual({ used: 256, total: 300.3, external: 1.5, arrayBuffers: 0 });
  });
});
