import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Db } from 'mongodb';
import { createApp } from '../../api/src/app';
import { ALL_COLLECTIONS } from '../../api/src/collections';
import { ensureSchema } from '../../api/src/platform/db/ensure-schema';
import { answerClientErrorsAsProblems } from '../../api/src/platform/http/client-error';
import { createLogger } from '../../api/src/platform/logger/logger';
import { buildDependencies } from '../../api/src/dependencies';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { testAppConfig } from './app-config';
import { createTestDatabase } from './mongo';
import { startTestSimulator } from './simulator';
import type { ResultsRuntime } from '../../api/src/results/results-runtime';

export interface TestStack {
  baseUrl: string;
  simulator: RunningSimulator;
  db: Db;
  /** The API's published-results runtime. */
  results: ResultsRuntime;
  close(): Promise<void>;
}

/**
 * The whole product for a browser or API test: its own database, a tenant simulator and the API
 * (built with createApp, serving the built tab) listening on a free loopback port.
 */
export async function startStack(
  opts: {
    name?: string;
    config?: Record<string, string>;
    /** The clock runs started through the API take their as-of from, e.g. a simulated tenant's. */
    runsClock?: (simulator: RunningSimulator) => Date;
  } = {},
): Promise<TestStack> {
  const database = await createTestDatabase(opts.name ?? 'stack');
  const simulator = await startTestSimulator();
  // `config` adds or overrides environment values, e.g. TEAMS_HOST_ORIGINS for the host harness.
  const config = testAppConfig(simulator, database.uri, database.db.databaseName, opts.config);
  await ensureSchema(database.db, ALL_COLLECTIONS);
  const deps = buildDependencies(config, database.db, createLogger('silent'));
  const runsClock = opts.runsClock;
  const app = createApp(runsClock ? { ...deps, runsClock: () => runsClock(simulator) } : deps);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  answerClientErrorsAsProblems(server);
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://localhost:${port}`,
    simulator,
    db: database.db,
    results: deps.results,
    async close() {
      await deps.results.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await simulator.close();
      await database.drop();
    },
  };
}
