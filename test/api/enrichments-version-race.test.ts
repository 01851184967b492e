import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnrichmentsStore, type EnrichmentDocument } from '../../api/src/enrichments/enrichments.store';
import { ALL_COLLECTIONS } from '../../api/src/collections';
import { ensureSchema } from '../../api/src/platform/db/ensure-schema';
import { createTestDatabase, type TestDatabase } from '../support/mongo';

let t: TestDatabase;
let store: EnrichmentsStore;

beforeAll(async () => {
  t = await createTestDatabase('enrichment_version_race');
  await ensureSchema(t.db, ALL_COLLECTIONS);
  store = new EnrichmentsStore(t.db);
});
afterAll(async () => {
  await t?.drop();
});

/** Only the fields the version check touches: the race is about the write, not the content. */
const enrichment = (id: string) => ({ _id: id, tenantId: 'tenant-a', version: 1, entityName: 'Office' }) as unknown as EnrichmentDocument;

describe('optimistic concurrency under a real race', () => {
  // FerretDB applies a conditional update as read-then-write: without the version claim, most of
  // these rounds had several writers succeed at the same version (measured: 18 of 20).
  it('when ten writes at the same version arrive at once, then exactly one applies, every round', async () => {
    for (let round = 0; round < 10; round++) {
      const id = `enr_race_${round}`;
      await store.collection.insertOne(enrichment(id));
      const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => store.update('tenant-a', id, 1, { entityName: `Writer${i}` })));
      const winners = outcomes.filter((o) => o.ok);
      expect(winners).toHaveLength(1);
      expect(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.reason === 'stale')).toBe(true);
      const stored = await store.collection.findOne({ _id: id });
      expect(stored).toMatchObject({ version: 2, entityName: winners[0]!.ok ? winners[0]!.doc.entityName : '' });
    }
  });

  it('when a write at the next version follows, then it applies: a claim only blocks its own version', async () => {
    await store.collection.insertOne(enrichment('enr_next'));
    expect((await store.update('tenant-a', 'enr_next', 1, { entityName: 'First' })).ok).toBe(true);
    expect((await store.update('tenant-a', 'enr_next', 1, { entityName: 'Stale' })).ok).toBe(false);
    expect((await store.update('tenant-a', 'enr_next', 2, { entityName: 'Second' })).ok).toBe(true);
    expect(await store.collection.findOne({ _id: 'enr_next' })).toMatchObject({ version: 3, entityName: 'Second' });
  });
});
