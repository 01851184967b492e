import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { findByKey, replaceByKey } from '../../platform/db/by-key';
import type { CollectionSpec } from '../../platform/db/collection-spec';
import { HALF_LIFE_DAYS } from '../domain/engagement-score';

/**
 * Enrichment runs: one document per run (state, counters, per-mailbox errors, summary), a lock
 * document per enrichment while a run is active, and the schedule per enrichment.
 *
 * FerretDB applies a conditional update as read-modify-write, so two concurrent updates of one
 * document can lose each other. Hence no shared counters: each mailbox work item writes its own
 * document (engine_work_items), live counters are summed from them, and every exactly-once
 * decision (finalize, cancel, fail) is the insert of a document with a unique key (a claim).
 */

export type RunState = 'queued' | 'running' | 'merging' | 'completed' | 'failed' | 'cancelled';
export type RunPhase = 'queued' | 'preparing' | 'reading' | 'merging' | 'publishing' | 'done';
export type RunTrigger = 'manual' | 'schedule';
export type RunMode = 'full' | 'refresh';

export const ACTIVE_RUN_STATES: RunState[] = ['queued', 'running', 'merging'];

export interface MailboxError {
  /** The mailbox's directory object id; never its address. */
  userId: string;
  reason: string;
  at: Date;
}

export interface RunCounters {
  mailboxesTotal: number;
  mailboxesDone: number;
  mailboxesFailed: number;
  mailboxesPending: number;
  messagesRead: number;
  eventsRead: number;
  /** Mailboxes that fell back to a full read in a refresh (no usable state from the base run). */
  mailboxesFullRead: number;
  /** Mailboxes whose calendar a refresh read in full (see CalendarFullRead); absent on older runs. */
  mailboxesCalendarFullRead?: number;
}

export interface RunSummary {
  accountsEnriched: number;
  emailsProcessed: number;
  meetingsProcessed: number;
  daysCovered: number;
  durationMs: number;
}

/** What the run computes from: frozen at start so every work item of the run sees the same inputs. */
export interface RunInputs {
  entityName: string;
  /** S, sorted by userId: the index of a mailbox here is its `self` in the domain. */
  mailboxes: Array<{ userId: string; mail: string }>;
  datasetId: string;
  datasetVersion: number;
  accountsVersionId: string;
  contactsVersionId: string;
  mapping: { emailField: string; accountIdField: string };
  exclusions: { addresses: string[]; domains: string[] };
  matchAccountDomains: boolean;
  organisationDomains: string[];
  /** The engagement score's half-life H in days: email buckets carried to a refresh depend on it. */
  halfLifeDays: number;
}

export interface RunDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  trigger: RunTrigger;
  requestedBy: string | null;
  /** Whole UTC hour: the window is (asOf − 365 d, asOf]. */
  asOf: Date;
  mode: RunMode;
  baseRunId: string | null;
  /** How many shards the run's accounts are split into for the merge (frozen at start). */
  shards?: number;
  fingerprint: string | null;
  state: RunState;
  phase: RunPhase;
  /** Live counters come from the run's work items while it is active; frozen here when it ends. */
  counters: RunCounters;
  errors: MailboxError[];
  summary: RunSummary | null;
  failureReason: string | null;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  updatedAt: Date;
}

/**
 * A run's frozen inputs, apart from the run: they hold every selected mailbox (thousands), and
 * the run document is read at every step of every mailbox job and listed in the run history,
 * none of which needs them. Written once before the run starts reading; never changed.
 */
export interface RunInputsDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  inputs: RunInputs;
}

export interface RunLockDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  runId: string;
  at: Date;
}

export interface ScheduleDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  enabled: boolean;
  intervalHours: number;
  /** Consent time + 6 h: when the first scheduled run was planned. */
  firstRunAt: Date;
  updatedAt: Date;
  updatedBy: string | null;
}

export const runsCollection: CollectionSpec = {
  name: 'enrichment_runs',
  indexes: [
    { name: 'tenant_enrichment_created', key: { tenantId: 1, enrichmentId: 1, createdAt: -1 } },
    { name: 'tenant_enrichment_state', key: { tenantId: 1, enrichmentId: 1, state: 1 } },
  ],
};
export const runLocksCollection: CollectionSpec = {
  name: 'enrichment_run_locks',
  // _id = tenant:enrichment is the unique key: a second insert for the same enrichment fails.
  indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};
export const schedulesCollection: CollectionSpec = {
  name: 'enrichment_schedules',
  indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};

export const runInputsCollection: CollectionSpec = {
  name: 'enrichment_run_inputs',
  indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};

export const RUNS_COLLECTIONS: CollectionSpec[] = [runsCollection, runLocksCollection, schedulesCollection, runInputsCollection];

export const lockKey = (tenantId: string, enrichmentId: string) => `${tenantId}:${enrichmentId}`;

export function emptyCounters(total = 0): RunCounters {
  return { mailboxesTotal: total, mailboxesDone: 0, mailboxesFailed: 0, mailboxesPending: total, messagesRead: 0, eventsRead: 0, mailboxesFullRead: 0, mailboxesCalendarFullRead: 0 };
}

export class RunsStore {
  readonly runs: Collection<RunDocument>;
  readonly locks: Collection<RunLockDocument>;
  readonly schedules: Collection<ScheduleDocument>;
  readonly inputs: Collection<RunInputsDocument>;

  constructor(db: Db) {
    this.inputs = db.collection<RunInputsDocument>(runInputsCollection.name);
    this.runs = db.collection<RunDocument>(runsCollection.name);
    this.locks = db.collection<RunLockDocument>(runLocksCollection.name);
    this.schedules = db.collection<ScheduleDocument>(schedulesCollection.name);
  }

  static newRunId(): string {
    return `run_${randomUUID().replace(/-/g, '')}`;
  }

  /** true when the lock was taken; false when another run of the enrichment holds it. */
  async tryLock(tenantId: string, enrichmentId: string, runId: string, at: Date): Promise<boolean> {
    try {
      await this.locks.insertOne({ _id: lockKey(tenantId, enrichmentId), tenantId, enrichmentId, runId, at });
      return true;
    } catch (e) {
      if ((e as { code?: number }).code === 11000) return false;
      throw e;
    }
  }

  getLock(tenantId: string, enrichmentId: string): Promise<RunLockDocument | null> {
    return this.locks.findOne({ _id: lockKey(tenantId, enrichmentId), tenantId });
  }

  /** Releases the lock only when this run holds it. */
  async unlock(tenantId: string, enrichmentId: string, runId: string): Promise<void> {
    await this.locks.deleteOne({ _id: lockKey(tenantId, enrichmentId), tenantId, runId });
  }

  async insert(run: RunDocument): Promise<void> {
    await this.runs.insertOne(run);
  }

  /**
   * By key alone, tenant checked after: workers read the run at every step, and a key-only
   * filter is the one FerretDB answers without decoding every run (each carries its inputs).
   */
  get(tenantId: string, runId: string): Promise<RunDocument | null> {
    return findByKey(this.runs, runId, tenantId);
  }

  list(tenantId: string, enrichmentId: string, limit = 50): Promise<RunDocument[]> {
    return this.runs.find({ tenantId, enrichmentId }).sort({ createdAt: -1 }).limit(limit).toArray();
  }

  /** Idempotent: a start job retried after a crash writes the same inputs again. */
  async putInputs(tenantId: string, enrichmentId: string, runId: string, inputs: RunInputs): Promise<void> {
    await replaceByKey(this.inputs, { _id: runId, tenantId, enrichmentId, inputs });
  }

  async getInputs(tenantId: string, runId: string): Promise<RunInputs | null> {
    const inputs = (await findByKey(this.inputs, runId, tenantId))?.inputs;
    // Inputs frozen before the half-life existed scored with the default.
    return inputs ? { ...inputs, halfLifeDays: inputs.halfLifeDays ?? HALF_LIFE_DAYS.default } : null;
  }

  /** The latest completed run: the base of a refresh. */
  lastCompleted(tenantId: string, enrichmentId: string): Promise<RunDocument | null> {
    return this.runs.find({ tenantId, enrichmentId, state: 'completed' }).sort({ createdAt: -1 }).limit(1).next();
  }

  /** Conditional state change; returns the document after it, or null when `from` did not hold. */
  transition(tenantId: string, runId: string, from: RunState[], set: Partial<RunDocument>): Promise<RunDocument | null> {
    return this.runs.findOneAndUpdate(
      { _id: runId, tenantId, state: { $in: from } },
      { $set: { ...set, updatedAt: new Date() } },
      { returnDocument: 'after' },
    );
  }

  getSchedule(tenantId: string, enrichmentId: string): Promise<ScheduleDocument | null> {
    return this.schedules.findOne({ _id: lockKey(tenantId, enrichmentId), tenantId });
  }

  /** Inserts the schedule only if none exists (the first one wins when several processes race). */
  async insertScheduleIfMissing(doc: ScheduleDocument): Promise<{ doc: ScheduleDocument; inserted: boolean }> {
    try {
      await this.schedules.insertOne(doc);
      return { doc, inserted: true };
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
      return { doc: (await this.schedules.findOne({ _id: doc._id, tenantId: doc.tenantId }))!, inserted: false };
    }
  }

  updateSchedule(tenantId: string, enrichmentId: string, set: Partial<ScheduleDocument>): Promise<ScheduleDocument | null> {
    return this.schedules.findOneAndUpdate({ _id: lockKey(tenantId, enrichmentId), tenantId }, { $set: set }, { returnDocument: 'after' });
  }
}
