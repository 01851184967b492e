import { createApp } from './app';
import { ConfigError, parseConfig } from './platform/config/config';
import { ALL_COLLECTIONS } from './platform/db/collections';
import { ensureSchema } from './platform/db/ensure-schema';
import { connectMongo } from './platform/db/mongo';
import { createLogger } from './platform/logger/logger';
import { buildDependencies } from './platform/wiring';

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
  const schema = await ensureSchema(mongo.db, ALL_COLLECTIONS);
  logger.info({ schemaVersion: schema.version, createdIndexes: schema.createdIndexes.length }, 'database ready');

  const app = createApp(buildDependencies(config, mongo.db, logger));
  const server = app.listen(config.http.port, config.http.host, () => {
    logger.info({ url: config.http.publicUrl, env: config.env }, 'API listening');
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    server.close(() => {
      void mongo.close().finally(() => {
        clearTimeout(force);
        process.exit(0);
      });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
