import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';

export interface TestDatabase {
  uri: string;
  client: MongoClient;
  db: Db;
  /** Drops this test file's database and closes the connection. */
  drop(): Promise<void>;
}

export function testMongoUri(): string {
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    throw new Error('MONGODB_URI is not set: run the tests with `npm test`, which starts a MongoDB-compatible server for them.');
  }
  return uri;
}

/** A database of its own for one test file, so test files never see each other's data. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const uri = testMongoUri();
  const client = await new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 }).connect();
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const db = client.db(name);
  return {
    uri,
    client,
    db,
    async drop() {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}
