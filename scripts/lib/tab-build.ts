import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Newest modification time of any file below `dir` (skipping node_modules). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the tab with Vite when `dist/addin` is missing or older than its sources (the tab's and the code it shares with the API). */
export function ensureTabBuilt(root: string, log: (line: string) => void = console.log): void {
  const index = path.join(root, 'dist', 'addin', 'index.html');
  const newestSource = Math.max(...['addin', 'common'].map((dir) => newestMtime(path.join(root, dir))));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= newestSource) return;
  log('Building the tab (vite build)…');
  const started = Date.now();
  const result = spawnSync('npx', ['vite', 'build', '--config', 'addin/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('Building the tab failed; see the Vite output above.');
  log(`Tab built in ${Math.round((Date.now() - started) / 1000)} s.`);
}
