/**
 * No import circles in the API: madge over api/src, file by file, folder by folder for runs
 * (a run's folders, and runs against every other folder it meets), and feature by feature.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function madge(...args: string[]): unknown {
  // madge exits with 1 when it finds a circle; its JSON on stdout says which.
  const run = spawnSync(process.execPath, [path.join(root, 'node_modules/madge/bin/cli.js'), '--json', '--no-spinner', '--extensions', 'ts', '--ts-config', 'tsconfig.json', ...args, 'api/src'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error || !run.stdout.trim()) throw new Error(`madge did not answer: ${run.error?.message ?? run.stderr}`);
  return JSON.parse(run.stdout);
}

/** The folder a file belongs to for the folder graph: runs and platform by sub-folder, other features by feature, root files each on their own. */
function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts.length === 1) return file;
  if ((parts[0] === 'runs' || parts[0] === 'platform') && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0]!;
}

/** Strongly connected components of more than one node (Tarjan): each is an import circle between folders. */
function circles(edges: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('import circles in api/src', () => {
  it('when madge --circular reads api/src, then it finds no circle between files', () => {
    expect(madge('--circular')).toEqual([]);
  });

  it('when files are grouped by folder, then no folder of runs is part of an import circle', () => {
    const graph = madge() as Record<string, string[]>;
    const edges = new Map<string, Set<string>>();
    for (const [file, deps] of Object.entries(graph)) {
      for (const dep of deps) {
        const [from, to] = [folderOf(file), folderOf(dep)];
        if (from !== to) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
      }
    }
    expect(edges.has('runs/jobs')).toBe(true);
    const withRuns = circles(edges).filter((c) => c.some((f) => f === 'runs' || f.startsWith('runs/')));
    expect(withRuns).toEqual([]);
  });

  it('when platform/ is read, then it imports nothing outside platform/ (shared infrastructure knows no feature)', () => {
    const graph = madge() as Record<string, string[]>;
    const upward = Object.entries(graph)
      .filter(([file]) => file.startsWith('platform/'))
      .flatMap(([file, deps]) => deps.filter((d) => !d.startsWith('platform/') && !d.startsWith('../')).map((d) => `${file} -> ${d}`));
    expect(Object.keys(graph).some((f) => f.startsWith('platform/'))).toBe(true);
    expect(upward).toEqual([]);
  });

  it('when files are grouped by top folder, then no two features import each other, directly or round a loop', () => {
    const graph = madge() as Record<string, string[]>;
    const top = (file: string) => (file.includes('/') ? file.split('/')[0]! : file);
    const edges = new Map<string, Set<string>>();
    for (const [file, deps] of Object.entries(graph)) {
      for (const dep of deps) {
        const [from, to] = [top(file), top(dep)];
        if (from !== to) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
      }
    }
    expect(edges.get('runs')?.has('enrichments')).toBe(true);
    expect(circles(edges)).toEqual([]);
  });
});
