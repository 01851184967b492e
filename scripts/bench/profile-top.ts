/**
 * Where a V8 CPU profile (`node --cpu-prof`, or `BENCH_CPU_PROF_DIR` of `npm run bench`) spent
 * its time: self time per function and per file (or npm package), and total (inclusive) time of
 * the functions named with `--total`.
 *
 *   npx tsx scripts/bench/profile-top.ts <file.cpuprofile> [--top 40] [--total name,name…]
 *
 * Self time is what a function ran itself; `(garbage collector)`, `(program)` (V8 and native
 * code outside JavaScript, e.g. TLS, zlib on the main thread) and `(idle)` are V8's own rows.
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const argv = process.argv.slice(2);
const file = argv.find((a) => !a.startsWith('--') && argv[argv.indexOf(a) - 1] !== '--top' && argv[argv.indexOf(a) - 1] !== '--total');
if (!file) throw new Error('Usage: profile-top.ts <file.cpuprofile> [--top N] [--total fn1,fn2]');
const top = Number(argv[argv.indexOf('--top') + 1] ?? 40) || 40;
const totals = argv.includes('--total') ? argv[argv.indexOf('--total') + 1]!.split(',') : [];

const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Sample i lasted timeDeltas[i + 1] (V8 records the delta before each sample).
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + dt);
}

/** A file as a short name: the npm package for node_modules, the project path otherwise. */
function fileOf(url: string): string {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const project = url.indexOf('/api/src/');
  if (project >= 0) return url.slice(project + 1);
  const scripts = url.indexOf('/scripts/');
  if (scripts >= 0) return url.slice(scripts + 1);
  return url.replace(/^file:\/\//, '');
}

const fnKey = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}  ${fileOf(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

const byFn = new Map<string, number>();
const byFile = new Map<string, number>();
let all = 0;
let idle = 0;
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  all += us;
  if (n.callFrame.functionName === '(idle)') idle += us;
  add(byFn, fnKey(n), us);
  add(byFile, n.callFrame.url ? fileOf(n.callFrame.url) : n.callFrame.functionName, us);
}

const busy = all - idle;
const ms = (us: number) => (us / 1000).toFixed(0).padStart(7);
const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
const print = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  const rows = [...m].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]);
  for (const [k, v] of rows.slice(0, n)) console.log(`${ms(v)} ms ${pct(v)}  ${k}`);
};

console.log(`${file}: ${(all / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s not idle (percentages are of that; idle is not listed)`);
print('self time by function', byFn, top);
print('self time by file or package', byFile, Math.min(top, 25));

// Each sample charged to the nearest project function on its stack (api/src, scripts): who
// caused the library and runtime work (JSON.parse inside the Graph client, zlib, the driver).
const byCaller = new Map<string, number>();
for (const [id, us] of selfUs) {
  let cur: number | undefined = id;
  while (cur !== undefined && !/\/(api\/src|scripts)\//.test(byId.get(cur)!.callFrame.url)) cur = parent.get(cur);
  const n = byId.get(cur ?? id)!;
  if (n.callFrame.functionName === '(idle)') continue;
  add(byCaller, cur === undefined ? `(no project frame) ${fileOf(n.callFrame.url) || n.callFrame.functionName}` : fnKey(n), us);
}
print('self and library time by nearest project function', byCaller, Math.min(top, 30));

if (totals.length > 0) {
  // Inclusive time: a sample counts once for a function however often it recurs on the stack.
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur)!.callFrame.functionName;
      if (totals.includes(name) && !seen.has(name)) {
        seen.add(name);
        add(inclusive, name, us);
      }
    }
  }
  print('total (inclusive) time', inclusive, totals.length);
}
