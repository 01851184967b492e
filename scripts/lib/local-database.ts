import fs from 'node:fs';
import { hasGo, startFerretDb, type RunningDatabase } from './ferretdb';

const HOW_TO_POINT =
  'Set MONGODB_URI to a MongoDB-compatible server, e.g. MONGODB_URI=mongodb://127.0.0.1:27017/ npm start ' +
  '(any MongoDB 6+ or FerretDB works), or install Go so that npm run db:local can build a local FerretDB.';

/**
 * The database `npm start` and `npm test` use when MONGODB_URI is unset: first an embedded
 * `mongod` (mongodb-memory-server-core, which downloads mongod at first use), and when that
 * cannot download, a local FerretDB built with Go. Data lives under `dataDir`.
 */
export async function startLocalDatabase(
  dataDir: string,
  options: { preferFerretDb?: boolean; log?: (line: string) => void } = {},
): Promise<RunningDatabase> {
  const log = options.log ?? console.log;
  if (process.env.MONGODB_URI) {
    return { uri: process.env.MONGODB_URI, kind: 'external', stop: async () => undefined };
  }
  if (!options.preferFerretDb) {
    try {
      return await startMemoryServer(`${dataDir}/mongod`, log);
    } catch (e) {
      log(`Embedded mongod is not available (${firstLine(e)}); falling back to a local FerretDB.`);
    }
  }
  if (!hasGo()) throw new Error(`No MongoDB server is available. ${HOW_TO_POINT}`);
  try {
    return await startFerretDb(`${dataDir}/ferretdb`, log);
  } catch (e) {
    throw new Error(`The local FerretDB could not start: ${firstLine(e)}. ${HOW_TO_POINT}`, { cause: e });
  }
}

async function startMemoryServer(dbPath: string, log: (line: string) => void): Promise<RunningDatabase> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  fs.mkdirSync(dbPath, { recursive: true });
  log('Starting an embedded mongod (mongodb-memory-server)…');
  // The library prints a full stack trace when the download fails; we report the reason once.
  const warn = console.warn;
  console.warn = () => undefined;
  let server;
  try {
    server = await MongoMemoryServer.create({ instance: { dbPath, storageEngine: 'wiredTiger', ip: '127.0.0.1' } });
  } finally {
    console.warn = warn;
  }
  return { uri: server.getUri(), kind: 'mongodb-memory-server', stop: async () => void (await server.stop({ doCleanup: false })) };
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).replace(/\s+/g, ' ').trim().slice(0, 240);
}
