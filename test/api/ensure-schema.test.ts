import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_COLLECTIONS, RETIRED_COLLECTIONS } from '../../api/src/collections';
import type { CollectionSpec } from '../../api/src/platform/db/collection-spec';
import { ensureSchema, SCHEMA_VERSION } from '../../api/src/platform/db/ensure-schema';
import { createTestDatabase, type TestDatabase } from '../support/mongo';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('schema');
});
afterAll(async () => {
  await t.drop();
});

describe('ensureSchema', () => {
  it('when run on an empty database, then every declared collection and index exists and the version is recorded', async () => {
    const report = await ensureSchema(t.db, ALL_COLLECTIONS);
    expect(report.createdCollections.sort()).toEqual([...new Set(ALL_COLLECTIONS.map((c) => c.name))].sort());
    for (const spec of ALL_COLLECTIONS) {
      const names = (await t.db.collection(spec.name).indexes()).map((i) => i.name);
      for (const index of spec.indexes) expect(names).toContain(index.name);
    }
    expect(await t.db.collection('_meta').findOne({ _id: 'schema' as never })).toMatchObject({ version: SCHEMA_VERSION });
  });

  it('when run again (a restart, or a second process), then nothing is created and nothing fails', async () => {
    const before = await Promise.all(ALL_COLLECTIONS.map((c) => t.db.collection(c.name).indexes()));
    const [a, b] = await Promise.all([ensureSchema(t.db, ALL_COLLECTIONS), ensureSchema(t.db, ALL_COLLECTIONS)]);
    expect(a.createdIndexes).toEqual([]);
    expect(b.createdIndexes).toEqual([]);
    const after = await Promise.all(ALL_COLLECTIONS.map((c) => t.db.collection(c.name).indexes()));
    expect(after).toEqual(before);
  });

  it('when a unique index guards an invariant, then a duplicate is refused and the first document is unchanged', async () => {
    const enrichments = t.db.collection('enrichments');
    const doc = { _id: 'e1', tenantId: 'tenant-a', name: 'Office', nameKey: 'office', state: 'draft', createdAt: new Date(), updatedAt: new Date() };
    await enrichments.insertOne(doc as never);
    await expect(enrichments.insertOne({ ...doc, _id: 'e2', name: 'OFFICE' } as never)).rejects.toMatchObject({ code: 11000 });
    // Same name in another tenant is fine: uniqueness is per tenant.
    await enrichments.insertOne({ ...doc, _id: 'e3', tenantId: 'tenant-b' } as never);
    expect(await enrichments.countDocuments({ nameKey: 'office' })).toBe(2);
    expect(await enrichments.findOne({ _id: 'e1' as never })).toMatchObject({ name: 'Office', tenantId: 'tenant-a' });
  });

  it('when an index exists under the same name with other keys, then it refuses to guess', async () => {
    const declared = ALL_COLLECTIONS.find((c) => c.indexes.length > 0)!;
    const clash: CollectionSpec = { name: declared.name, indexes: [{ name: declared.indexes[0]!.name, key: { tenantId: 1, somethingElse: 1 } }] };
    await expect(ensureSchema(t.db, [clash])).rejects.toThrow(/different definition/);
  });

  it('when a database of the previous schema still holds a retired collection, then the upgrade drops it and only it', async () => {
    await t.db.collection('engine_output_rows').insertOne({ tenantId: 'tenant-a', AccountId: 'A1' } as never);
    await t.db.collection('_meta').updateOne({ _id: 'schema' as never }, { $set: { version: SCHEMA_VERSION - 1 } });
    const report = await ensureSchema(t.db, ALL_COLLECTIONS, RETIRED_COLLECTIONS);
    expect(report.droppedCollections).toEqual(['engine_output_rows']);
    const names = (await t.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).not.toContain('engine_output_rows');
    expect(names).toContain('enrichments');
    expect(await t.db.collection('_meta').findOne({ _id: 'schema' as never })).toMatchObject({ version: SCHEMA_VERSION });
    // Once upgraded, a collection of that name is left alone.
    await t.db.collection('engine_output_rows').insertOne({ x: 1 } as never);
    expect((await ensureSchema(t.db, ALL_COLLECTIONS, RETIRED_COLLECTIONS)).droppedCollections).toEqual([]);
    await t.db.collection('engine_output_rows').drop();
  });

  it('when the database was written by a newer build, then this build refuses to start', async () => {
    await t.db.collection('_meta').updateOne({ _id: 'schema' as never }, { $set: { version: SCHEMA_VERSION + 1 } });
    await expect(ensureSchema(t.db, ALL_COLLECTIONS)).rejects.toThrow(/newer than this build/);
    await t.db.collection('_meta').updateOne({ _id: 'schema' as never }, { $set: { version: SCHEMA_VERSION } });
  });
});
