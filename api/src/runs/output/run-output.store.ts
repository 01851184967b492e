import type { Binary, Collection, Db } from 'mongodb';
import type { CollectionSpec } from '../../platform/db/collection-spec';
import { findByKey, replaceByKey, writeOnceByKey } from '../../platform/db/by-key';
import { deleteByKeys } from '../../platform/db/delete-by-keys';
import { deleteInChunks } from '../../platform/db/delete-in-chunks';
import type { ShardBlobsCompression } from './partials-by-shard';
import type { PackedPartials } from './partials-codec';
import { readSnapshotRows } from '../../snapshots/snapshot-file';
import type { OutputRow } from '../../snapshots/snapshot-schema';
import { SnapshotsStore } from '../../snapshots/snapshots.store';
import type { PackedLedger, PackedTails } from '../domain/mailbox-contribution';
import type { LegacyPackedDomainActivity, PackedDomainActivity } from '../domain/unmatched-domains';

/**
 * What runs write and publish in MongoDB: each mailbox's state (the next refresh's base) and
 * partials, the published user entity and the result pointer. Everything is keyed by run, so a run never overwrites a
 * previous run's data in place: a failed or cancelled run leaves its base intact, and a retried
 * mailbox job deletes and rewrites its own keys only.
 *
 * Nothing individual is stored: buckets hold counts, instants and the distinct sets the
 * distinct-people columns need (indexes of selected mailboxes, and account contact addresses,
 * which are dataset data already). No message id, subject or employee address.
 */

/**
 * What a mailbox state's blob holds: its email buckets per account, its conversation tails and
 * its calendar sync (the delta link the next refresh follows, the window that sync covers, and
 * the meeting ledger the changes apply to).
 */
export interface MailboxStatePayload {
  /** Email buckets per account, as columns (`packPartials`). */
  emailColumns: PackedPartials;
  /** Conversation tails as parallel arrays (key hash, instant, sender is organisation); since issue 13 the organisation's only (`packTails`). */
  tails: PackedTails;
  /** Absent in states written before calendars were synced by delta: the next refresh reads the calendar in full. */
  calendar?: { deltaLink: string; windowStart: number; windowEnd: number; ledger: PackedLedger };
  /** Emails with busy domains that match no account (unmatched-domains); absent in older states. */
  unmatched?: PackedDomainActivity | LegacyPackedDomainActivity;
}

/**
 * Why a refresh read a mailbox's calendar in full instead of applying its changes: the base run
 * left no calendar state, the sync's window ended, or Graph no longer knew the sync (410
 * `syncStateNotFound`: a "calendar delta reset").
 */
export type CalendarFullRead = 'no-state' | 'window-renewed' | 'sync-state-lost';

/** Email buckets + conversation tails of one mailbox after a run: the next refresh's starting point. */
export interface MailboxStateDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  runId: string;
  userId: string;
  asOf: Date;
  /** `MailboxStatePayload`, compressed (partials-codec): never queried by field. */
  data: Binary;
  messagesRead: number;
  eventsRead: number;
  emailsCounted: number;
  meetingsCounted: number;
  fullRead: boolean;
}

/**
 * One mailbox's partials in one run, for every shard of accounts it touched: the shards' blobs
 * (`AccountPartial[]` each, packed by partials-codec) side by side in `data`, compressed as one. One document
 * per mailbox, so a run writes and finalize reads as many documents as there are mailboxes,
 * whatever the shard count (a document per mailbox and shard made both grow with the square
 * of the tenant). Keyed by (run, mailbox): a retried mailbox replaces it rather than adding.
 */
export interface ContributionDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  runId: string;
  index: number;
  /** The shards the mailbox has partials for, ascending. */
  shards: number[];
  /** Byte length of each shard's blob in `data` (inflated when `compressed` is `whole`), in `shards` order. */
  lengths: number[];
  data: Binary;
  /** `whole`: `data` is the blobs compressed as one stream; absent in documents that compressed each blob by itself. */
  compressed?: ShardBlobsCompression;
  /**
   * The mailbox's unmatched-domain activity in the window (emails carried in its state, meetings
   * from its ledger), packed and compressed, so finalize sums a run's unmatched domains from the
   * partials it reads anyway instead of reading every state back. Absent in documents written
   * before it travelled here: finalize then reads that mailbox's state.
   */
  unmatched?: Binary;
}

/** A row of the output entity as published (in the run's snapshot, not in a collection). */
export type OutputRowDocument = OutputRow;

export interface UserEntityDocument {
  tenantId: string;
  enrichmentId: string;
  runId: string;
  entityName: string;
  UserId: string;
  Mail: string;
}

/** A published run whose snapshot is kept (for trends: change since the previous run, history). */
export interface KeptRun {
  runId: string;
  asOf: Date;
  publishedAt: Date;
}

/**
 * The enrichment's current result: flipping `runId` switches readers from one run to the next.
 * `kept` lists the published runs whose snapshots are kept, newest first (the current one
 * included), written in the same single-document write as the flip.
 */
export interface ResultPointerDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  runId: string;
  asOf: Date;
  flippedAt: Date;
  kept: KeptRun[];
}

export const mailboxStatesCollection: CollectionSpec = {
  name: 'engine_mailbox_states',
  indexes: [{ name: 'tenant_enrichment_run', key: { tenantId: 1, enrichmentId: 1, runId: 1 } }],
};
export const contributionsCollection: CollectionSpec = {
  name: 'engine_contributions',
  // Finalize reads contributions by exact key (run, mailbox); this index serves cleanup.
  indexes: [{ name: 'tenant_enrichment_run', key: { tenantId: 1, enrichmentId: 1, runId: 1 } }],
};
export const userEntitiesCollection: CollectionSpec = {
  name: 'engine_user_entities',
  indexes: [{ name: 'tenant_enrichment_run', key: { tenantId: 1, enrichmentId: 1, runId: 1 } }],
};
export const resultPointersCollection: CollectionSpec = {
  name: 'engine_result_pointers',
  indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};

export const OUTPUT_COLLECTIONS: CollectionSpec[] = [mailboxStatesCollection, contributionsCollection, userEntitiesCollection, resultPointersCollection];

const BATCH = 500;

export class EngineResultsStore {
  readonly states: Collection<MailboxStateDocument>;
  readonly contributions: Collection<ContributionDocument>;
  readonly snapshots: SnapshotsStore;
  readonly users: Collection<UserEntityDocument>;
  readonly pointers: Collection<ResultPointerDocument>;

  constructor(db: Db) {
    this.states = db.collection<MailboxStateDocument>(mailboxStatesCollection.name);
    this.contributions = db.collection<ContributionDocument>(contributionsCollection.name);
    this.snapshots = new SnapshotsStore(db);
    this.users = db.collection<UserEntityDocument>(userEntitiesCollection.name);
    this.pointers = db.collection<ResultPointerDocument>(resultPointersCollection.name);
  }

  static stateId(runId: string, userId: string): string {
    return `${runId}:${userId}`;
  }

  getState(tenantId: string, runId: string, userId: string): Promise<MailboxStateDocument | null> {
    return findByKey(this.states, EngineResultsStore.stateId(runId, userId), tenantId);
  }

  static contributionId(runId: string, index: number): string {
    return `${runId}:${index}`;
  }

  /** Removes what this mailbox wrote for the run (cancelled while it was being read). */
  async clearMailbox(tenantId: string, runId: string, userId: string, index: number): Promise<void> {
    await deleteByKeys(this.contributions, [EngineResultsStore.contributionId(runId, index)]);
    await deleteByKeys(this.states, [EngineResultsStore.stateId(runId, userId)]);
  }

  /**
   * Writes a mailbox's partials by key (never adds): replacing by key makes a retried job (or a
   * second copy of it) overwrite what the first wrote. The state is written last: its presence
   * says the mailbox's contributions are complete.
   */
  async writeMailbox(state: MailboxStateDocument, partials: ContributionDocument): Promise<void> {
    await writeOnceByKey(this.contributions, partials);
    await writeOnceByKey(this.states, state);
  }

  getContribution(tenantId: string, runId: string, index: number): Promise<ContributionDocument | null> {
    return findByKey(this.contributions, EngineResultsStore.contributionId(runId, index), tenantId);
  }

  async insertUsers(users: UserEntityDocument[]): Promise<void> {
    for (let i = 0; i < users.length; i += BATCH) await this.users.insertMany(users.slice(i, i + BATCH), { ordered: false });
  }

  /** A run's published output: its snapshot (by key) and its user entity. */
  async clearRunOutput(tenantId: string, runId: string): Promise<void> {
    await this.snapshots.delete(tenantId, runId);
    await deleteInChunks(this.users, { tenantId, runId });
  }

  /** Everything a run wrote here (cancel, failure): its base and the current result are untouched. */
  async clearRun(tenantId: string, runId: string): Promise<void> {
    await deleteInChunks(this.contributions, { tenantId, runId });
    await deleteInChunks(this.states, { tenantId, runId });
    await this.clearRunOutput(tenantId, runId);
  }

  getPointer(tenantId: string, enrichmentId: string): Promise<ResultPointerDocument | null> {
    return findByKey(this.pointers, `${tenantId}:${enrichmentId}`, tenantId);
  }

  /**
   * The atomic switch: one single-document write moves readers to the new run's snapshot and
   * records it first among the `keep` runs whose snapshots stay. Only the finalize claim holder
   * writes it, so reading the previous list first is safe.
   */
  async flip(tenantId: string, enrichmentId: string, runId: string, asOf: Date, keep: number): Promise<ResultPointerDocument> {
    const previous = await this.getPointer(tenantId, enrichmentId);
    const flippedAt = new Date();
    const earlier = previous ? (previous.kept ?? [{ runId: previous.runId, asOf: previous.asOf, publishedAt: previous.flippedAt }]) : [];
    const kept = [{ runId, asOf, publishedAt: flippedAt }, ...earlier.filter((k) => k.runId !== runId)].slice(0, Math.max(1, keep));
    const doc: ResultPointerDocument = { _id: `${tenantId}:${enrichmentId}`, tenantId, enrichmentId, runId, asOf, flippedAt, kept };
    await replaceByKey(this.pointers, doc);
    return doc;
  }

  /** Before the run completes: the snapshots beyond those kept and the other runs' user entities go. */
  async pruneBefore(tenantId: string, enrichmentId: string, currentRunId: string): Promise<void> {
    const pointer = await this.getPointer(tenantId, enrichmentId);
    const keep = new Set((pointer?.kept ?? []).map((k) => k.runId).concat(currentRunId));
    await this.snapshots.prune(tenantId, enrichmentId, keep);
    await deleteInChunks(this.users, { tenantId, enrichmentId, runId: { $ne: currentRunId } });
  }

  /**
   * After the run completes: the superseded runs' states and every partial of the named runs.
   * `known` names what the caller knows was written (the states of every superseded run, whose
   * inputs outlive them, and the runs' partial keys), deleted by key: FerretDB answers a filter on
   * anything but `_id` by decoding every document, and a sweep of the states would decode the
   * current run's (≈ 70 KiB each, 175 MB at 2,500 mailboxes) to delete none of them. The partials'
   * sweep that follows, for a key the caller could not know (a crashed attempt's), finds little
   * once the keys are gone; it names the runs, so a run started since is never touched.
   */
  async sweepRuns(tenantId: string, runIds: string[], known: { olderStates: string[]; partials: string[] }): Promise<void> {
    await deleteByKeys(this.states, known.olderStates);
    await deleteByKeys(this.contributions, known.partials);
    await deleteInChunks(this.contributions, { tenantId, runId: { $in: runIds } });
  }

  /** The current result's rows (through the pointer, read from its snapshot), for the tests and tools. */
  async currentRows(tenantId: string, enrichmentId: string): Promise<{ runId: string | null; rows: OutputRowDocument[] }> {
    const p = await this.getPointer(tenantId, enrichmentId);
    if (!p) return { runId: null, rows: [] };
    const snapshot = await this.snapshots.read(tenantId, p.runId);
    if (!snapshot) throw new Error(`The snapshot of the current run ${p.runId} is missing.`);
    return { runId: p.runId, rows: await readSnapshotRows(snapshot.bytes) };
  }

  async currentUsers(tenantId: string, enrichmentId: string): Promise<UserEntityDocument[]> {
    const p = await this.getPointer(tenantId, enrichmentId);
    if (!p) return [];
    return this.users.find({ tenantId, enrichmentId, runId: p.runId }, { projection: { _id: 0 } }).toArray();
  }
}
