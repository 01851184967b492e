import type { Collection, Db } from 'mongodb';
import type { CollectionSpec } from '../../platform/db/collection-spec';
import { findByKey, replaceByKey, writeOnceByKey } from '../../platform/db/by-key';
import { claimOnce } from '../../platform/db/claim-once';
import { updateIf } from '../../platform/db/update-if';
import { deleteInChunks } from '../../platform/db/delete-in-chunks';
import type { CalendarFullRead } from '../output/run-output.store';
import type { RunCounters } from '../lifecycle/runs.store';
import type { ItemStats, RunProgressDocument } from './run-progress';

export type { ItemStats } from './run-progress';

/**
 * Who does what, between the processes of a run: the enrichment's run lock, the claim that
 * decides who ends a run, leases on pieces of work, and the run's work items (one per mailbox).
 *
 * FerretDB applies a conditional update as read-modify-write and agenda's own locking is one,
 * so every exactly-once decision here is a `claimOnce` (platform/db/claim-once.ts): the lock
 * (one active run per enrichment), the claim (exactly one of finalize, cancel, fail ends a run)
 * and the lease (one worker works a piece). Nothing is counted in a shared document: each
 * mailbox's work item is its own, and a run's counters are summed from them when it ends. While
 * it runs, each worker process writes what it read as one progress document (run-progress.ts),
 * and the live counters are summed from those few documents.
 */

export interface RunLockDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  runId: string;
  at: Date;
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
  /** Mailbox health (admin only, never counts): retried pages, pages Graph throttled, whole-mailbox attempts. */
  health?: MailboxReadHealth;
  /** Shards this mailbox wrote contributions for (set when done): what finalize reads. */
  shards?: number[];
  /** Names the partials written with this outcome (set when done): a process's own copy of them stands for the stored ones only when it names the same (local-partials.ts). */
  partialsId?: string;
  updatedAt: Date;
}

/** How a mailbox's read went, for the mailbox health page: no message or meeting figure. */
export interface MailboxReadHealth {
  retries: number;
  throttled: number;
  attempts: number;
  /** A retry run carried this mailbox from the published run without reading it. */
  carried?: boolean;
  /** Set when it failed: what kind of failure (see mailbox-health). */
  failureKind?: string;
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

export const runLocksCollection: CollectionSpec = {
  name: 'enrichment_run_locks',
  // _id = tenant:enrichment is the unique key: a second insert for the same enrichment fails.
  indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};
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

/** One document per worker process and run: what that process read of the run (run-progress.ts). */
export const runProgressCollection: CollectionSpec = {
  name: 'engine_run_progress',
  indexes: [{ name: 'tenant_run', key: { tenantId: 1, runId: 1 } }, { name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};

export const COORDINATION_COLLECTIONS: CollectionSpec[] = [runLocksCollection, workItemsCollection, runClaimsCollection, leasesCollection, runProgressCollection];

export const lockKey = (tenantId: string, enrichmentId: string) => `${tenantId}:${enrichmentId}`;

export class CoordinationStore {
  readonly locks: Collection<RunLockDocument>;
  readonly items: Collection<WorkItemDocument>;
  readonly claims: Collection<RunClaimDocument>;
  readonly leases: Collection<LeaseDocument>;
  readonly progress: Collection<RunProgressDocument>;

  /**
   * `itemFinished`: told of every finished work item this store writes (a worker process's run
   * progress counts them), so that whichever job writes a mailbox's outcome, its process's
   * progress knows.
   */
  constructor(
    private readonly db: Db,
    private readonly hooks: { itemFinished?: (item: Omit<WorkItemDocument, '_id' | 'updatedAt'> & { state: 'done' | 'failed' }) => void } = {},
  ) {
    this.locks = db.collection<RunLockDocument>(runLocksCollection.name);
    this.items = db.collection<WorkItemDocument>(workItemsCollection.name);
    this.claims = db.collection<RunClaimDocument>(runClaimsCollection.name);
    this.leases = db.collection<LeaseDocument>(leasesCollection.name);
    this.progress = db.collection<RunProgressDocument>(runProgressCollection.name);
  }

  // ---- the enrichment's run lock -------------------------------------------------------------

  /** true when the lock was taken; false when another run of the enrichment holds it. */
  async tryLock(tenantId: string, enrichmentId: string, runId: string, at: Date): Promise<boolean> {
    return claimOnce(this.locks, { _id: lockKey(tenantId, enrichmentId), tenantId, enrichmentId, runId, at });
  }

  getLock(tenantId: string, enrichmentId: string): Promise<RunLockDocument | null> {
    return this.locks.findOne({ _id: lockKey(tenantId, enrichmentId), tenantId });
  }

  /** Releases the lock only when this run holds it. */
  async unlock(tenantId: string, enrichmentId: string, runId: string): Promise<void> {
    await this.locks.deleteOne({ _id: lockKey(tenantId, enrichmentId), tenantId, runId });
  }

  // ---- who ends the run ------------------------------------------------------------------------

  getClaim(tenantId: string, runId: string): Promise<RunClaimDocument | null> {
    return findByKey(this.claims, runId, tenantId);
  }

  /** true when this caller holds the run's claim (newly inserted, or already its own). */
  async claim(tenantId: string, enrichmentId: string, runId: string, kind: ClaimKind, jobId: string | null): Promise<{ won: boolean; holder: RunClaimDocument | null }> {
    if (await claimOnce(this.claims, { _id: runId, tenantId, enrichmentId, kind, jobId, at: new Date() })) return { won: true, holder: null };
    const holder = await this.getClaim(tenantId, runId);
    return { won: holder !== null && holder.kind === kind && jobId !== null && holder.jobId === jobId, holder };
  }

  // ---- leases ------------------------------------------------------------------------------------

  /** Takes the lease when free or expired (its holder stopped renewing: died). */
  async acquireLease(tenantId: string, enrichmentId: string, key: string, owner: string, ttlMs: number): Promise<boolean> {
    for (let i = 0; i < 2; i++) {
      if (await claimOnce(this.leases, { _id: key, tenantId, enrichmentId, owner, expiresAt: new Date(Date.now() + ttlMs) })) return true;
      const held = await this.leases.findOne({ _id: key, tenantId });
      if (held && held.expiresAt.getTime() > Date.now()) return false;
      if (held) await this.leases.deleteOne({ _id: key, tenantId, owner: held.owner, expiresAt: held.expiresAt });
    }
    return false;
  }

  /** false when the lease was lost (expired and taken over): the holder must stop. */
  async renewLease(tenantId: string, key: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await updateIf(this.db, this.leases, { _id: key, tenantId }, { owner }, { expiresAt: new Date(Date.now() + ttlMs) })) !== null;
  }

  async releaseLease(tenantId: string, key: string, owner: string): Promise<void> {
    await this.leases.deleteOne({ _id: key, tenantId, owner });
  }

  // ---- work items ------------------------------------------------------------------------------

  getItem(tenantId: string, runId: string, index: number): Promise<WorkItemDocument | null> {
    return findByKey(this.items, `${runId}:${index}`, tenantId);
  }

  /**
   * Writes a mailbox's finished item. Its key is new but for a retried mailbox, so it is written
   * insert first (writeOnceByKey): on FerretDB an upsert of a new key took 0.66 to 0.80 ms of
   * database CPU against 0.50 for an insert, and a third more of the worker's (issue 13,
   * 2,500 to 5,500 work items).
   */
  async putItem(item: Omit<WorkItemDocument, '_id' | 'updatedAt'>): Promise<void> {
    await writeOnceByKey(this.items, { _id: `${item.runId}:${item.index}`, ...item, updatedAt: new Date() });
    if (item.state !== 'reading') this.hooks.itemFinished?.({ ...item, state: item.state });
  }

  /** Every work item of a run (small documents: ids, figures, outcome). */
  runItems(tenantId: string, runId: string): Promise<WorkItemDocument[]> {
    return this.items.find({ tenantId, runId }).toArray();
  }

  /** Live counters and per-mailbox errors of a run, summed from its work items. */
  async itemStats(tenantId: string, runId: string): Promise<ItemStats> {
    return itemStatsOf(await this.runItems(tenantId, runId));
  }

  /** A run's work items, leases and progress (it ended, or a mailbox read after a cancel is taken back). */
  async clearRun(tenantId: string, runId: string): Promise<void> {
    await deleteInChunks(this.items, { tenantId, runId });
    await this.leases.deleteMany({ tenantId, _id: { $regex: `^${runId}:` } });
    await this.progress.deleteMany({ tenantId, runId });
  }

  // ---- run progress (one document per worker process and run) ---------------------------------

  async putProgress(doc: RunProgressDocument): Promise<void> {
    await replaceByKey(this.progress, doc);
  }

  /** A run's progress documents: a few per run (one per worker process that read its mailboxes). */
  runProgress(tenantId: string, runId: string): Promise<RunProgressDocument[]> {
    return this.progress.find({ tenantId, runId }).toArray();
  }
}

/**
 * Whether every work item of a run is finished, by key reads only: a count over the work items
 * is a scan of the whole collection on FerretDB, and every mailbox asks this when it finishes.
 * This process remembers which items it has seen finished (a finished item never goes back), so
 * a check reads from the first item not known finished and stops at the first unfinished one:
 * usually a few reads.
 */
export class FinishedItems {
  private readonly runs = new Map<string, { next: number; done: Set<number> }>();

  constructor(private readonly store: CoordinationStore) {}

  seen(runId: string, index: number): void {
    this.of(runId).done.add(index);
  }

  async all(run: { _id: string; tenantId: string; counters: { mailboxesTotal: number } }): Promise<boolean> {
    const known = this.of(run._id);
    // Several readers of this process ask at once: each walks with its own index (a shared one
    // moved by another reader's walk would skip items), and only what is known moves `next`.
    while (known.done.has(known.next)) known.next++;
    for (let index = known.next; index < run.counters.mailboxesTotal; index++) {
      if (known.done.has(index)) continue;
      const item = await this.store.getItem(run.tenantId, run._id, index);
      if (!item || item.state === 'reading') return false;
      known.done.add(index);
    }
    return true;
  }

  private of(runId: string): { next: number; done: Set<number> } {
    let known = this.runs.get(runId);
    if (!known) {
      known = { next: 0, done: new Set() };
      this.runs.set(runId, known);
      while (this.runs.size > 8) this.runs.delete(this.runs.keys().next().value as string);
    }
    return known;
  }
}
