import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflatePartial } from './partials-codec';

/** A shard's waiting records are written once they reach this many bytes (at most 64 shards wait). */
const FLUSH_BYTES = 256 * 1024;
/**
 * A record's head: mailbox index, filing, blob length (uint32 each) and 4 bytes of padding; the
 * blob is padded to a multiple of 8 too, so every blob starts 8-aligned in the file's buffer and
 * its number columns are read in place instead of copied first (number-columns.ts).
 */
const HEAD = 16;
const pad8 = (n: number) => (n + 7) & ~7;

/**
 * Finalize's sorting table for partials: each mailbox's document holds its partials for every
 * shard it touched (one document per mailbox, so a run stores and reads as many documents as it
 * has mailboxes, whatever its shard count). Its blobs are filed here (local temporary files, one
 * per shard, inflated), by finalize as it reads each document, or by this process as it writes
 * them (local-partials.ts); then the merge takes one shard at a time from them, so memory holds
 * one shard's partials, never the tenant's.
 *
 * Files are written and read synchronously: appends of 256 KiB to a local temporary file cost
 * well under a millisecond, and a record can then never be read half written while another
 * mailbox files its own.
 */
export class PartialsByShard {
  /** Per mailbox, its current filing: records of an earlier filing, or of a mailbox no longer kept, are skipped. */
  private readonly current = new Map<number, number>();
  private filings = 0;
  /** Records filed but not yet written, per shard, and their bytes. */
  private readonly pending = new Map<number, { records: Buffer[]; bytes: number }>();
  private disposed = false;

  private constructor(private readonly dir: string) {}

  static create(workDir: string = os.tmpdir()): PartialsByShard {
    return new PartialsByShard(fs.mkdtempSync(path.join(workDir, 'run-partials-')));
  }

  /** Files mailbox `index`'s blob for each shard it touched, in place of anything filed for it before. */
  fileMailbox(index: number, blobs: Iterable<readonly [shard: number, blob: Uint8Array]>): void {
    if (this.disposed) return;
    const filing = ++this.filings;
    this.current.set(index, filing);
    for (const [shard, blob] of blobs) this.add(shard, index, filing, blob);
  }

  /** Forgets every mailbox but those in `indexes`: their records are skipped from now on. */
  retain(indexes: ReadonlySet<number>): void {
    for (const index of [...this.current.keys()]) if (!indexes.has(index)) this.current.delete(index);
  }

  /**
   * Records wait in memory and go to the shard's file in one write once they reach
   * `FLUSH_BYTES`: a write per record (a mailbox touches most shards) was 2.5 s of a
   * 2,500-mailbox merge's CPU (`--cpu-prof`, writeBuffer), for records of a few kilobytes.
   */
  private add(shard: number, index: number, filing: number, blob: Uint8Array): void {
    const record = Buffer.allocUnsafe(HEAD + pad8(blob.length));
    record.writeUInt32BE(index, 0);
    record.writeUInt32BE(filing, 4);
    record.writeUInt32BE(blob.length, 8);
    record.writeUInt32BE(0, 12);
    record.set(blob, HEAD);
    record.fill(0, HEAD + blob.length);
    let waiting = this.pending.get(shard);
    if (!waiting) this.pending.set(shard, (waiting = { records: [], bytes: 0 }));
    waiting.records.push(record);
    waiting.bytes += record.length;
    if (waiting.bytes >= FLUSH_BYTES) this.flush(shard);
  }

  /** Appends the shard's waiting records in one write. */
  private flush(shard: number): void {
    const waiting = this.pending.get(shard);
    if (!waiting || waiting.records.length === 0) return;
    this.pending.delete(shard);
    fs.appendFileSync(this.fileOf(shard), Buffer.concat(waiting.records, waiting.bytes));
  }

  /**
   * The shard's blobs of the kept mailboxes, in mailbox order (none when no mailbox touched it):
   * mailboxes are filed as their documents arrive, and the merge must not depend on that order.
   */
  blobsOf(shard: number): Buffer[] {
    if (this.disposed) throw new Error('The partials were disposed of.');
    this.flush(shard);
    const file = this.fileOf(shard);
    if (!fs.existsSync(file)) return [];
    const data = fs.readFileSync(file);
    const records: Array<{ index: number; blob: Buffer }> = [];
    for (let at = 0; at < data.length; ) {
      if (at + HEAD > data.length) throw new Error('A partials file is cut short.');
      const index = data.readUInt32BE(at);
      const length = data.readUInt32BE(at + 8);
      if (at + HEAD + pad8(length) > data.length) throw new Error('A partials file is cut short.');
      if (this.current.get(index) === data.readUInt32BE(at + 4)) records.push({ index, blob: data.subarray(at + HEAD, at + HEAD + length) });
      at += HEAD + pad8(length);
    }
    return records.sort((a, b) => a.index - b.index).map((r) => r.blob);
  }

  /** Removes the files (always called, also when the merge fails); later filings are ignored. */
  dispose(): void {
    this.disposed = true;
    this.pending.clear();
    this.current.clear();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private fileOf(shard: number): string {
    return path.join(this.dir, `${shard}.bin`);
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
