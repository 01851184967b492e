import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasGo, startFerretDb, type RunningDatabase } from '../../scripts/lib/ferretdb';

/**
 * The local FerretDB launcher indexes the expression FerretDB 1.24 filters `{_id}` with
 * (`_ferretdb_sjson->'$._id'`), so a lookup by key is an index search instead of a scan of the
 * collection. Checked on a launcher of its own (a fresh data directory), reading its SQLite file
 * with the sqlite3 shell: FerretDB's own explain runs `EXPLAIN QUERY PLAN` on a connection that
 * may not have reloaded the schema yet, so it can show a plan older than the index.
 */
const sqlite3 = spawnSync('sqlite3', ['-version'], { stdio: 'ignore' }).status === 0;
const usable = hasGo() && sqlite3;
let dir: string;
let db: RunningDatabase | null = null;
let client: MongoClient | null = null;

beforeAll(async () => {
  if (!usable) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'id-lookup-'));
  db = await startFerretDb(dir, () => undefined);
  client = await new MongoClient(db.uri).connect();
}, 600_000);
afterAll(async () => {
  await client?.close();
  await db?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const sql = (query: string, database = 'lookup') => spawnSync('sqlite3', [`file:${path.join(dir, `${database}.sqlite`)}?mode=ro`, query], { encoding: 'utf8' }).stdout.trim();
const tableOf = (collection: string, database?: string) => sql(`SELECT table_name FROM _ferretdb_collections WHERE name = '${collection}'`, database);
const lookupIndexOf = (table: string, database?: string) => sql(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '${table}' AND name LIKE '%launcher_id_lookup'`, database);

/**
 * The launcher adds the index when it sees the new table: wait for that state. The table's name
 * is read again each time: a database file created a moment ago may not show its catalogue to
 * another reader at once.
 */
async function lookupIndexFor(collection: string, database?: string): Promise<{ table: string; index: string }> {
  for (;;) {
    const table = tableOf(collection, database);
    const index = table ? lookupIndexOf(table, database) : '';
    if (index) return { table, index };
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!usable)('the local FerretDB launcher', () => {
  it('when a collection is created, then the statement FerretDB runs for a find by _id searches the launcher index', async () => {
    const c = client!.db('lookup').collection<{ _id: string; v: number }>('states');
    await c.insertMany([{ _id: 'run1:a', v: 1 }, { _id: 'run1:b', v: 2 }]);
    const { table, index } = await lookupIndexFor('states');
    const plan = sql(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM "${table}" WHERE _ferretdb_sjson->'$._id' = '"run1:b"'`);
    expect(plan).toContain(`SEARCH ${table} USING INDEX ${index}`);
    expect(await c.findOne({ _id: 'run1:b' })).toEqual({ _id: 'run1:b', v: 2 });
  }, 60_000);

  it('when documents are replaced, upserted and deleted by _id with the index in place, then the collection holds exactly what was written', async () => {
    const c = client!.db('lookup').collection<{ _id: string; v: number }>('writes');
    await c.insertMany([{ _id: 'k1', v: 1 }, { _id: 'k2', v: 1 }, { _id: 'k3', v: 1 }]);
    await lookupIndexFor('writes');
    await c.replaceOne({ _id: 'k2' }, { v: 2 });
    await c.replaceOne({ _id: 'k4' }, { v: 4 }, { upsert: true });
    await c.deleteOne({ _id: 'k1' });
    expect(await c.findOne({ _id: 'k9' })).toBeNull();
    expect(await c.find({}).sort({ _id: 1 }).toArray()).toEqual([{ _id: 'k2', v: 2 }, { _id: 'k3', v: 1 }, { _id: 'k4', v: 4 }]);
    await expect(c.insertOne({ _id: 'k3', v: 9 })).rejects.toMatchObject({ code: 11000 });
  }, 60_000);

  it('when a database is dropped and created again under the same name, then its new collections get the index too', async () => {
    const again = client!.db('again');
    await again.collection('first').insertOne({ _id: 'a' } as never);
    await lookupIndexFor('first', 'again');
    await again.dropDatabase();
    await again.collection('second').insertOne({ _id: 'b' } as never);
    const { table, index } = await lookupIndexFor('second', 'again');
    expect(index).toBe(`${table}__launcher_id_lookup`);
  }, 60_000);
});
