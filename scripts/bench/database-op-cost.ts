/**
 * `npx tsx scripts/bench/database-op-cost.ts` (with MONGODB_URI unset): what one key operation
 * costs the database in CPU, by document size, on a local FerretDB of its own: inserting,
 * finding and deleting a document by `_id` whose payload is one binary field (as mailbox states
 * and partials are stored), a miss, and a small upsert. Engine design follows from these
 * figures: on FerretDB each operation costs about half a millisecond plus time in proportion to
 * the bytes it touches, and a delete decodes the document it removes. The database's CPU is read
 * from /proc, so it runs beside other work.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Binary, MongoClient } from 'mongodb';
import { startLocalDatabase } from '../lib/local-database';
import { childProcesses, cpuSeconds } from './proc-stats';

const OPS = 400;
const SIZES_KIB = [1, 25, 100];

const dir = path.join(os.tmpdir(), `database-op-cost-${process.pid}`);
const database = await startLocalDatabase(dir, { log: () => undefined, preferFerretDb: true });
const dbPid = childProcesses(process.pid).find((c) => /ferretdb|mongod/i.test(c.command))?.pid;
if (!dbPid) throw new Error('Run it with MONGODB_URI unset: it measures a database process of its own.');
const client = await new MongoClient(database.uri).connect();

async function measure(label: string, op: (i: number) => Promise<unknown>): Promise<void> {
  const cpuFrom = cpuSeconds(dbPid!) ?? 0;
  const from = Date.now();
  for (let i = 0; i < OPS; i++) await op(i);
  const cpuMs = ((cpuSeconds(dbPid!) ?? 0) - cpuFrom) * 1000;
  console.log(`${label.padEnd(28)} ${(cpuMs / OPS).toFixed(2).padStart(6)} ms of database CPU per operation (${((Date.now() - from) / OPS).toFixed(2)} ms wall)`);
}

try {
  const db = client.db('database_op_cost');
  const docs = db.collection<{ _id: string; data?: Binary; state?: string }>('docs');
  for (const kib of SIZES_KIB) {
    const payload = new Binary(crypto.randomBytes(kib * 1024));
    await measure(`insert, ${kib} KiB`, (i) => docs.insertOne({ _id: `${kib}:${i}`, data: payload }));
    await measure(`find by key, ${kib} KiB`, (i) => docs.findOne({ _id: `${kib}:${i}` }));
    await measure(`delete by key, ${kib} KiB`, (i) => docs.deleteOne({ _id: `${kib}:${i}` }));
  }
  await measure('find by key, a miss', (i) => docs.findOne({ _id: `none:${i}` }));
  await measure('upsert by key, small', (i) => docs.updateOne({ _id: `small:${i}` }, { $set: { state: 'done' } }, { upsert: true }));
} finally {
  await client.close();
  await database.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
