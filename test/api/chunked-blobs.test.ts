import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobCorrupt, ChunkedBlobStore } from '../../api/src/platform/db/chunked-blobs';
import { createTestDatabase, type TestDatabase } from '../support/mongo';

let t: TestDatabase;
let store: ChunkedBlobStore;
const owner = { tenantId: 'tenant-a', enrichmentId: 'enr-1' };

beforeAll(async () => {
  t = await createTestDatabase('chunked_blobs');
  store = new ChunkedBlobStore(t.db, { manifests: 'blob_manifests', chunks: 'blob_chunks', chunkBytes: 1000 });
});
afterAll(() => t?.drop());

async function* pieces(bytes: Buffer, size: number, failAfter?: number) {
  for (let i = 0; i < bytes.length; i += size) {
    if (failAfter !== undefined && i >= failAfter) throw new Error('the writer died');
    yield bytes.subarray(i, i + size);
  }
}

describe('chunked blobs by key', () => {
  it('when bytes are written in pieces of any size, then they are stored as fixed-size chunks and read back identical', async () => {
    const bytes = randomBytes(4321);
    const manifest = await store.write('run-1', owner, pieces(bytes, 777), { rows: 12 });
    expect(manifest).toMatchObject({ state: 'complete', parts: 5, bytes: 4321, chunkBytes: 1000, meta: { rows: 12 }, enrichmentId: 'enr-1' });
    const sizes = (await t.db.collection<{ _id: string; data: { length(): number } }>('blob_chunks').find({}).sort({ part: 1 }).toArray()).map((c) => c.data.length());
    expect(sizes).toEqual([1000, 1000, 1000, 1000, 321]);
    const read = await store.read('run-1', 'tenant-a');
    expect(read!.bytes.equals(bytes)).toBe(true);
  });

  it('when another tenant asks for the key, then it gets nothing and cannot delete it', async () => {
    expect(await store.read('run-1', 'tenant-b')).toBeNull();
    expect(await store.delete('run-1', 'tenant-b')).toBe(false);
    expect(await store.read('run-1', 'tenant-a')).not.toBeNull();
  });

  it('when a stored chunk is altered, then reading refuses the blob', async () => {
    await store.write('run-2', owner, randomBytes(2500));
    await t.db.collection('blob_chunks').updateOne({ _id: ChunkedBlobStore.chunkId('run-2', 1) as never }, { $set: { 'data': randomBytes(1000) } });
    await expect(store.read('run-2', 'tenant-a')).rejects.toBeInstanceOf(BlobCorrupt);
  });

  it('when the writer dies half-way, then the blob is not readable, and deleting it by key leaves no chunk behind', async () => {
    await expect(store.write('run-3', owner, pieces(randomBytes(5000), 500, 2600))).rejects.toThrow(/died/);
    expect((await store.manifest('run-3', 'tenant-a'))?.state).toBe('writing');
    expect(await store.read('run-3', 'tenant-a')).toBeNull();
    // 3,000 bytes arrived before the failure: three whole chunks were stored.
    expect(await t.db.collection('blob_chunks').countDocuments({ _id: { $regex: '^run-3#' } as never })).toBe(3);
    await store.delete('run-3', 'tenant-a');
    expect(await store.manifest('run-3', 'tenant-a')).toBeNull();
    expect(await t.db.collection('blob_chunks').countDocuments({ _id: { $regex: '^run-3#' } as never })).toBe(0);
  });

  it('when a key is written again, then the new bytes replace the old ones entirely', async () => {
    await store.write('run-4', owner, randomBytes(3500));
    const second = randomBytes(1200);
    await store.write('run-4', owner, second);
    expect((await store.read('run-4', 'tenant-a'))!.bytes.equals(second)).toBe(true);
    expect(await t.db.collection('blob_chunks').countDocuments({ _id: { $regex: '^run-4#' } as never })).toBe(2);
  });
});
