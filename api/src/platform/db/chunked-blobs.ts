import { createHash } from 'node:crypto';
import { Binary, type Collection, type Db } from 'mongodb';
import type { CollectionSpec } from './collection-spec';

/**
 * Large immutable byte strings (a file) kept in MongoDB as fixed-size binary chunks, read and
 * written by `_id` alone: a manifest keyed by the blob's key and one document per chunk keyed
 * `<key>#<part>`. FerretDB answers only an exact `{ _id }` filter without reading the whole
 * collection, and a collection of megabyte chunks is the last one to scan.
 *
 * The manifest is written first (`writing`), then the chunks in order, then the manifest again
 * (`complete`, with the size and SHA-256): a reader that finds a complete manifest finds every
 * chunk, and a writer that died leaves a `writing` manifest whose chunks form a prefix, which
 * `delete` removes by key like any other. Owner fields (tenant, and whatever the caller passes,
 * e.g. an enrichment id) are copied onto every document so that a whole owner can also be
 * deleted by filter when that is the only way (an admin deleting everything of an owner).
 */

export interface BlobOwner {
  tenantId: string;
  [field: string]: string;
}

export interface BlobManifest {
  _id: string;
  tenantId: string;
  state: 'writing' | 'complete';
  parts: number;
  bytes: number;
  sha256: string;
  chunkBytes: number;
  createdAt: Date;
  /** Caller's description of the bytes (row count, schema version…); never queried. */
  meta: Record<string, unknown>;
  [field: string]: unknown;
}

interface ChunkDocument {
  _id: string;
  tenantId: string;
  part: number;
  data: Binary;
  [field: string]: unknown;
}

export interface ChunkedBlobOptions {
  manifests: string;
  chunks: string;
  /** Bytes per chunk (default 1 MiB, well under MongoDB's 16 MB document limit). */
  chunkBytes?: number;
  /** Chunks read at once. */
  readConcurrency?: number;
}

export class BlobCorrupt extends Error {}

export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

/** The collections a chunked blob store needs: keys only, so no index beyond `_id`. */
export function chunkedBlobCollections(o: Pick<ChunkedBlobOptions, 'manifests' | 'chunks'>): CollectionSpec[] {
  return [
    { name: o.manifests, indexes: [] },
    { name: o.chunks, indexes: [] },
  ];
}

export class ChunkedBlobStore {
  private readonly manifests: Collection<BlobManifest>;
  private readonly chunks: Collection<ChunkDocument>;
  readonly chunkBytes: number;
  private readonly readConcurrency: number;

  constructor(db: Db, options: ChunkedBlobOptions) {
    this.manifests = db.collection<BlobManifest>(options.manifests);
    this.chunks = db.collection<ChunkDocument>(options.chunks);
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.readConcurrency = options.readConcurrency ?? 4;
  }

  static chunkId(key: string, part: number): string {
    return `${key}#${part}`;
  }

  /**
   * Stores `source` under `key`, replacing whatever a previous attempt left there. Returns the
   * complete manifest. A source that throws leaves a `writing` manifest for `delete` to remove.
   */
  async write(key: string, owner: BlobOwner, source: Uint8Array | AsyncIterable<Uint8Array>, meta: Record<string, unknown> = {}): Promise<BlobManifest> {
    await this.delete(key, owner.tenantId);
    const base: BlobManifest = { ...owner, _id: key, state: 'writing', parts: 0, bytes: 0, sha256: '', chunkBytes: this.chunkBytes, createdAt: new Date(), meta };
    await this.manifests.insertOne(base);
    const hash = createHash('sha256');
    let parts = 0;
    let bytes = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (all: boolean) => {
      while (pendingBytes >= this.chunkBytes || (all && pendingBytes > 0)) {
        const joined = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
        const take = Math.min(this.chunkBytes, joined.length);
        const piece = joined.subarray(0, take);
        const rest = joined.subarray(take);
        pending = rest.length ? [rest] : [];
        pendingBytes = rest.length;
        await this.chunks.insertOne({ ...owner, _id: ChunkedBlobStore.chunkId(key, parts), part: parts, data: new Binary(piece) });
        parts++;
      }
    };
    const pieces = source instanceof Uint8Array ? [source] : source;
    for await (const piece of pieces) {
      const b = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      hash.update(b);
      bytes += b.length;
      pending.push(b);
      pendingBytes += b.length;
      await flush(false);
    }
    await flush(true);
    const complete: BlobManifest = { ...base, state: 'complete', parts, bytes, sha256: hash.digest('hex') };
    await this.manifests.replaceOne({ _id: key }, complete);
    return complete;
  }

  /** The manifest, when it belongs to this tenant. */
  async manifest(key: string, tenantId: string): Promise<BlobManifest | null> {
    const m = await this.manifests.findOne({ _id: key });
    return m && m.tenantId === tenantId ? m : null;
  }

  /** The whole blob, checked against its manifest's size and SHA-256; null when there is no complete blob. */
  async read(key: string, tenantId: string): Promise<{ manifest: BlobManifest; bytes: Buffer } | null> {
    const manifest = await this.manifest(key, tenantId);
    if (!manifest || manifest.state !== 'complete') return null;
    const parts: Buffer[] = new Array<Buffer>(manifest.parts);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(this.readConcurrency, manifest.parts) }, async () => {
        while (next < manifest.parts) {
          const part = next++;
          const doc = await this.chunks.findOne({ _id: ChunkedBlobStore.chunkId(key, part) });
          if (!doc || doc.tenantId !== tenantId) throw new BlobCorrupt(`Chunk ${part} of ${key} is missing.`);
          parts[part] = Buffer.from(doc.data.buffer);
        }
      }),
    );
    const bytes = Buffer.concat(parts);
    if (bytes.length !== manifest.bytes || createHash('sha256').update(bytes).digest('hex') !== manifest.sha256) {
      throw new BlobCorrupt(`The stored bytes of ${key} do not match their manifest.`);
    }
    return { manifest, bytes };
  }

  /**
   * Removes the blob by key: the manifest first (so no reader trusts a half-deleted blob), then
   * its chunks. A `writing` manifest's chunk count is unknown: its chunks are a prefix, deleted
   * until the first missing one.
   */
  async delete(key: string, tenantId: string): Promise<boolean> {
    const manifest = await this.manifests.findOne({ _id: key });
    if (manifest && manifest.tenantId !== tenantId) return false;
    if (manifest) await this.manifests.deleteOne({ _id: key });
    const known = manifest?.state === 'complete' ? manifest.parts : null;
    for (let part = 0; ; part++) {
      if (known !== null && part >= known) break;
      const r = await this.chunks.deleteOne({ _id: ChunkedBlobStore.chunkId(key, part) });
      if (known === null && r.deletedCount === 0) break;
    }
    return manifest !== null;
  }
}
