import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inflateShardBlobs, joinShardBlobs, PartialsByShard, splitShardBlobs } from '../../../api/src/runs/output/partials-by-shard';
import { compressPartial, decodePartialBytes, partialBytes } from '../../../api/src/runs/output/partials-codec';

const blob = (...bytes: number[]) => Uint8Array.from(bytes);

describe('partials by shard', () => {
  it('when a mailbox joins its shard blobs, then splitting gives each shard its own bytes, in shard order', () => {
    const joined = joinShardBlobs([[7, blob(1, 2, 3)], [2, blob(9)], [4, blob()]]);
    expect(joined.shards).toEqual([2, 4, 7]);
    expect(joined.lengths).toEqual([1, 0, 3]);
    expect(splitShardBlobs(joined).map(([s, b]) => [s, [...b]])).toEqual([[2, [9]], [4, []], [7, [1, 2, 3]]]);
  });

  it('when a mailbox stores its shard blobs compressed as one, then finalize inflates each shard back to the bytes it packed', async () => {
    const values = new Map([[3, { h: [1, 2, 3, 4, 5, 6, 7, 8], name: 'a' }], [9, { h: [], name: 'b' }], [0, { h: [0.5], name: 'c' }]]);
    const joined = joinShardBlobs([...values].map(([shard, v]) => [shard, partialBytes(v)]));
    const stored = { ...joined, data: (await compressPartial(joined.data)).value(), compressed: 'whole' as const };
    const back = await inflateShardBlobs(stored);
    expect(back.map(([shard]) => shard)).toEqual([0, 3, 9]);
    for (const [shard, blob] of back) expect(decodePartialBytes(blob)).toEqual(values.get(shard));
  });

  it('when a document from before blobs were joined compressed each blob by itself, then finalize still inflates each shard', async () => {
    const values = new Map([[1, { h: [1, 2, 3, 4, 5, 6, 7, 8] }], [4, { h: [9] }]]);
    const each = await Promise.all([...values].map(async ([shard, v]) => [shard, (await compressPartial(partialBytes(v))).value()] as [number, Uint8Array]));
    const back = await inflateShardBlobs(joinShardBlobs(each));
    expect(back.map(([shard, blob]) => [shard, decodePartialBytes(blob)])).toEqual([...values]);
  });

  it('when a stored document says more bytes than it holds, then splitting refuses it with a clear error', () => {
    expect(() => splitShardBlobs({ shards: [0, 1], lengths: [2, 5], data: blob(1, 2, 3) })).toThrow(/damaged/);
    expect(() => splitShardBlobs({ shards: [0, 1], lengths: [2], data: blob(1, 2, 3) })).toThrow(/damaged/);
  });

  it('when mailboxes are filed out of order, then each shard gives back every blob whole, in mailbox order, and the files are removed at the end', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'partials-test-'));
    const byShard = PartialsByShard.create(work);
    const filed = Array.from({ length: 40 }, (_, i) => ({ shard: i % 3, index: 39 - i, bytes: Buffer.alloc(1000 + i, i) }));
    for (const f of filed) byShard.fileMailbox(f.index, [[f.shard, f.bytes]]);
    for (const shard of [0, 1, 2]) {
      const back = byShard.blobsOf(shard).map((b) => Buffer.from(b).toString('hex'));
      const expected = filed.filter((f) => f.shard === shard).sort((a, b) => a.index - b.index);
      expect(back).toEqual(expected.map((f) => f.bytes.toString('hex')));
    }
    expect(byShard.blobsOf(5)).toEqual([]);
    byShard.dispose();
    expect(fs.readdirSync(work)).toEqual([]);
    fs.rmSync(work, { recursive: true });
  });

  it("when a shard's records pass the write threshold several times over, then some are appended before the merge asks for them and the shard gives every record back whole, in mailbox order", async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'partials-test-'));
    const byShard = PartialsByShard.create(work);
    // 90 records of 20 KB on shard 1: several appends of about 256 KiB, and some left waiting.
    const filed = Array.from({ length: 90 }, (_, i) => ({ index: (i * 37) % 90, bytes: Buffer.alloc(20_000, i) }));
    for (const f of filed) byShard.fileMailbox(f.index, [[1, f.bytes]]);
    const written = fs.statSync(path.join(fs.readdirSync(work).map((d) => path.join(work, d))[0]!, '1.bin')).size;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(90 * 20_008);
    const back = byShard.blobsOf(1);
    expect(back.map((b) => b[0])).toEqual([...filed].sort((a, b) => a.index - b.index).map((f) => f.bytes[0]));
    expect(back.every((b) => b.length === 20_000)).toBe(true);
    byShard.dispose();
    fs.rmSync(work, { recursive: true });
  });

  it('when a mailbox is filed again, then only its latest blobs count, also on shards the latest filing no longer touches', async () => {
    const byShard = PartialsByShard.create();
    byShard.fileMailbox(4, [[0, blob(1)], [1, blob(2)]]);
    byShard.fileMailbox(2, [[0, blob(9)]]);
    byShard.fileMailbox(4, [[0, blob(3)]]);
    expect(byShard.blobsOf(0).map((b) => [...b])).toEqual([[9], [3]]);
    expect(byShard.blobsOf(1)).toEqual([]);
    byShard.dispose();
  });

  it('when only some mailboxes are retained, then the others are skipped, and one filed after that counts again', async () => {
    const byShard = PartialsByShard.create();
    for (const index of [0, 1, 2, 3]) byShard.fileMailbox(index, [[0, blob(index)]]);
    byShard.retain(new Set([1, 3]));
    expect(byShard.blobsOf(0).map((b) => [...b])).toEqual([[1], [3]]);
    byShard.fileMailbox(0, [[0, blob(7)]]);
    expect(byShard.blobsOf(0).map((b) => [...b])).toEqual([[7], [1], [3]]);
    byShard.dispose();
    expect(() => byShard.blobsOf(0)).toThrow(/disposed/);
  });

  it('when blobs of any length are filed, then each comes back 8-aligned in its buffer, so number columns are read in place', async () => {
    const byShard = PartialsByShard.create();
    for (let index = 0; index < 9; index++) byShard.fileMailbox(index, [[0, Buffer.alloc(index * 3 + 1, index)]]);
    const back = byShard.blobsOf(0);
    expect(back.map((b) => b.length)).toEqual(Array.from({ length: 9 }, (_, i) => i * 3 + 1));
    expect(back.every((b, i) => b.byteOffset % 8 === 0 && b.every((x) => x === i))).toBe(true);
    byShard.dispose();
  });
});
