import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import type { AppDependencies } from './app';
import { createSimulatorClient } from './dev/simulator.client';
import { createTokenValidator } from './platform/auth/token-validator';
import type { AppConfig } from './platform/config/config';
import { createGraphClientFactory } from './platform/graph/graph-client.factory';
import { createMsalClientFactory } from './platform/graph/msal-client.factory';
import { JobQueue } from './runs/jobs/job-queue';
import { ResultsRuntime } from './results/results-runtime';

/** Builds the real dependencies from configuration: shared by `main.ts` and the tests. */
export function buildDependencies(config: AppConfig, db: Db, logger: Logger): AppDependencies {
  const msalFor = createMsalClientFactory(
    { clientId: config.auth.clientId, clientSecret: config.auth.clientSecret, authorityHost: config.auth.authorityHost },
    logger,
  );
  return {
    config,
    db,
    logger,
    validateToken: createTokenValidator({
      authorityHost: config.auth.authorityHost,
      clientId: config.auth.clientId,
      appIdUri: config.auth.appIdUri,
      allowedTenants: config.auth.allowedTenants,
    }),
    graph: createGraphClientFactory({ baseUrl: config.graph.baseUrl, maxRetries: config.graph.maxRetries, msalFor }),
    simulator: config.dev.signIn && config.dev.simulatorUrl ? createSimulatorClient(config.dev.simulatorUrl) : undefined,
    jobs: new JobQueue(db, { processEveryMs: config.worker.processEveryMs, lockLifetimeMs: config.worker.lockLifetimeMs, mailboxWindow: config.worker.mailboxWindow }),
    results: new ResultsRuntime(db, logger, {
      cacheMb: config.results.cacheMb,
      pollMs: config.results.pollMs,
      connections: config.results.connections,
      threads: config.results.threads,
      // A worker-only process reads no results: it must not load what it publishes.
      prewarm: config.worker.role !== 'worker',
    }),
  };
}
