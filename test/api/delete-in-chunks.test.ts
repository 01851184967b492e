import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteInChunks } from '../../api/src/platform/db/delete-in-chunks';
import { createTestDatabase, type TestDatabase } from '../support/mongo';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('delete_in_chunks');
});
afterAll(async () => {
  await t?.drop();
});

type Row = { _id: string; tenantId: string; runId: string };

/** `old` rows of one run to delete, beside `kept` rows of the current run that must stay. */
async function seedRows(name: string, old: number, kept: number) {
  const c = t.db.collection<Row>(name);
  await c.insertMany(Array.from({ length: old }, (_, i) => ({ _id: `old:${i}`, tenantId: 't', runId: 'old' })));
  await c.insertMany(Array.from({ length: kept }, (_, i) => ({ _id: `new:${i}`, tenantId: 't', runId: 'new' })));
  return c;
}

describe('deleting many documents', () => {
  // Production chunks are 10,000 ids: FerretDB/SQLite refuses one delete statement naming more
  // than 32,766 ids ("too many SQL variables"). The loop is the same at any chunk size, so the
  // tests use chunks of 10: several full chunks, then a short one or an empty one.
  it('when more documents match than one chunk, then all of them go in several chunks and the others stay', async () => {
    const c = await seedRows('rows_short_tail', 35, 5);
    expect(await deleteInChunks(c, { tenantId: 't', runId: { $ne: 'new' } }, 10)).toBe(35);
    expect(await c.countDocuments({ runId: 'old' })).toBe(0);
    expect((await c.find({}).toArray()).map((d) => d._id).sort()).toEqual(['new:0', 'new:1', 'new:2', 'new:3', 'new:4']);
  });

  it('when the matches are an exact number of chunks, then the last full chunk is followed by an empty one and all go', async () => {
    const c = await seedRows('rows_exact', 30, 3);
    expect(await deleteInChunks(c, { runId: 'old' }, 10)).toBe(30);
    expect(await c.countDocuments({ runId: 'old' })).toBe(0);
    expect(await c.countDocuments({ runId: 'new' })).toBe(3);
  });

  it('when nothing matches, then nothing is deleted', async () => {
    const c = t.db.collection<{ _id: string; k: number }>('few');
    await c.insertMany([{ _id: 'a', k: 1 }, { _id: 'b', k: 2 }]);
    expect(await deleteInChunks(c, { k: 3 })).toBe(0);
    expect(await deleteInChunks(c, { k: 1 }, 1)).toBe(1);
    expect(await c.countDocuments({})).toBe(1);
  });
});
