/**
 * The platform/db vocabulary against the local server (MONGODB_URI): get by key, claim once,
 * compare-and-set, guarded update, delete in chunks. Whatever the server (MongoDB, or FerretDB with its
 * non-atomic conditional updates), each must decide the same way.
 */
import { MongoClient, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findByKey, replaceByKey, writeOnceByKey } from '../../api/src/platform/db/by-key';
import { claimOnce } from '../../api/src/platform/db/claim-once';
import { CompareAndSet, versionClaimsSpec } from '../../api/src/platform/db/compare-and-set';
import { deleteInChunks } from '../../api/src/platform/db/delete-in-chunks';
import { serverKind } from '../../api/src/platform/db/server-kind';
import { updateIf, updateLocksCollection } from '../../api/src/platform/db/update-if';
import { createTestDatabase, type TestDatabase } from '../support/mongo';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('db_vocabulary');
});
afterAll(async () => {
  await t?.drop();
});

type Note = { _id: string; tenantId: string; version: number; text: string };
const note = (id: string, over: Partial<Note> = {}): Note => ({ _id: id, tenantId: 'tenant-a', version: 1, text: 'first', ...over });

function versioned(name: string): { notes: Collection<Note>; cas: CompareAndSet<Note>; claims: Collection } {
  const notes = t.db.collection<Note>(name);
  const spec = versionClaimsSpec(`${name}_claims`, 'noteId');
  return { notes, cas: new CompareAndSet(t.db, notes, spec, 'noteId'), claims: t.db.collection(spec.name) };
}

describe('get by key', () => {
  it('when the key is read for its own tenant, then the document comes back; for another tenant, then nothing', async () => {
    const c = t.db.collection<Note>('by_key');
    await c.insertOne(note('n1'));
    expect(await findByKey(c, 'n1', 'tenant-a')).toEqual(note('n1'));
    expect(await findByKey(c, 'n1', 'tenant-b')).toBeNull();
    expect(await findByKey(c, 'n2', 'tenant-a')).toBeNull();
  });
  it('when a document is read or written by key, then the filter sent names the tenant on MongoDB and only the _id on FerretDB', async () => {
    // A client of its own that reports each command it sends, so the test sees the filters themselves.
    const client = await new MongoClient(t.uri, { monitorCommands: true }).connect();
    const sent: Document[] = [];
    client.on('commandStarted', (e) => {
      if (e.commandName === 'find') sent.push(e.command.filter as Document);
      if (e.commandName === 'update') for (const u of e.command.updates as Document[]) sent.push(u.q as Document);
    });
    try {
      const c = client.db(t.db.databaseName).collection<Note>('by_key_filters');
      await writeOnceByKey(c, note('n1'));
      await writeOnceByKey(c, note('n1', { text: 'retried' }));
      await replaceByKey(c, note('n1', { text: 'replaced' }));
      expect(await findByKey(c, 'n1', 'tenant-a')).toEqual(note('n1', { text: 'replaced' }));
      expect(await findByKey(c, 'n1', 'tenant-b')).toBeNull();
      const onMongo = (await serverKind(t.db)) === 'mongodb';
      const key = (tenantId: string) => (onMongo ? { _id: 'n1', tenantId } : { _id: 'n1' });
      expect(sent).toEqual([key('tenant-a'), key('tenant-a'), key('tenant-a'), key('tenant-b')]);
    } finally {
      await client.close();
    }
  });
});

describe('claim once', () => {
  it('when eight callers claim the same key at once, then exactly one holds it and the stored claim is the winner’s', async () => {
    const c = t.db.collection<{ _id: string; tenantId: string; owner: number }>('claims_once');
    const won = await Promise.all(Array.from({ length: 8 }, (_, owner) => claimOnce(c, { _id: 'run-1', tenantId: 'tenant-a', owner })));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await c.find({}).toArray()).toEqual([{ _id: 'run-1', tenantId: 'tenant-a', owner: won.indexOf(true) }]);
  });

  it('when a write fails for another reason than a taken key, then the error reaches the caller', async () => {
    const c = t.db.collection('claims_invalid');
    await expect(claimOnce(c, { _id: 'x', $bad: 1 })).rejects.toThrow();
  });
});

describe('compare-and-set', () => {
  it('when two writes at the same version arrive at once, then exactly one applies and the version moves by one', async () => {
    const { notes, cas, claims } = versioned('cas_two');
    for (let round = 0; round < 5; round++) {
      const id = `n${round}`;
      await notes.insertOne(note(id));
      const [a, b] = await Promise.all([cas.update('tenant-a', id, 1, { text: 'from A' }), cas.update('tenant-a', id, 1, { text: 'from B' })]);
      const winners = [a, b].filter((d) => d !== null);
      expect(winners).toHaveLength(1);
      expect(await notes.findOne({ _id: id })).toEqual({ ...note(id), version: 2, text: winners[0]!.text });
    }
    // FerretDB's workaround keeps the winners' claims only; MongoDB writes none.
    const kept = await claims.countDocuments({});
    expect(kept).toBe((await serverKind(t.db)) === 'ferretdb' ? 5 : 0);
  });

  it('when a write names a stale or unknown version, then nothing changes and the next version stays free', async () => {
    const { notes, cas } = versioned('cas_stale');
    await notes.insertOne(note('n1'));
    expect(await cas.update('tenant-a', 'n1', 2, { text: 'ahead' })).toBeNull();
    expect(await cas.update('tenant-a', 'n1', 1, { text: 'second' })).toEqual({ ...note('n1'), version: 2, text: 'second' });
    expect(await cas.update('tenant-a', 'n1', 1, { text: 'stale' })).toBeNull();
    expect(await cas.update('tenant-b', 'n1', 2, { text: 'other tenant' })).toBeNull();
    expect(await cas.update('tenant-a', 'n1', 2, { text: 'third' })).toEqual({ ...note('n1'), version: 3, text: 'third' });
    expect(await notes.findOne({ _id: 'n1' })).toEqual({ ...note('n1'), version: 3, text: 'third' });
  });

  it('when two deletes and a write at the same version race, then exactly one of them happens', async () => {
    const { notes, cas } = versioned('cas_delete');
    await notes.insertOne(note('n1'));
    const [d1, d2, u] = await Promise.all([cas.delete('tenant-a', 'n1', 1), cas.delete('tenant-a', 'n1', 1), cas.update('tenant-a', 'n1', 1, { text: 'kept' })]);
    const happened = [d1, d2, u !== null].filter(Boolean);
    expect(happened).toHaveLength(1);
    expect(await notes.findOne({ _id: 'n1' })).toEqual(u ? { ...note('n1'), version: 2, text: 'kept' } : null);
  });
});

describe('guarded update', () => {
  type Run = { _id: string; tenantId: string; state: string; by?: string; consent?: { state: string } };

  it('when two transitions out of the same state arrive at once, then exactly one applies and the lock is released', async () => {
    const runs = t.db.collection<Run>('guarded_two');
    for (let round = 0; round < 5; round++) {
      const id = `r${round}`;
      await runs.insertOne({ _id: id, tenantId: 'tenant-a', state: 'running' });
      const [a, b] = await Promise.all([
        updateIf(t.db, runs, { _id: id, tenantId: 'tenant-a' }, { state: { $in: ['queued', 'running'] } }, { state: 'completed', by: 'A' }),
        updateIf(t.db, runs, { _id: id, tenantId: 'tenant-a' }, { state: { $in: ['queued', 'running'] } }, { state: 'cancelled', by: 'B' }),
      ]);
      const winners = [a, b].filter((d) => d !== null);
      expect(winners).toHaveLength(1);
      expect(await runs.findOne({ _id: id })).toEqual(winners[0]);
      expect(winners[0]!.state).toBe(winners[0]!.by === 'A' ? 'completed' : 'cancelled');
    }
    expect(await t.db.collection(updateLocksCollection.name).countDocuments({})).toBe(0);
  });

  it('when the guard, the tenant or the key does not match, then nothing changes and null comes back', async () => {
    const runs = t.db.collection<Run>('guarded_miss');
    const run: Run = { _id: 'r1', tenantId: 'tenant-a', state: 'completed', consent: { state: 'granted' } };
    await runs.insertOne(run);
    expect(await updateIf(t.db, runs, { _id: 'r1', tenantId: 'tenant-a' }, { state: 'running' }, { state: 'failed' })).toBeNull();
    expect(await updateIf(t.db, runs, { _id: 'r1', tenantId: 'tenant-b' }, {}, { state: 'failed' })).toBeNull();
    expect(await updateIf(t.db, runs, { _id: 'r2', tenantId: 'tenant-a' }, {}, { state: 'failed' })).toBeNull();
    expect(await updateIf(t.db, runs, { _id: 'r1', tenantId: 'tenant-a' }, { 'consent.state': { $in: ['awaiting', 'refused'] } }, { state: 'failed' })).toBeNull();
    expect(await runs.findOne({ _id: 'r1' })).toEqual(run);
    expect(await updateIf(t.db, runs, { _id: 'r1', tenantId: 'tenant-a' }, { 'consent.state': 'granted', by: null }, { by: 'C' })).toEqual({ ...run, by: 'C' });
  });

  it('when a writer died holding the lock of a document, then the next guarded update takes the stale lock over', async () => {
    const runs = t.db.collection<Run>('guarded_stale');
    await runs.insertOne({ _id: 'r1', tenantId: 'tenant-a', state: 'running' });
    const locks = t.db.collection<{ _id: string; tenantId: string; at: Date }>(updateLocksCollection.name);
    await locks.insertOne({ _id: 'guarded_stale:r1', tenantId: 'tenant-a', at: new Date(Date.now() - 60_000) });
    expect(await updateIf(t.db, runs, { _id: 'r1', tenantId: 'tenant-a' }, { state: 'running' }, { state: 'completed' })).toEqual({ _id: 'r1', tenantId: 'tenant-a', state: 'completed' });
    expect(await locks.findOne({ _id: 'guarded_stale:r1' })).toBeNull();
  });
});

describe('delete in chunks', () => {
  it('when more documents match than one chunk, then every match goes and the others stay', async () => {
    const c = t.db.collection<{ _id: string; tenantId: string; runId: string }>('chunked');
    await c.insertMany(Array.from({ length: 23 }, (_, i) => ({ _id: `old:${i}`, tenantId: 'tenant-a', runId: 'old' })));
    await c.insertOne({ _id: 'new:0', tenantId: 'tenant-a', runId: 'new' });
    expect(await deleteInChunks(c, { tenantId: 'tenant-a', runId: 'old' }, 5)).toBe(23);
    expect(await c.find({}).toArray()).toEqual([{ _id: 'new:0', tenantId: 'tenant-a', runId: 'new' }]);
  });
});
