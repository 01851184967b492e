import { createApp, createWorkerApp } from './app';
import { ConfigError, parseConfig } from './platform/config/config';
import { missingJobProcessFlags } from './platform/config/job-process-flags';
import { ALL_COLLECTIONS, RETIRED_COLLECTIONS } from './collections';
import { ensureSchema } from './platform/db/ensure-schema';
import { answerClientErrorsAsProblems } from './platform/http/client-error';
import { connectMongo } from './platform/db/mongo';
import { createLogger } from './platform/logger/logger';
import { buildDependencies } from './dependencies';
import { startWorker, workerDepsFrom, type RunningWorker } from './run-worker';

/** Parses config once, connects, wires, listens, and shuts down gracefully. */
async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const mongo = await connectMongo(config.mongo.uri, config.mongo.dbName);
  const schema = await ensureSchema(mongo.db, ALL_COLLECTIONS, RETIRED_COLLECTIONS);
  logger.info({ schemaVersion: schema.version, createdIndexes: schema.createdIndexes.length, droppedCollections: schema.droppedCollections }, 'database ready');

  const deps = buildDependencies(config, mongo.db, logger);
  const role = config.worker.role;
  // ROLE=api serves HTTP only, ROLE=worker processes run jobs only, ROLE=all (default) does both.
  let worker: RunningWorker | null = null;
  if (role === 'worker' || role === 'all') {
    const missing = missingJobProcessFlags(process.execArgv, config.worker.nodeOptions);
    if (missing.length) logger.warn({ missing }, 'this process runs jobs without the Node flags they are tuned for (start it with npm run serve): reading mailboxes costs more CPU and memory');
    // In ROLE=all the same process serves HTTP: it hears of its own publishes at once.
    worker = await startWorker(workerDepsFrom(config, deps, role === 'all' ? [({ pointer }) => deps.results.published(pointer)] : []));
  }
  // A worker answers health checks only (App Service pings every instance on PORT).
  const server = (role === 'worker' ? createWorkerApp(deps) : createApp(deps)).listen(config.http.port, config.http.host, () => {
    logger.info({ url: config.http.publicUrl, env: config.env, role }, role === 'worker' ? 'worker health endpoints listening' : 'API listening');
  });

  answerClientErrorsAsProblems(server);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    const closeDb = () =>
      void (worker ? worker.stop() : Promise.resolve())
        .catch(() => undefined)
        .then(() => deps.results.close())
        .then(() => mongo.close())
        .finally(() => {
          clearTimeout(force);
          process.exit(0);
        });
    server.close(closeDb);
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
