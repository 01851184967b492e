/**
 * What `updateIf` (platform/db/update-if.ts) costs against a plain conditional findOneAndUpdate,
 * on the server MONGODB_URI names: a lease-renewal-like loop over one document of a collection
 * holding `DOCS` others. Prints milliseconds per write for both, and the database's CPU seconds
 * when DB_PID names its process (shared servers: other clients' work is counted too).
 *
 *   MONGODB_URI=… [DB_PID=…] [DOCS=300] [ROUNDS=300] npx tsx scripts/bench/update-if-cost.ts
 */
import { MongoClient } from 'mongodb';
import { serverKind } from '../../api/src/platform/db/server-kind';
import { updateIf } from '../../api/src/platform/db/update-if';
import { cpuSeconds } from './proc-stats';

type Lease = { _id: string; tenantId: string; owner: string; expiresAt: Date; pad: string };

async function main(): Promise<void> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is required');
  const docs = Number(process.env.DOCS ?? 300);
  const rounds = Number(process.env.ROUNDS ?? 300);
  const dbPid = process.env.DB_PID ? Number(process.env.DB_PID) : null;
  const client = await MongoClient.connect(uri);
  const db = client.db(`bench_update_if_${process.pid}`);
  try {
    const leases = db.collection<Lease>('leases');
    await leases.insertMany(Array.from({ length: docs }, (_, i) => ({ _id: `k${i}`, tenantId: 't', owner: 'w1', expiresAt: new Date(), pad: 'x'.repeat(200) })));
    const measure = async (name: string, write: (i: number) => Promise<Lease | null>) => {
      const cpu0 = dbPid ? cpuSeconds(dbPid) : null;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < rounds; i++) if (!(await write(i))) throw new Error(`${name}: the guard should hold`);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const cpu1 = dbPid ? cpuSeconds(dbPid) : null;
      const dbCpu = cpu0 !== null && cpu1 !== null ? `, database CPU ${(cpu1 - cpu0).toFixed(2)} s` : '';
      console.log(`${name}: ${(ms / rounds).toFixed(2)} ms per write over ${rounds} writes${dbCpu}`);
    };
    console.log(`server: ${await serverKind(db)}, ${docs} documents`);
    const key = { _id: `k${Math.floor(docs / 2)}`, tenantId: 't' };
    // Warm both paths once (connection pool, the locks collection).
    await leases.findOneAndUpdate({ ...key, owner: 'w1' }, { $set: { expiresAt: new Date() } });
    await updateIf(db, leases, key, { owner: 'w1' }, { expiresAt: new Date() });
    await measure('findOneAndUpdate({ _id, tenantId, owner })', () => leases.findOneAndUpdate({ ...key, owner: 'w1' }, { $set: { expiresAt: new Date() } }, { returnDocument: 'after' }));
    await measure('updateIf(key, { owner })', () => updateIf(db, leases, key, { owner: 'w1' }, { expiresAt: new Date() }));
  } finally {
    await db.dropDatabase();
    await client.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
