import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOnceByKey } from '../../api/src/platform/db/by-key';
import { createTestDatabase, type TestDatabase } from '../support/mongo';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('write_once_by_key');
});
afterAll(async () => {
  await t?.drop();
});

type State = { _id: string; tenantId: string; version: number };

describe('writing a usually-new key', () => {
  it('when the key is new, then the document is stored as given', async () => {
    const c = t.db.collection<State>('states_new');
    await writeOnceByKey(c, { _id: 'run1:u1', tenantId: 't', version: 1 });
    expect(await c.find({}).toArray()).toEqual([{ _id: 'run1:u1', tenantId: 't', version: 1 }]);
  });

  it('when a retried job writes the same key again, then the second write replaces the first and nothing is added', async () => {
    const c = t.db.collection<State>('states_retry');
    await writeOnceByKey(c, { _id: 'run1:u1', tenantId: 't', version: 1 });
    await writeOnceByKey(c, { _id: 'run1:u2', tenantId: 't', version: 1 });
    await writeOnceByKey(c, { _id: 'run1:u1', tenantId: 't', version: 2 });
    expect(await c.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'run1:u1', tenantId: 't', version: 2 },
      { _id: 'run1:u2', tenantId: 't', version: 1 },
    ]);
  });
});
