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

/** Builds the tab with Vite when `dist/addin` is missing or older than its sources. */
export function ensureTabBuilt(root: string, log: (line: string) => void = console.log): void {
  const index = path.join(root, 'dist', 'addin', 'index.html');
  const sources = path.join(root, 'addin');
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= newestMtime(sources)) return;
  log('Building the tab (vite build)…');
  const started = Date.now();
  const result = spawnSync('npx', ['vite', 'build', '--config', 'addin/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('Building the tab failed; see the Vite output above.');
  log(`Tab built in ${Math.round((Date.now() - started) / 1000)} s.`);
}
