import { MongoClient, type Db } from 'mongodb';

export interface MongoConnection {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

/** Connects with the official driver; fails fast with a message that says what to fix. */
export async function connectMongo(uri: string, dbName: string, options: { monitorCommands?: boolean } = {}): Promise<MongoConnection> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, appName: 'account-engagement', monitorCommands: options.monitorCommands ?? false });
  try {
    await client.connect();
    await client.db(dbName).command({ ping: 1 });
  } catch (e) {
    await client.close().catch(() => undefined);
    throw new Error(
      `Cannot reach MongoDB at the configured MONGODB_URI (${redactUri(uri)}): ${(e as Error).message}. ` +
        'Start a server (npm run db:local starts a local FerretDB) and set MONGODB_URI=mongodb://host:port/.',
      { cause: e },
    );
  }
  return { client, db: client.db(dbName), close: () => client.close() };
}

/** Hides credentials in a connection string before it is printed. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^@/]+)@/, '//[credentials]@');
}
