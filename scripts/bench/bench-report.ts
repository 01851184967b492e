/** The bench's result document and its Markdown section for bench/RESULTS.md. */

export interface BenchRun {
  label: string;
  mode: string;
  state: string;
  mailboxes: number;
  wallMs: number;
  counters: { mailboxesDone: number; mailboxesFailed: number; messagesRead: number; eventsRead: number };
  summary: { accountsEnriched: number; durationMs: number } | null;
  errors: number;
  messagesPerSecond: number;
  messagesPerSecondPerCore: number;
  messagesPerWorkerCpuSecond: number;
  cpuSeconds: { worker: number; simulator: number | null; database: number | null };
  timings: { graphMs: number; parseMs: number; aggregateMs: number; writeMs: number; requests: number; mailboxesRead: number; finalizeMs: number };
  split: { graphIo: number; parsing: number; aggregation: number; mongoWrites: number };
  graphRequests: { total: number; maxPerMailbox: number; throttled429: number };
  stored: Record<'mailboxStates' | 'outputRows', { count: number; meanBytes: number }>;
  progress: Array<{ s: number; mailboxesFinished: number; messagesRead: number }>;
}

export interface BenchOutput {
  mode: 'smoke' | 'full';
  startedAt: string;
  tenant: { mailboxes: number; messagesPerMailboxPerYear: number; meetingsPerMailboxPerYear: number; accounts: number };
  database: string;
  options: { concurrency: number; machine: string };
  cores: number;
  /** 1/5/15-minute load average when the runs ended: other work on the machine skews wall times. */
  loadAverageAtEnd?: number[];
  cpuModel: string | null;
  nodeVersion: string;
  peakRssMiB: { worker: number | null; simulator: number | null; database: number | null };
  runs: BenchRun[];
  throttledBound: { budgetPerWindow: number; windowMs: number; mailboxes: number; maxRequestsPerMailbox: number; lowerBoundMs: number; runMs: number } | null;
}

const FULL_MAILBOXES = 2500;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const n = (x: number) => x.toLocaleString('en-US');

/** Linear scaling to the 2,500-mailbox tenant: per-mailbox work is the same at every size. */
export function extrapolate(run: BenchRun, mailboxes: number): number {
  // A run cut short by the timeout is scaled from the mailboxes it finished.
  const finished = run.state === 'completed' ? mailboxes : run.counters.mailboxesDone + run.counters.mailboxesFailed;
  return finished > 0 ? (run.wallMs * FULL_MAILBOXES) / finished : Infinity;
}

export function renderMarkdown(o: BenchOutput, jsonFile: string): string {
  const lines: string[] = [];
  lines.push(`## ${o.startedAt.slice(0, 16).replace('T', ' ')} UTC · ${o.mode} · ${n(o.tenant.mailboxes)} mailboxes`);
  lines.push('');
  lines.push(`Tenant: ${n(o.tenant.mailboxes)} mailboxes, ${n(o.tenant.accounts)} accounts, ${n(o.tenant.messagesPerMailboxPerYear)} messages and ${n(o.tenant.meetingsPerMailboxPerYear)} meetings sent/organised per mailbox per year. Machine: ${o.options.machine} (${o.cpuModel ?? 'unknown CPU'}), Node ${o.nodeVersion}, database ${o.database}, ${o.options.concurrency} mailboxes read at once. Raw figures: \`bench/${jsonFile}\`.`);
  lines.push('');
  lines.push('| run | state | wall time | mailboxes done/failed | messages read | calendar items read | msg/s | msg/s per core | msg per worker CPU-s | CPU s worker / sim / db |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of o.runs) {
    lines.push(`| ${r.label} (${r.mode}) | ${r.state} | ${s(r.wallMs)} | ${r.counters.mailboxesDone}/${r.counters.mailboxesFailed} | ${n(r.counters.messagesRead)} | ${n(r.counters.eventsRead)} | ${n(r.messagesPerSecond)} | ${n(r.messagesPerSecondPerCore)} | ${n(r.messagesPerWorkerCpuSecond)} | ${r.cpuSeconds.worker} / ${r.cpuSeconds.simulator ?? '?'} / ${r.cpuSeconds.database ?? '?'} |`);
  }
  lines.push('');
  lines.push('Where the worker\'s time went (stage time summed over concurrent mailboxes, share of the four stages; finalize\'s merge counts as aggregation):');
  lines.push('');
  lines.push('| run | Graph I/O | parsing | aggregation | MongoDB writes | finalize (wall) | Graph requests (max per mailbox) |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of o.runs) {
    lines.push(`| ${r.label} | ${r.split.graphIo} % | ${r.split.parsing} % | ${r.split.aggregation} % | ${r.split.mongoWrites} % | ${s(r.timings.finalizeMs)} | ${n(r.graphRequests.total)} (${r.graphRequests.maxPerMailbox}) |`);
  }
  lines.push('');
  lines.push('What each run leaves stored (its partials are deleted when it completes):');
  lines.push('');
  for (const r of o.runs) {
    const st = r.stored;
    lines.push(`- ${r.label}: ${n(st.mailboxStates.count)} mailbox states of ${n(Math.round(st.mailboxStates.meanBytes / 1024))} KiB on average (the next refresh's base), ${n(st.outputRows.count)} output rows of ${n(st.outputRows.meanBytes)} bytes.`);
  }
  lines.push('');
  // Only the reading phase: once every mailbox is finished the merge runs and the count stands still.
  const reading = (r: BenchRun) => r.progress.filter((x) => x.mailboxesFinished < r.mailboxes);
  const paced = o.runs.filter((r) => reading(r).length >= 3);
  if (paced.length) {
    lines.push('Pace (mailboxes finished per minute, first and last third of the run; a falling pace means the run gets slower as the database grows):');
    lines.push('');
    for (const r of paced) {
      const third = Math.floor(reading(r).length / 3);
      const rate = (a: { s: number; mailboxesFinished: number }, b: { s: number; mailboxesFinished: number }) => (b.s > a.s ? ((b.mailboxesFinished - a.mailboxesFinished) * 60) / (b.s - a.s) : 0);
      const p = reading(r);
      lines.push(`- ${r.label}: ${rate(p[0]!, p[third]!).toFixed(1)} → ${rate(p[p.length - 1 - third]!, p[p.length - 1]!).toFixed(1)} per minute.`);
    }
    lines.push('');
  }
  if (o.loadAverageAtEnd) lines.push(`Load average at the end (1/5/15 min): ${o.loadAverageAtEnd.join(' / ')} on ${o.cores} cores; anything above ${o.cores} means other work competed for the CPU.`, '');
  lines.push(`Peak RSS (VmHWM): API/worker ${o.peakRssMiB.worker ?? '?'} MiB, simulator ${o.peakRssMiB.simulator ?? '?'} MiB, database ${o.peakRssMiB.database ?? '?'} MiB.`);
  const full = o.runs.find((r) => r.label === 'full run');
  const refresh = o.runs.find((r) => r.label === 'weekly refresh');
  if (full) {
    const graphBound = Math.max(0, Math.ceil(full.graphRequests.maxPerMailbox / 10_000) - 1) * 600_000;
    lines.push('');
    lines.push(`Graph's real per-mailbox limits (10,000 requests / 10 min, 4 concurrent) were on during the full run: at most ${full.graphRequests.maxPerMailbox} requests per mailbox, so they allow ${s(graphBound)} of waiting; ${full.graphRequests.throttled429} requests were answered 429.`);
  }
  if (o.throttledBound) {
    const t = o.throttledBound;
    lines.push('');
    lines.push(`Throttling scaled down to ${t.budgetPerWindow} requests per ${s(t.windowMs)} window per mailbox (4 concurrent), ${t.mailboxes} mailboxes: run ${s(t.runMs)} against a lower bound of ${s(t.lowerBoundMs)} (max ${t.maxRequestsPerMailbox} requests per mailbox → ⌈r/B⌉−1 windows of waiting), ratio ${t.lowerBoundMs > 0 ? (t.runMs / t.lowerBoundMs).toFixed(2) : 'n/a'}.`);
  }
  if (full && o.tenant.mailboxes < FULL_MAILBOXES) {
    lines.push('');
    lines.push(`Extrapolated linearly to ${n(FULL_MAILBOXES)} mailboxes at this per-mailbox volume: full run ≈ ${s(extrapolate(full, o.tenant.mailboxes))}${refresh ? `, weekly refresh ≈ ${s(extrapolate(refresh, o.tenant.mailboxes))}` : ''} (≈ ${n(Math.round((full.counters.messagesRead * FULL_MAILBOXES) / Math.max(1, full.state === 'completed' ? o.tenant.mailboxes : full.counters.mailboxesDone + full.counters.mailboxesFailed)))} messages). Linear scaling is optimistic here: see the pace above.`);
  }
  lines.push('');
  return lines.join('\n');
}
