/**
 * `npm run bench`: the enrichment engine against the tenant simulator (issue 4, "Scale and speed").
 *
 *   npm run bench                     # 2,500 mailboxes, one year (≈10.3 M messages, ≈2 M meeting occurrences)
 *   npm run bench -- --smoke          # 25 mailboxes at the same per-mailbox volume, 5 throttled (about 8 minutes on FerretDB)
 *   npm run bench -- --mailboxes 250  # a fraction of the full tenant, same per-mailbox volume
 *   options: --messages N (logical messages sent per mailbox per year, default 2700: ≈4,100
 *   copies read per mailbox) --meetings N (meetings organised per mailbox per year, default 310:
 *   ≈820 occurrences read per mailbox) --concurrency N (mailboxes read at once, default 4 as
 *   WORKER_MAILBOX_CONCURRENCY) --no-refresh --throttled-mailboxes N (default 20, 0 = skip)
 *   --throttle-budget N --throttle-window-ms N --timeout-min N
 *
 * Three processes are measured apart: the simulator (scripts/bench/sim-process.ts), the
 * API/worker (scripts/bench/worker-process.ts: agenda + RunsService + worker, as ROLE=worker)
 * and the database (MONGODB_URI, else the local one `npm test` uses: mongod, or FerretDB).
 * Runs: a full run, a weekly refresh after the simulator's clock moves 7 days, and a full run
 * of a few mailboxes with Graph's throttling scaled down, against its lower bound. Writes
 * bench/results-<date>.json and appends a section to bench/RESULTS.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { defaultAnchor } from '../simulator/src/tenant/default-tenants';
import { ensureSimulatorCertificate } from '../simulator/src/tls/certificate';
import type { WorkerConfig } from './bench/worker-process';
import { childProcesses } from './bench/proc-stats';
import { startLocalDatabase } from './lib/local-database';
import { renderMarkdown, type BenchOutput } from './bench/bench-report';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (s: string) => console.log(`[bench] ${s}`);

function parseArgs(argv: string[]) {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`Unexpected argument "${a}"; options start with --.`);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(a.slice(2), next);
      i++;
    } else flags.set(a.slice(2), true);
  }
  const known = ['smoke', 'mailboxes', 'messages', 'meetings', 'concurrency', 'no-refresh', 'throttled-mailboxes', 'throttle-budget', 'throttle-window-ms', 'timeout-min'];
  for (const k of flags.keys()) if (!known.includes(k)) throw new Error(`Unknown option --${k}; known: ${known.map((x) => `--${x}`).join(' ')}.`);
  const num = (k: string, d: number) => {
    const v = flags.get(k);
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${k} needs a whole number, got "${String(v)}".`);
    return n;
  };
  const smoke = flags.has('smoke');
  const mailboxes = num('mailboxes', smoke ? 25 : 2500);
  if (mailboxes < 1) throw new Error('--mailboxes must be at least 1.');
  return {
    smoke,
    mailboxes,
    messages: num('messages', 2700),
    meetings: num('meetings', 310),
    concurrency: Math.max(1, num('concurrency', 4)),
    refresh: !flags.has('no-refresh'),
    throttledMailboxes: Math.min(mailboxes, num('throttled-mailboxes', smoke ? 5 : 20)),
    throttleBudget: Math.max(1, num('throttle-budget', 3)),
    throttleWindowMs: Math.max(1000, num('throttle-window-ms', 10_000)),
    timeoutMs: num('timeout-min', smoke ? 10 : 60) * 60_000,
  };
}

/** Starts a TS script in its own Node process and resolves with the first `<tag> {json}` line on stdout. */
function startChild(script: string, env: Record<string, string>, tag: string): { child: ChildProcess; line: Promise<unknown> } {
  // BENCH_CPU_PROF_DIR=dir writes a V8 CPU profile of each child there (NODE_OPTIONS refuses --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = new Promise<unknown>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (l) => {
      if (l.startsWith(`${tag} `)) resolve(JSON.parse(l.slice(tag.length + 1)));
      else console.log(l);
    });
    child.once('exit', (code) => reject(new Error(`${path.basename(script)} exited with ${code} before it reported`)));
  });
  return { child, line };
}

const stopChild = (c: ChildProcess | undefined) =>
  new Promise<void>((resolve) => {
    if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
    setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
  });

const args = parseArgs(process.argv.slice(2));
const anchor = defaultAnchor();
const tenant = { mailboxes: args.mailboxes, messagesPerMailbox: args.messages, meetingsPerMailbox: args.meetings, anchor: anchor.toISOString() };
log(`${args.smoke ? 'smoke' : 'full'} mode: ${args.mailboxes} mailboxes, ${args.messages} messages and ${args.meetings} meetings per mailbox per year, concurrency ${args.concurrency}`);

const simState = path.join(root, '.data', 'bench', 'simulator');
const cert = await ensureSimulatorCertificate(path.join(simState, 'tls'));
// A fresh database per bench: figures must not depend on what an earlier (or aborted) bench left.
const dbDir = path.join(root, '.data', 'bench', `db-${process.pid}`);
const database = await startLocalDatabase(dbDir, { log });
// The database server is this process's child (unless MONGODB_URI points elsewhere).
const dbChild = database.kind === 'external' ? null : childProcesses(process.pid).find((c) => /ferretdb|mongod/i.test(c.command)) ?? null;
let sim: ChildProcess | undefined;
let worker: ChildProcess | undefined;
let exitCode = 0;
try {
  const s = startChild('scripts/bench/sim-process.ts', { BENCH_TENANT: JSON.stringify(tenant), SIM_STATE_DIR: simState }, 'BENCH_SIM');
  sim = s.child;
  const simInfo = (await s.line) as { url: string };
  log(`simulator ${simInfo.url} (pid ${sim.pid}), database ${database.kind}${dbChild ? ` (pid ${dbChild.pid})` : ''}`);
  const config: WorkerConfig = {
    mongoUri: database.uri,
    dbName: `bench_engine_${Date.now()}`,
    simUrl: simInfo.url,
    simPid: sim.pid!,
    dbPid: dbChild?.pid ?? null,
    tenant,
    concurrency: args.concurrency,
    refresh: args.refresh,
    throttled: args.throttledMailboxes > 0 ? { mailboxes: args.throttledMailboxes, budgetPerWindow: args.throttleBudget, windowMs: args.throttleWindowMs } : null,
    runTimeoutMs: args.timeoutMs,
  };
  const w = startChild('scripts/bench/worker-process.ts', { BENCH_CONFIG: JSON.stringify(config), NODE_EXTRA_CA_CERTS: cert.certPath }, 'BENCH_RESULT');
  worker = w.child;
  const result = (await w.line) as Omit<BenchOutput, 'mode' | 'startedAt' | 'tenant' | 'database' | 'options'>;
  const output: BenchOutput = {
    mode: args.smoke ? 'smoke' : 'full',
    startedAt: new Date().toISOString(),
    tenant: { mailboxes: args.mailboxes, messagesPerMailboxPerYear: args.messages, meetingsPerMailboxPerYear: args.meetings, accounts: args.mailboxes * 4 },
    database: database.kind,
    options: { concurrency: args.concurrency, machine: `${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB` },
    ...result,
  };
  fs.mkdirSync(path.join(root, 'bench'), { recursive: true });
  const stamp = output.startedAt.slice(0, 19).replace(/[:T]/g, '-');
  const jsonFile = path.join(root, 'bench', `results-${stamp}-${output.mode}-${args.mailboxes}.json`);
  fs.writeFileSync(jsonFile, `${JSON.stringify(output, null, 2)}\n`);
  const md = renderMarkdown(output, path.basename(jsonFile));
  const resultsMd = path.join(root, 'bench', 'RESULTS.md');
  fs.appendFileSync(resultsMd, `${fs.existsSync(resultsMd) ? '\n' : '# Engine bench results\n\nEach section is one `npm run bench` run, newest last; `bench/README.md` says how to read them.\n\n'}${md}`);
  console.log(md);
  log(`wrote ${path.relative(root, jsonFile)} and bench/RESULTS.md`);
} catch (e) {
  console.error(`[bench] failed: ${e instanceof Error ? e.message : String(e)}`);
  exitCode = 1;
} finally {
  // The worker exits by itself after reporting (and writes its CPU profile when asked): give it time.
  if (worker && worker.exitCode === null) await new Promise((r) => { worker!.once('exit', r); setTimeout(r, 30_000).unref(); });
  await stopChild(worker);
  await stopChild(sim);
  await database.stop();
  fs.rmSync(dbDir, { recursive: true, force: true });
}
process.exit(exitCode);
