import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteByKeys } from '../../api/src/platform/db/delete-by-keys';
import { createTestDatabase, type TestDatabase } from '../support/mongo';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('delete_by_keys');
});
afterAll(async () => {
  await t?.drop();
});

type Doc = { _id: string; tenantId: string };
const docs = (ids: string[]): Doc[] => ids.map((_id) => ({ _id, tenantId: 't' }));

describe('deleting documents by their keys', () => {
  it('when keys are given, then exactly those documents are deleted and the count says so', async () => {
    const c = t.db.collection<Doc>('by_keys_exact');
    await c.insertMany(docs(['r1:a', 'r1:b', 'r2:a', 'r2:b']));
    const deleted = await deleteByKeys(c, ['r1:a', 'r1:b']);
    expect(deleted).toBe(2);
    expect((await c.find({}).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(['r2:a', 'r2:b']);
  });

  it('when some keys are not stored, then the stored ones are deleted and the missing ones are not counted', async () => {
    const c = t.db.collection<Doc>('by_keys_missing');
    await c.insertMany(docs(['r1:a', 'r1:b']));
    expect(await deleteByKeys(c, ['r1:a', 'r9:none', 'r9:other'])).toBe(1);
    expect((await c.find({}).toArray()).map((d) => d._id)).toEqual(['r1:b']);
  });

  it('when there are more keys than one command carries, then every chunk is deleted', async () => {
    const c = t.db.collection<Doc>('by_keys_chunks');
    const ids = Array.from({ length: 7 }, (_, i) => `r1:${i}`);
    await c.insertMany(docs([...ids, 'r2:keep']));
    expect(await deleteByKeys(c, ids, 3)).toBe(7);
    expect((await c.find({}).toArray()).map((d) => d._id)).toEqual(['r2:keep']);
  });

  it('when no key is given, then nothing is deleted and no command is sent', async () => {
    const c = t.db.collection<Doc>('by_keys_none');
    await c.insertMany(docs(['r1:a']));
    expect(await deleteByKeys(c, [])).toBe(0);
    expect(await c.countDocuments({})).toBe(1);
  });
});
