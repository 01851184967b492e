import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const LAUNCHER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'ferretdb-launcher');

export interface RunningDatabase {
  uri: string;
  kind: 'ferretdb' | 'mongodb-memory-server' | 'external';
  stop(): Promise<void>;
}

export function hasGo(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Builds the FerretDB launcher once per source version into the user's cache, so fresh clones
 * on the same machine reuse it. Prints progress because the first build takes minutes.
 */
export function ensureFerretDbLauncher(log: (line: string) => void = console.log): string {
  const hash = createHash('sha256');
  const sources = fs.readdirSync(LAUNCHER_DIR).filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum').sort();
  for (const f of sources) hash.update(fs.readFileSync(path.join(LAUNCHER_DIR, f)));
  const cacheRoot = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  const binary = path.join(cacheRoot, 'account-engagement', `ferretdb-launcher-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(binary)) return binary;
  if (!hasGo()) {
    throw new Error('Go is not on PATH, so the local FerretDB cannot be built. Install Go, or set MONGODB_URI=mongodb://host:port/ to use your own MongoDB server.');
  }
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  log('Building the local FerretDB launcher (first time only; this takes a few minutes)…');
  const started = Date.now();
  const tmp = `${binary}.tmp-${process.pid}`;
  const result = spawnSync('go', ['build', '-trimpath', '-o', tmp, '.'], {
    cwd: LAUNCHER_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  if (result.status !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error('Building the FerretDB launcher failed (see the Go output above). Set MONGODB_URI to use another MongoDB server.');
  }
  fs.renameSync(tmp, binary);
  log(`FerretDB launcher built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return binary;
}

/** Starts FerretDB (SQLite backend) on a free loopback port and resolves with its URI. */
export async function startFerretDb(dataDir: string, log: (line: string) => void = console.log): Promise<RunningDatabase> {
  const binary = ensureFerretDbLauncher(log);
  fs.mkdirSync(dataDir, { recursive: true });
  const child = spawn(binary, ['-data', dataDir, '-listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let stopping = false;
  const uri = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`FerretDB did not start within 30 s.\n${stderr}`)), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { uri: string }).uri);
      } catch {
        reject(new Error(`Unexpected FerretDB launcher output: ${line}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`FerretDB exited with code ${code}.\n${stderr}`));
    });
  });
  // A database that dies under a running test suite would otherwise surface only as a flood of
  // ECONNREFUSED errors: say so, with FerretDB's last words.
  child.once('exit', (code, signal) => {
    if (!stopping) log(`FerretDB stopped unexpectedly (code ${code}, signal ${signal}).\n${stderr}`);
  });
  return {
    uri,
    kind: 'ferretdb',
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
