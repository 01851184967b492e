/**
 * `npm test`: prepares what the tests run against — a MongoDB-compatible server (MONGODB_URI, or
 * an embedded mongod, or a local FerretDB), the simulator's TLS certificate (trusted by every
 * test process through NODE_EXTRA_CA_CERTS) and the built tab — then runs Vitest and ends with
 * one summary line `N passed, N failed, N skipped`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSimulatorCertificate } from '../simulator/src/tls/certificate';
import { startLocalDatabase } from './lib/local-database';
import { ensureTabBuilt } from './lib/tab-build';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string) => console.log(`[test] ${line}`);
// One folder per run, so that two `npm test` runs on one machine never share a database.
const testData = path.join(root, '.data', 'test', `run-${process.pid}`);
fs.mkdirSync(testData, { recursive: true });

const db = await startLocalDatabase(testData, { log, preferFerretDb: process.env.CI === 'true' });
log(`Database: ${db.kind}`);
const simStateDir = path.join(root, '.data', 'test-sim');
const cert = await ensureSimulatorCertificate(path.join(simStateDir, 'tls'));
try {
  ensureTabBuilt(root, log);
} catch (e) {
  // Never leave the database behind when we cannot even start the tests.
  await db.stop();
  throw e;
}

const resultsFile = path.join(testData, 'vitest-results.json');
const vitest = spawn(
  process.execPath,
  [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      MONGODB_URI: db.uri,
      NODE_EXTRA_CA_CERTS: cert.certPath,
      SIM_STATE_DIR: simStateDir,
      TAB_DIST_DIR: path.join(root, 'dist', 'addin'),
    },
  },
);
const code: number = await new Promise((resolve) => vitest.once('exit', (c) => resolve(c ?? 1)));
await db.stop();

if (fs.existsSync(resultsFile)) {
  const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
} else {
  console.log('0 passed, 1 failed (Vitest wrote no results)');
}
fs.rmSync(testData, { recursive: true, force: true });
process.exit(code);
