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

describe('deleting many documents', () => {
  // 33,000 is past the 32,766 ids one FerretDB/SQLite delete statement can name: a plain
  // deleteMany of them failed there with "too many SQL variables" (a run's old output rows).
  it('when more documents match than one delete statement can name, then all of them go and the others stay', { timeout: 600_000 }, async () => {
    const c = t.db.collection<{ _id: string; tenantId: string; runId: string }>('rows');
    for (let b = 0; b < 33_000; b += 3000) await c.insertMany(Array.from({ length: 3000 }, (_, i) => ({ _id: `old:${b + i}`, tenantId: 't', runId: 'old' })));
    await c.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `new:${i}`, tenantId: 't', runId: 'new' })));
    const deleted = await deleteInChunks(c, { tenantId: 't', runId: { $ne: 'new' } });
    expect(deleted).toBe(33_000);
    expect(await c.countDocuments({ runId: 'old' })).toBe(0);
    expect(await c.countDocuments({ runId: 'new' })).toBe(50);
  });

  it('when nothing matches, then nothing is deleted', async () => {
    const c = t.db.collection<{ _id: string; k: number }>('few');
    await c.insertMany([{ _id: 'a', k: 1 }, { _id: 'b', k: 2 }]);
    expect(await deleteInChunks(c, { k: 3 })).toBe(0);
    expect(await deleteInChunks(c, { k: 1 }, 1)).toBe(1);
    expect(await c.countDocuments({})).toBe(1);
  });
});
