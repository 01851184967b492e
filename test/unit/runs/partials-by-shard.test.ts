import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { joinShardBlobs, PartialsByShard, splitShardBlobs } from '../../../api/src/runs/output/partials-by-shard';

const blob = (...bytes: number[]) => Uint8Array.from(bytes);

describe('partials by shard', () => {
  it('when a mailbox joins its shard blobs, then splitting gives each shard its own bytes, in shard order', () => {
    const joined = joinShardBlobs([[7, blob(1, 2, 3)], [2, blob(9)], [4, blob()]]);
    expect(joined.shards).toEqual([2, 4, 7]);
    expect(joined.lengths).toEqual([1, 0, 3]);
    expect(splitShardBlobs(joined).map(([s, b]) => [s, [...b]])).toEqual([[2, [9]], [4, []], [7, [1, 2, 3]]]);
  });

  it('when a stored document says more bytes than it holds, then splitting refuses it with a clear error', () => {
    expect(() => splitShardBlobs({ shards: [0, 1], lengths: [2, 5], data: blob(1, 2, 3) })).toThrow(/damaged/);
    expect(() => splitShardBlobs({ shards: [0, 1], lengths: [2], data: blob(1, 2, 3) })).toThrow(/damaged/);
  });

  it('when mailboxes file blobs concurrently and out of order, then each shard gives back every blob whole, in mailbox order, and the files are removed at the end', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'partials-test-'));
    const byShard = await PartialsByShard.create(work);
    const filed = Array.from({ length: 40 }, (_, i) => ({ shard: i % 3, index: 39 - i, bytes: Buffer.alloc(1000 + i, i) }));
    await Promise.all(filed.map((f) => byShard.add(f.shard, f.index, f.bytes)));
    for (const shard of [0, 1, 2]) {
      const back = (await byShard.blobsOf(shard)).map((b) => Buffer.from(b).toString('hex'));
      const expected = filed.filter((f) => f.shard === shard).sort((a, b) => a.index - b.index);
      expect(back).toEqual(expected.map((f) => f.bytes.toString('hex')));
    }
    expect(await byShard.blobsOf(5)).toEqual([]);
    await byShard.dispose();
    expect(fs.readdirSync(work)).toEqual([]);
    fs.rmSync(work, { recursive: true });
  });

  it("when a shard's records pass the write threshold several times over, then some are appended before the merge asks for them and the shard gives every record back whole, in mailbox order", async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'partials-test-'));
    const byShard = await PartialsByShard.create(work);
    // 90 records of 20 KB on shard 1: several appends of about 256 KiB, and some left waiting.
    const filed = Array.from({ length: 90 }, (_, i) => ({ index: (i * 37) % 90, bytes: Buffer.alloc(20_000, i) }));
    for (const f of filed) await byShard.add(1, f.index, f.bytes);
    const written = fs.statSync(path.join(fs.readdirSync(work).map((d) => path.join(work, d))[0]!, '1.bin')).size;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(90 * 20_008);
    const back = await byShard.blobsOf(1);
    expect(back.map((b) => b[0])).toEqual([...filed].sort((a, b) => a.index - b.index).map((f) => f.bytes[0]));
    expect(back.every((b) => b.length === 20_000)).toBe(true);
    await byShard.dispose();
    fs.rmSync(work, { recursive: true });
  });
});
