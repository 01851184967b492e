import type { Binary, Collection, Db } from 'mongodb';
import type { CollectionSpec } from '../../platform/db/collection-spec';
import { findByKey, replaceByKey } from '../../platform/db/by-key';
import { deleteInChunks } from '../../platform/db/delete-in-chunks';
import type { Bucket } from '../domain/engagement-buckets';
import { readSnapshotRows } from '../../snapshots/snapshot-file';
import type { OutputRow } from '../../snapshots/snapshot-schema';
import { SnapshotsStore } from '../../snapshots/snapshots.store';
import type { PackedLedger } from '../domain/mailbox-contribution';
import type { RunCounters } from '../lifecycle/runs.store';

/**
 * What the engine keeps in MongoDB. Everything is keyed by run, so a run never overwrites a
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
  emailBuckets: Array<{ accountId: string; buckets: Bucket[] }>;
  /** Conversation tails as parallel arrays (key hash, instant, sender is organisation). */
  tails: { keys: string[]; at: number[]; fromOrganisation: boolean[] };
  /** Absent in states written before calendars were synced by delta: the next refresh reads the calendar in full. */
  calendar?: { deltaLink: string; windowStart: number; windowEnd: number; ledger: PackedLedger };
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

/** One account's partial aggregate from one mailbox (emails carried + meetings). */
export interface AccountPartial {
  accountId: string;
  buckets: Bucket[];
}

/**
 * One mailbox's partials for the accounts of one shard in one run. Keyed by (run, mailbox,
 * shard): a retried mailbox job replaces its documents rather than adding to them.
 */
export interface ContributionDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  runId: string;
  index: number;
  shard: number;
  /** `AccountPartial[]`, compressed (partials-codec). */
  data: Binary;
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

/** One mailbox of one run: written only by the job processing it (progress, then its outcome). */
export interface WorkItemDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  runId: string;
  index: number;
  userId: string;
  /** The worker process that wrote it last (host:pid): which instance read the mailbox. */
  worker?: string;
  state: 'reading' | 'done' | 'failed';
  /** This attempt's figures (set, not incremented: a retried mailbox never counts twice). */
  messagesRead: number;
  eventsRead: number;
  fullRead: boolean;
  /** Set when a refresh read this mailbox's calendar in full, with the reason (see CalendarFullRead). */
  calendarFullRead?: CalendarFullRead | null;
  reason: string | null;
  /** Shards this mailbox wrote contributions for (set when done): what finalize reads. */
  shards?: number[];
  updatedAt: Date;
}

/** A run's live counters and per-mailbox errors, summed from its work items. */
export interface ItemStats {
  done: number;
  failed: number;
  fullRead: number;
  /** Mailboxes whose calendar a refresh read in full (calendar delta resets included). */
  calendarFullRead: number;
  messagesRead: number;
  eventsRead: number;
  errors: Array<{ userId: string; reason: string; at: Date }>;
}

export function itemStatsOf(items: WorkItemDocument[]): ItemStats {
  const out: ItemStats = { done: 0, failed: 0, fullRead: 0, calendarFullRead: 0, messagesRead: 0, eventsRead: 0, errors: [] };
  for (const i of items) {
    out.messagesRead += i.messagesRead;
    out.eventsRead += i.eventsRead;
    if (i.state === 'done') {
      out.done++;
      if (i.fullRead) out.fullRead++;
      if (i.calendarFullRead) out.calendarFullRead++;
    } else if (i.state === 'failed') {
      out.failed++;
      out.errors.push({ userId: i.userId, reason: i.reason ?? 'failed', at: i.updatedAt });
    }
  }
  return out;
}

/** A run's counters from its work items' figures. */
export function countersOf(total: number, s: ItemStats): RunCounters {
  return {
    mailboxesTotal: total,
    mailboxesDone: s.done,
    mailboxesFailed: s.failed,
    mailboxesPending: Math.max(0, total - s.done - s.failed),
    messagesRead: s.messagesRead,
    eventsRead: s.eventsRead,
    mailboxesFullRead: s.fullRead,
    mailboxesCalendarFullRead: s.calendarFullRead,
  };
}

export type ClaimKind = 'finalize' | 'cancel' | 'fail';

/** Who ends a run. Inserted with the run id as key: exactly one of finalize, cancel, fail wins. */
export interface RunClaimDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  kind: ClaimKind;
  /** The agenda job that claimed (finalize): the same job retaken after a crash may continue. */
  jobId: string | null;
  at: Date;
}

/**
 * A lease on one piece of work (a mailbox of a run, a run's finalize). Agenda's own locking is a
 * conditional update, which FerretDB does not apply atomically, so the same job can be handed to
 * two workers; the lease's insert (unique key) decides which of them works.
 */
export interface LeaseDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  owner: string;
  expiresAt: Date;
}

export const leasesCollection: CollectionSpec = {
  name: 'engine_leases',
  indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};

export const workItemsCollection: CollectionSpec = {
  name: 'engine_work_items',
  indexes: [{ name: 'tenant_run_state', key: { tenantId: 1, runId: 1, state: 1 } }, { name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};
export const runClaimsCollection: CollectionSpec = {
  name: 'engine_run_claims',
  indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};

export const mailboxStatesCollection: CollectionSpec = {
  name: 'engine_mailbox_states',
  indexes: [{ name: 'tenant_enrichment_run', key: { tenantId: 1, enrichmentId: 1, runId: 1 } }],
};
export const contributionsCollection: CollectionSpec = {
  name: 'engine_contributions',
  // Finalize reads contributions by exact key (run, mailbox, shard); this index serves cleanup.
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

export const ENGINE_COLLECTIONS: CollectionSpec[] = [
  mailboxStatesCollection,
  contributionsCollection,
  userEntitiesCollection,
  resultPointersCollection,
  workItemsCollection,
  runClaimsCollection,
  leasesCollection,
];

const BATCH = 500;

export class EngineResultsStore {
  readonly states: Collection<MailboxStateDocument>;
  readonly contributions: Collection<ContributionDocument>;
  readonly snapshots: SnapshotsStore;
  readonly users: Collection<UserEntityDocument>;
  readonly pointers: Collection<ResultPointerDocument>;
  readonly items: Collection<WorkItemDocument>;
  readonly claims: Collection<RunClaimDocument>;
  readonly leases: Collection<LeaseDocument>;

  constructor(db: Db) {
    this.states = db.collection<MailboxStateDocument>(mailboxStatesCollection.name);
    this.contributions = db.collection<ContributionDocument>(contributionsCollection.name);
    this.snapshots = new SnapshotsStore(db);
    this.users = db.collection<UserEntityDocument>(userEntitiesCollection.name);
    this.pointers = db.collection<ResultPointerDocument>(resultPointersCollection.name);
    this.items = db.collection<WorkItemDocument>(workItemsCollection.name);
    this.claims = db.collection<RunClaimDocument>(runClaimsCollection.name);
    this.leases = db.collection<LeaseDocument>(leasesCollection.name);
  }

  // ---- leases ---------------------------------------------------------------------------

  /** Takes the lease when free or expired (its holder stopped renewing: died). */
  async acquireLease(tenantId: string, enrichmentId: string, key: string, owner: string, ttlMs: number): Promise<boolean> {
    for (let i = 0; i < 2; i++) {
      try {
        await this.leases.insertOne({ _id: key, tenantId, enrichmentId, owner, expiresAt: new Date(Date.now() + ttlMs) });
        return true;
      } catch (e) {
        if ((e as { code?: number }).code !== 11000) throw e;
      }
      const held = await this.leases.findOne({ _id: key, tenantId });
      if (held && held.expiresAt.getTime() > Date.now()) return false;
      if (held) await this.leases.deleteOne({ _id: key, tenantId, owner: held.owner, expiresAt: held.expiresAt });
    }
    return false;
  }

  /** false when the lease was lost (expired and taken over): the holder must stop. */
  async renewLease(tenantId: string, key: string, owner: string, ttlMs: number): Promise<boolean> {
    const r = await this.leases.updateOne({ _id: key, tenantId, owner }, { $set: { expiresAt: new Date(Date.now() + ttlMs) } });
    return r.matchedCount === 1;
  }

  async releaseLease(tenantId: string, key: string, owner: string): Promise<void> {
    await this.leases.deleteOne({ _id: key, tenantId, owner });
  }

  // ---- work items and claims ----------------------------------------------------------------

  getItem(tenantId: string, runId: string, index: number): Promise<WorkItemDocument | null> {
    return findByKey(this.items, `${runId}:${index}`, tenantId);
  }

  async putItem(item: Omit<WorkItemDocument, '_id' | 'updatedAt'>): Promise<void> {
    await replaceByKey(this.items, { _id: `${item.runId}:${item.index}`, ...item, updatedAt: new Date() });
  }

  /** Every work item of a run (small documents: ids, figures, outcome). */
  runItems(tenantId: string, runId: string): Promise<WorkItemDocument[]> {
    return this.items.find({ tenantId, runId }).toArray();
  }

  async countFinished(tenantId: string, runId: string): Promise<number> {
    return this.items.countDocuments({ tenantId, runId, state: { $in: ['done', 'failed'] } });
  }

  /** Live counters and per-mailbox errors of a run, summed from its work items. */
  async itemStats(tenantId: string, runId: string): Promise<ItemStats> {
    return itemStatsOf(await this.runItems(tenantId, runId));
  }

  getClaim(tenantId: string, runId: string): Promise<RunClaimDocument | null> {
    return findByKey(this.claims, runId, tenantId);
  }

  /** true when this caller holds the run's claim (newly inserted, or already its own). */
  async claim(tenantId: string, enrichmentId: string, runId: string, kind: ClaimKind, jobId: string | null): Promise<{ won: boolean; holder: RunClaimDocument | null }> {
    try {
      await this.claims.insertOne({ _id: runId, tenantId, enrichmentId, kind, jobId, at: new Date() });
      return { won: true, holder: null };
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
      const holder = await this.getClaim(tenantId, runId);
      return { won: holder !== null && holder.kind === kind && jobId !== null && holder.jobId === jobId, holder };
    }
  }

  static stateId(runId: string, userId: string): string {
    return `${runId}:${userId}`;
  }

  getState(tenantId: string, runId: string, userId: string): Promise<MailboxStateDocument | null> {
    return findByKey(this.states, EngineResultsStore.stateId(runId, userId), tenantId);
  }

  static contributionId(runId: string, index: number, shard: number): string {
    return `${runId}:${index}:${shard}`;
  }

  /** Removes what this mailbox job wrote for the run (cancelled while it was being read). */
  async clearMailbox(tenantId: string, runId: string, userId: string, index: number, shards: number): Promise<void> {
    for (let shard = 0; shard < shards; shard++) await this.contributions.deleteOne({ _id: EngineResultsStore.contributionId(runId, index, shard) });
    await this.states.deleteOne({ _id: EngineResultsStore.stateId(runId, userId) });
  }

  /**
   * Writes a mailbox's partials by key (never adds): replacing by key makes a retried job (or a
   * second copy of it) overwrite what the first wrote. The state is written last: its presence
   * says the mailbox's contributions are complete.
   */
  async writeMailbox(state: MailboxStateDocument, contributions: ContributionDocument[]): Promise<void> {
    for (const c of contributions) await replaceByKey(this.contributions, c);
    await replaceByKey(this.states, state);
  }

  getContribution(tenantId: string, runId: string, index: number, shard: number): Promise<ContributionDocument | null> {
    return findByKey(this.contributions, EngineResultsStore.contributionId(runId, index, shard), tenantId);
  }

  async insertUsers(users: UserEntityDocument[]): Promise<void> {
    for (let i = 0; i < users.length; i += BATCH) await this.users.insertMany(users.slice(i, i + BATCH), { ordered: false });
  }

  /** A run's published output: its snapshot (by key) and its user entity. */
  async clearRunOutput(tenantId: string, runId: string): Promise<void> {
    await this.snapshots.delete(tenantId, runId);
    await deleteInChunks(this.users, { tenantId, runId });
  }

  /** Everything a run wrote (cancel, failure): its base and the current result are untouched. */
  async clearRun(tenantId: string, runId: string): Promise<void> {
    await deleteInChunks(this.items, { tenantId, runId });
    await this.leases.deleteMany({ tenantId, _id: { $regex: `^${runId}:` } });
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

  /**
   * After a flip: snapshots of runs the pointer no longer keeps (and of runs that never
   * published) go, as do older runs' user entities, states and every partial.
   */
  async deleteOlderThan(tenantId: string, enrichmentId: string, currentRunId: string): Promise<void> {
    const other = { tenantId, enrichmentId, runId: { $ne: currentRunId } };
    const pointer = await this.getPointer(tenantId, enrichmentId);
    const keep = new Set((pointer?.kept ?? []).map((k) => k.runId).concat(currentRunId));
    await this.snapshots.prune(tenantId, enrichmentId, keep);
    await deleteInChunks(this.users, other);
    await deleteInChunks(this.states, other);
    await deleteInChunks(this.contributions, { tenantId, enrichmentId });
    await deleteInChunks(this.items, { tenantId, enrichmentId });
    await this.leases.deleteMany({ tenantId, enrichmentId });
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
