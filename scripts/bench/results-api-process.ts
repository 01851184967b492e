/**
 * The API as `npm run bench:results` measures it: the product's composition root
 * (`buildDependencies` + `createApp`, as `ROLE=api` runs it) in a process of its own, so that
 * its CPU time and memory are its own. Authentication is replaced by a fixed seller principal
 * (token validation is not what is measured). Configuration comes from the environment like
 * the real API's (MONGODB_URI, MONGODB_DB, RESULTS_*). Answers `{ type: 'stats' }` messages with
 * its memory and the snapshots it holds.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/src/app';
import { parseConfig } from '../../api/src/platform/config/config';
import { connectMongo } from '../../api/src/platform/db/mongo';
import { createLogger } from '../../api/src/platform/logger/logger';
import { buildDependencies } from '../../api/src/dependencies';

const tenantId = process.env.BENCH_TENANT!;
const config = parseConfig({
  ...process.env,
  APP_ENV: 'test',
  ROLE: 'api',
  PORT: '0',
  PUBLIC_URL: 'http://localhost:3999',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
  AUTH_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
  AUTH_CLIENT_SECRET: 'bench',
  AUTH_AUTHORITY_HOST: 'https://127.0.0.1:1',
  GRAPH_BASE_URL: 'https://127.0.0.1:1',
  TAB_DIST_DIR: '/nonexistent-bench-tab',
});
const mongo = await connectMongo(config.mongo.uri, config.mongo.dbName);
const deps = buildDependencies(config, mongo.db, createLogger(config.logLevel));
deps.validateToken = async (token) => ({ kind: 'user', tenantId, userId: 'bench-seller', clientAppId: '', displayName: 'Bench', roles: [], isAdmin: false, token });
const server = createApp(deps).listen(0, '127.0.0.1', () => {
  process.send!({ type: 'listening', port: (server.address() as AddressInfo).port });
});
server.keepAliveTimeout = 60_000;

function status(field: string): number | null {
  const m = new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : null;
}

process.on('message', (m: { type: string }) => {
  if (m.type === 'stats') {
    process.send!({ type: 'stats', rssMiB: status('VmRSS'), peakRssMiB: status('VmHWM'), heapMiB: Math.round(process.memoryUsage().heapUsed / 1048576), snapshots: deps.results.snapshots.loaded(), cacheBytes: deps.results.snapshots.totalBytes() });
  }
  if (m.type === 'stop') {
    server.closeAllConnections();
    server.close(() => {
      void deps.results
        .close()
        .then(() => mongo.close())
        .finally(() => process.exit(0));
    });
  }
});
