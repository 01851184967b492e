import fs from 'node:fs';
import type { Db } from 'mongodb';
import { ChunkedBlobStore, chunkedBlobCollections, type BlobManifest } from '../platform/db/chunked-blobs';
import type { CollectionSpec } from '../platform/db/collection-spec';
import type { SnapshotFacts } from './snapshot-schema';

/**
 * Result snapshots in MongoDB: one chunked blob per published run, keyed by the run id (run ids
 * are unique across tenants), owned by its tenant and enrichment. Everything here is read and
 * written by key, except listing an enrichment's manifests (small documents) to prune the runs
 * it no longer keeps.
 */
export const SNAPSHOT_MANIFESTS = 'results_snapshots';
export const SNAPSHOT_CHUNKS = 'results_snapshot_chunks';
export const SNAPSHOT_COLLECTIONS: CollectionSpec[] = chunkedBlobCollections({ manifests: SNAPSHOT_MANIFESTS, chunks: SNAPSHOT_CHUNKS });

export interface SnapshotOwner {
  tenantId: string;
  enrichmentId: string;
  runId: string;
}

export interface StoredSnapshot {
  runId: string;
  bytes: Buffer;
  facts: SnapshotFacts;
}

export class SnapshotsStore {
  readonly blobs: ChunkedBlobStore;
  private readonly db: Db;

  constructor(db: Db, options: { chunkBytes?: number } = {}) {
    this.db = db;
    this.blobs = new ChunkedBlobStore(db, { manifests: SNAPSHOT_MANIFESTS, chunks: SNAPSHOT_CHUNKS, chunkBytes: options.chunkBytes });
  }

  /** Stores a written file under its run; a second save of the same run replaces the first. */
  async save(owner: SnapshotOwner, file: string, facts: SnapshotFacts): Promise<BlobManifest> {
    return this.blobs.write(owner.runId, { tenantId: owner.tenantId, enrichmentId: owner.enrichmentId }, fs.createReadStream(file, { highWaterMark: this.blobs.chunkBytes }), { ...facts });
  }

  async read(tenantId: string, runId: string): Promise<StoredSnapshot | null> {
    const found = await this.blobs.read(runId, tenantId);
    return found ? { runId, bytes: found.bytes, facts: found.manifest.meta as unknown as SnapshotFacts } : null;
  }

  async facts(tenantId: string, runId: string): Promise<SnapshotFacts | null> {
    const m = await this.blobs.manifest(runId, tenantId);
    return m?.state === 'complete' ? (m.meta as unknown as SnapshotFacts) : null;
  }

  /** Removes a run's snapshot, complete or half-written. */
  async delete(tenantId: string, runId: string): Promise<void> {
    await this.blobs.delete(runId, tenantId);
  }

  /** Run ids of every snapshot (complete or not) an enrichment has stored. */
  async runsOf(tenantId: string, enrichmentId: string): Promise<string[]> {
    const docs = await this.db
      .collection<BlobManifest>(SNAPSHOT_MANIFESTS)
      .find({ tenantId, enrichmentId }, { projection: { _id: 1 } })
      .toArray();
    return docs.map((d) => d._id);
  }

  /** Deletes every snapshot of the enrichment whose run is not in `keep`. */
  async prune(tenantId: string, enrichmentId: string, keep: ReadonlySet<string>): Promise<string[]> {
    const dropped = (await this.runsOf(tenantId, enrichmentId)).filter((runId) => !keep.has(runId));
    for (const runId of dropped) await this.delete(tenantId, runId);
    return dropped;
  }
}

/** Every snapshot of an enrichment, by key (the enrichment is being deleted). */
export async function deleteEnrichmentSnapshots(db: Db, tenantId: string, enrichmentId: string): Promise<void> {
  await new SnapshotsStore(db).prune(tenantId, enrichmentId, new Set());
}
