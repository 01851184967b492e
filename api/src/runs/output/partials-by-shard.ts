import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inflatePartial } from './partials-codec';

/** A shard's waiting records are written once they reach this many bytes (at most 64 shards wait). */
const FLUSH_BYTES = 256 * 1024;

/**
 * Finalize's sorting table for partials: each mailbox's document holds its partials for every
 * shard it touched (one document per mailbox, so a run stores and reads as many documents as it
 * has mailboxes, whatever its shard count). Finalize reads each document once, files its shard
 * blobs here (local temporary files, one per shard, inflated), then merges one shard at
 * a time from them, so memory holds one shard's partials, never the tenant's.
 */
export class PartialsByShard {
  private readonly files = new Map<number, fsp.FileHandle>();
  private readonly opening = new Map<number, Promise<fsp.FileHandle>>();

  private constructor(private readonly dir: string) {}

  static async create(workDir: string = os.tmpdir()): Promise<PartialsByShard> {
    return new PartialsByShard(await fsp.mkdtemp(path.join(workDir, 'run-partials-')));
  }

  /** Records filed but not yet written, per shard, and their bytes. */
  private readonly pending = new Map<number, { records: Buffer[]; bytes: number }>();

  /**
   * Files mailbox `index`'s blob for `shard` (one record: index, length, bytes). Records wait in
   * memory and go to the shard's file in one write once they reach `FLUSH_BYTES`: a write per
   * record (a mailbox touches most shards) was 2.5 s of a 2,500-mailbox merge's CPU
   * (`--cpu-prof`, writeBuffer), for records of a few kilobytes.
   */
  async add(shard: number, index: number, blob: Uint8Array): Promise<void> {
    const record = Buffer.allocUnsafe(8 + blob.length);
    record.writeUInt32BE(index, 0);
    record.writeUInt32BE(blob.length, 4);
    record.set(blob, 8);
    let waiting = this.pending.get(shard);
    if (!waiting) this.pending.set(shard, (waiting = { records: [], bytes: 0 }));
    waiting.records.push(record);
    waiting.bytes += record.length;
    if (waiting.bytes >= FLUSH_BYTES) await this.flush(shard);
  }

  /** Writes the shard's waiting records in one append. */
  private async flush(shard: number): Promise<void> {
    const waiting = this.pending.get(shard);
    if (!waiting || waiting.records.length === 0) return;
    this.pending.delete(shard);
    const file = await this.fileOf(shard);
    await file.write(Buffer.concat(waiting.records, waiting.bytes));
  }

  /**
   * The shard's blobs in mailbox order (none when no mailbox touched it): mailboxes are filed as
   * their documents arrive, and the merge must not depend on that order.
   */
  async blobsOf(shard: number): Promise<Buffer[]> {
    await this.flush(shard);
    const file = path.join(this.dir, `${shard}.bin`);
    if (!fs.existsSync(file)) return [];
    const data = await fsp.readFile(file);
    const records: Array<{ index: number; blob: Buffer }> = [];
    for (let at = 0; at < data.length; ) {
      const length = data.readUInt32BE(at + 4);
      records.push({ index: data.readUInt32BE(at), blob: data.subarray(at + 8, at + 8 + length) });
      at += 8 + length;
    }
    return records.sort((a, b) => a.index - b.index).map((r) => r.blob);
  }

  /** Closes and removes the files (always called, also when the merge fails). */
  async dispose(): Promise<void> {
    this.pending.clear();
    await Promise.all([...this.files.values()].map((f) => f.close().catch(() => undefined)));
    this.files.clear();
    await fsp.rm(this.dir, { recursive: true, force: true });
  }

  private fileOf(shard: number): Promise<fsp.FileHandle> {
    const open = this.files.get(shard);
    if (open) return Promise.resolve(open);
    let pending = this.opening.get(shard);
    if (!pending) {
      // 'a': every write appends whole, so concurrent mailboxes' records never interleave.
      pending = fsp.open(path.join(this.dir, `${shard}.bin`), 'a').then((f) => {
        this.files.set(shard, f);
        this.opening.delete(shard);
        return f;
      });
      this.opening.set(shard, pending);
    }
    return pending;
  }
}

/** One mailbox's partials for each shard it touched: the blobs side by side. */
export interface ShardedPartials {
  shards: number[];
  /** Byte length of each shard's blob, in `shards` order. */
  lengths: number[];
  data: Uint8Array;
}

/**
 * How a stored document's shard blobs are compressed: `whole`, the blobs side by side compressed
 * as one stream (`lengths` are the inflated blobs'); absent, each blob by itself (documents
 * written before issue 13 joined them). A mailbox touches dozens of shards with a few kilobytes
 * each: compressed one by one, every blob paid for a zlib stream of its own, which was most of
 * the synchronous zlib time of a 2,500-mailbox refresh's event loop, and finalize inflated them
 * one by one again.
 */
export type ShardBlobsCompression = 'whole';

/** A stored document's shard blobs, inflated, in shard order. */
export async function inflateShardBlobs(p: ShardedPartials & { compressed?: ShardBlobsCompression }): Promise<Array<[shard: number, blob: Buffer]>> {
  if (p.compressed === 'whole') {
    const data = await inflatePartial(p.data);
    return splitShardBlobs({ shards: p.shards, lengths: p.lengths, data });
  }
  const out: Array<[number, Buffer]> = [];
  for (const [shard, blob] of splitShardBlobs(p)) out.push([shard, await inflatePartial(blob)]);
  return out;
}

export function joinShardBlobs(blobs: Array<[shard: number, blob: Uint8Array]>): ShardedPartials & { data: Buffer } {
  const sorted = [...blobs].sort((a, b) => a[0] - b[0]);
  return { shards: sorted.map(([s]) => s), lengths: sorted.map(([, b]) => b.length), data: Buffer.concat(sorted.map(([, b]) => b)) };
}

export function splitShardBlobs<B extends Uint8Array>(p: ShardedPartials & { data: B }): Array<[shard: number, blob: B]> {
  if (p.shards.length !== p.lengths.length) throw new Error('The partials document is damaged: shard and length lists differ.');
  const out: Array<[number, B]> = [];
  let at = 0;
  p.shards.forEach((shard, k) => {
    const length = p.lengths[k]!;
    if (at + length > p.data.length) throw new Error('The partials document is damaged: its blobs are shorter than their lengths say.');
    out.push([shard, p.data.subarray(at, at + length) as B]);
    at += length;
  });
  return out;
}
