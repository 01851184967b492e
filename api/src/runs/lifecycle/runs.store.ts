import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { findByKey, replaceByKey } from '../../platform/db/by-key';
import { deleteByKeys } from '../../platform/db/delete-by-keys';
import { claimOnce } from '../../platform/db/claim-once';
import { updateIf } from '../../platform/db/update-if';
import type { CollectionSpec } from '../../platform/db/collection-spec';
import { HALF_LIFE_DAYS } from '../../enrichments/enrichment-rules';
import type { RunInputs } from '../domain/run-inputs';

export type { RunInputs };

/**
 * Enrichment runs: one document per run (state, counters, per-mailbox errors, summary), its
 * frozen inputs, and the schedule per enrichment. A run's state is written by the run lifecycle
 * only; its lock, claims, leases and work items are the coordination store's.
 *
 * FerretDB applies a conditional update as read-modify-write, so two concurrent updates of one
 * document can lose each other. Hence no shared counters on the run: each mailbox work item
 * writes its own document, and live counters are summed from them.
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

/**
 * The dry-run estimate a run was queued with, frozen then (the estimate feature's figures for
 * exactly the mailboxes the enrichment selected at that moment): what the run's summary compares
 * with what the run read and took. Figures only, like the estimate itself.
 */
export interface EstimateAtStart {
  /** The enrichment's own estimate, or the one the wizard made of the same selection before the enrichment existed. */
  source: 'enrichment' | 'draft';
  /** The instant the counts are for (a whole hour). */
  asOf: Date;
  /** When the counting finished. */
  countedAt: Date;
  mailboxes: number;
  mailboxesFailed: number;
  messages: number;
  events: number;
  firstRunSeconds: number;
  refreshSeconds: number;
  /** The mailbox concurrency the durations assume. */
  concurrency: number;
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
  /** A retry of the failed mailboxes of this published run, at its as-of (mailbox-health); absent otherwise. */
  retryOf?: string | null;
  /** How many shards the run's accounts are split into for the merge (frozen at start). */
  shards?: number;
  fingerprint: string | null;
  state: RunState;
  phase: RunPhase;
  /** Live counters come from the run's work items while it is active; frozen here when it ends. */
  counters: RunCounters;
  errors: MailboxError[];
  summary: RunSummary | null;
  /** The estimate at the time the run was queued (absent on older runs and when there was none). */
  estimate?: EstimateAtStart | null;
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
export const schedulesCollection: CollectionSpec = {
  name: 'enrichment_schedules',
  indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};

export const runInputsCollection: CollectionSpec = {
  name: 'enrichment_run_inputs',
  indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};

export const RUN_STATE_COLLECTIONS: CollectionSpec[] = [runsCollection, schedulesCollection, runInputsCollection];

/** One schedule per enrichment. */
export const scheduleKey = (tenantId: string, enrichmentId: string) => `${tenantId}:${enrichmentId}`;

export function emptyCounters(total = 0): RunCounters {
  return { mailboxesTotal: total, mailboxesDone: 0, mailboxesFailed: 0, mailboxesPending: total, messagesRead: 0, eventsRead: 0, mailboxesFullRead: 0, mailboxesCalendarFullRead: 0 };
}

export class RunsStore {
  readonly runs: Collection<RunDocument>;
  readonly schedules: Collection<ScheduleDocument>;
  readonly inputs: Collection<RunInputsDocument>;

  constructor(private readonly db: Db) {
    this.inputs = db.collection<RunInputsDocument>(runInputsCollection.name);
    this.runs = db.collection<RunDocument>(runsCollection.name);
    this.schedules = db.collection<ScheduleDocument>(schedulesCollection.name);
  }

  static newRunId(): string {
    return `run_${randomUUID().replace(/-/g, '')}`;
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

  /** Superseded runs' inputs, by key (run ids are unique across tenants). */
  async deleteInputs(runIds: string[]): Promise<void> {
    await deleteByKeys(this.inputs, runIds);
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

  /**
   * Conditional state change; returns the document after it, or null when `from` did not hold.
   * Only the run lifecycle (`run-lifecycle.ts`) calls it: it is the one writer of a run's state.
   */
  transition(tenantId: string, runId: string, from: RunState[], set: Partial<RunDocument>): Promise<RunDocument | null> {
    return updateIf(this.db, this.runs, { _id: runId, tenantId }, { state: { $in: from } }, { ...set, updatedAt: new Date() });
  }

  getSchedule(tenantId: string, enrichmentId: string): Promise<ScheduleDocument | null> {
    return this.schedules.findOne({ _id: scheduleKey(tenantId, enrichmentId), tenantId });
  }

  /** Inserts the schedule only if none exists (the first one wins when several processes race). */
  async insertScheduleIfMissing(doc: ScheduleDocument): Promise<{ doc: ScheduleDocument; inserted: boolean }> {
    if (await claimOnce(this.schedules, doc)) return { doc, inserted: true };
    return { doc: (await this.schedules.findOne({ _id: doc._id, tenantId: doc.tenantId }))!, inserted: false };
  }

  updateSchedule(tenantId: string, enrichmentId: string, set: Partial<ScheduleDocument>): Promise<ScheduleDocument | null> {
    return updateIf(this.db, this.schedules, { _id: scheduleKey(tenantId, enrichmentId), tenantId }, {}, set);
  }
}
