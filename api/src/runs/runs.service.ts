import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { floorToHour, isWholeHour } from './domain/run-fingerprint';
import { EnrichmentsStore, type EnrichmentDocument } from '../enrichments/enrichments.store';
import { AppError } from '../platform/errors/app-error';
import { CoordinationStore, countersOf, lockKey } from './coordination/coordination.store';
import { mergeRunProgress } from './coordination/run-progress';
import type { JobQueue } from './jobs/job-queue';
import { discardRun } from './jobs/run-ending';
import { isActive, RunLifecycle } from './lifecycle/run-lifecycle';
import { EngineResultsStore } from './output/run-output.store';
import { emptyCounters, RunsStore, scheduleKey, type EstimateAtStart, type RunDocument, type RunMode, type RunTrigger, type ScheduleDocument } from './lifecycle/runs.store';

export const FIRST_RUN_DELAY_MS = 6 * 3_600_000;
export const DEFAULT_INTERVAL_HOURS = 168;

export interface RunsServiceDeps {
  db: Db;
  jobs: JobQueue;
  logger: Logger;
  /** The clock runs' as-of follows (tests and the simulator: the simulated tenant's clock). */
  now?: () => Date;
  /** Non-production only: a run request may name its as-of (the simulator's clock is not ours). */
  allowExplicitAsOf: boolean;
  /**
   * The finished dry-run estimate of exactly the enrichment's current mailboxes, frozen into the
   * run it queues (the composition root passes the estimate feature's; absent: runs carry none).
   */
  estimateAtStart?: (e: EnrichmentDocument) => Promise<EstimateAtStart | null>;
}

export interface StartRunRequest {
  tenantId: string;
  enrichmentId: string;
  trigger: RunTrigger;
  requestedBy: string | null;
  asOf?: Date;
  mode?: RunMode | 'auto';
  /** Retry the failed mailboxes of this published run into its result, at its as-of (mailbox-health). */
  retryOf?: { runId: string; asOf: Date };
}

export interface ScheduleView {
  enabled: boolean;
  intervalHours: number;
  firstRunAt: string | null;
  /** The first scheduled run starts this long after consent is recorded (the tab says so before consent). */
  firstRunDelayHours: number;
  nextRunAt: string | null;
  lastRunAt: string | null;
}

/** Runs as the API and the schedule see them: start (with the overlap lock), cancel, read, schedule. */
export class RunsService {
  readonly store: RunsStore;
  readonly coordination: CoordinationStore;
  readonly results: EngineResultsStore;
  private readonly lifecycle: RunLifecycle;
  private readonly enrichments: EnrichmentsStore;
  private readonly now: () => Date;

  constructor(private readonly deps: RunsServiceDeps) {
    this.store = new RunsStore(deps.db);
    this.coordination = new CoordinationStore(deps.db);
    this.results = new EngineResultsStore(deps.db);
    this.lifecycle = new RunLifecycle({ store: this.store, logger: deps.logger });
    this.enrichments = new EnrichmentsStore(deps.db);
    this.now = deps.now ?? (() => new Date());
  }

  private async requireEnrichment(tenantId: string, enrichmentId: string): Promise<EnrichmentDocument> {
    const e = await this.enrichments.get(tenantId, enrichmentId);
    if (!e) throw new AppError('not-found', 'No enrichment with this id exists in your organisation.');
    return e;
  }

  /**
   * Starts a run: takes the enrichment's lock (a second start while one is active is refused
   * with 409, never queued: the admin sees the active run and can cancel it), records the run
   * and enqueues its start job. The lock is released when the run ends, however it ends.
   */
  async start(req: StartRunRequest): Promise<RunDocument> {
    const e = await this.requireEnrichment(req.tenantId, req.enrichmentId);
    if (e.consent.state !== 'consented') {
      throw new AppError('consent-required', 'A run needs the organisation\'s admin consent first: a Global Administrator must approve the consent request of this enrichment.');
    }
    if (e.paused) throw new AppError('conflict', 'The enrichment is paused; resume it before running it.');
    const now = this.now();
    let asOf: number;
    if (req.retryOf) asOf = req.retryOf.asOf.getTime();
    else if (req.asOf) {
      if (!this.deps.allowExplicitAsOf) throw new AppError('validation', 'asOf can only be chosen in development and test configurations.', { fields: [{ path: 'body.asOf', message: 'not allowed in production' }] });
      if (!isWholeHour(req.asOf.getTime())) throw new AppError('validation', 'asOf must be a whole UTC hour (minutes, seconds and milliseconds zero).', { fields: [{ path: 'body.asOf', message: 'not a whole hour' }] });
      if (req.asOf.getTime() > now.getTime()) throw new AppError('validation', 'asOf must not be in the future.', { fields: [{ path: 'body.asOf', message: 'in the future' }] });
      asOf = req.asOf.getTime();
    } else asOf = floorToHour(now.getTime());

    const runId = RunsStore.newRunId();
    if (!(await this.takeLock(req.tenantId, req.enrichmentId, runId))) {
      const lock = await this.coordination.getLock(req.tenantId, req.enrichmentId);
      throw new AppError('conflict', `A run of this enrichment is already in progress (run ${lock?.runId ?? 'unknown'}); wait for it to finish or cancel it first.`);
    }
    const estimate = await this.estimateAtStart(e);
    const at = new Date();
    const run: RunDocument = {
      _id: runId,
      tenantId: req.tenantId,
      enrichmentId: req.enrichmentId,
      trigger: req.trigger,
      requestedBy: req.requestedBy,
      asOf: new Date(asOf),
      mode: req.mode === 'full' ? 'full' : 'refresh',
      baseRunId: null,
      ...(req.retryOf ? { retryOf: req.retryOf.runId } : {}),
      fingerprint: null,
      state: 'queued',
      phase: 'queued',
      counters: emptyCounters(),
      errors: [],
      summary: null,
      estimate,
      failureReason: null,
      createdAt: at,
      startedAt: null,
      endedAt: null,
      updatedAt: at,
    };
    try {
      await this.lifecycle.queue(run);
      await this.deps.jobs.enqueueStart({ tenantId: req.tenantId, enrichmentId: req.enrichmentId, runId });
    } catch (err) {
      await this.coordination.unlock(req.tenantId, req.enrichmentId, runId);
      await this.lifecycle.withdraw(run);
      throw err;
    }
    this.deps.logger.info({ runId, enrichmentId: req.enrichmentId, trigger: req.trigger }, 'run queued');
    return run;
  }

  /** Best effort: a run never waits on, or fails for, the estimate it will be compared with. */
  private async estimateAtStart(e: EnrichmentDocument): Promise<EstimateAtStart | null> {
    try {
      return (await this.deps.estimateAtStart?.(e)) ?? null;
    } catch (err) {
      this.deps.logger.warn({ enrichmentId: e._id, err: err instanceof Error ? err.message.slice(0, 200) : String(err) }, 'run queued without its estimate');
      return null;
    }
  }

  /** The lock, with recovery of a lock left by a run that ended without releasing it (a crash). */
  private async takeLock(tenantId: string, enrichmentId: string, runId: string): Promise<boolean> {
    const { coordination } = this;
    if (await coordination.tryLock(tenantId, enrichmentId, runId, new Date())) return true;
    const lock = await coordination.getLock(tenantId, enrichmentId);
    if (!lock) return coordination.tryLock(tenantId, enrichmentId, runId, new Date());
    const holder = await this.store.get(tenantId, lock.runId);
    if (holder && isActive(holder)) return false;
    await coordination.locks.deleteOne({ _id: lockKey(tenantId, enrichmentId), runId: lock.runId });
    return coordination.tryLock(tenantId, enrichmentId, runId, new Date());
  }

  /**
   * Cancels a queued or running run: what it had finished is discarded and the previous result
   * stays. A run that is already publishing (merging) cannot be cancelled any more.
   */
  async cancel(tenantId: string, enrichmentId: string, runId: string, by: string): Promise<RunDocument> {
    const run = await this.get(tenantId, enrichmentId, runId);
    if (!['queued', 'running', 'merging'].includes(run.state)) throw new AppError('conflict', `The run has already ended (${run.state}); there is nothing to cancel.`);
    const claim = await this.coordination.claim(tenantId, enrichmentId, runId, 'cancel', null);
    if (!claim.won) {
      if (claim.holder?.kind === 'finalize') throw new AppError('conflict', 'The run is already merging and publishing its result; it can no longer be cancelled.');
      throw new AppError('conflict', 'The run is already ending (cancelled or failed); there is nothing to cancel.');
    }
    const live = await this.get(tenantId, enrichmentId, runId);
    const cancelled = await this.lifecycle.cancel(live, { counters: live.counters, errors: live.errors });
    await this.deps.jobs.removeRunJobs(runId);
    await discardRun({ coordination: this.coordination, output: this.results }, live);
    await this.coordination.unlock(tenantId, enrichmentId, runId);
    this.deps.logger.info({ runId, by }, 'run cancelled');
    return cancelled ?? (await this.get(tenantId, enrichmentId, runId));
  }

  /** A run with live counters while it is active (summed from its worker processes' progress). */
  async get(tenantId: string, enrichmentId: string, runId: string): Promise<RunDocument> {
    const run = await this.store.get(tenantId, runId);
    if (!run || run.enrichmentId !== enrichmentId) throw new AppError('not-found', 'No run with this id exists for this enrichment.');
    return this.withLiveCounters(run);
  }

  private async withLiveCounters(run: RunDocument): Promise<RunDocument> {
    if (run.state !== 'running' && run.state !== 'merging') return run;
    // A few small documents per run (one per worker process), where summing the work items
    // would make FerretDB decode every work item on each poll.
    const s = mergeRunProgress(await this.coordination.runProgress(run.tenantId, run._id));
    const total = run.counters.mailboxesTotal;
    return {
      ...run,
      counters: countersOf(total, s),
      errors: s.errors,
    };
  }

  async list(tenantId: string, enrichmentId: string): Promise<RunDocument[]> {
    await this.requireEnrichment(tenantId, enrichmentId);
    return Promise.all((await this.store.list(tenantId, enrichmentId)).map((r) => this.withLiveCounters(r)));
  }

  // ---- schedule ----------------------------------------------------------------------------

  /** The schedule a consented enrichment gets: the first run six hours after consent was recorded, then weekly. */
  private plannedSchedule(e: EnrichmentDocument): ScheduleDocument | null {
    if (e.consent.state !== 'consented') return null;
    const decided = e.consent.decidedAt ?? e.updatedAt;
    return {
      _id: scheduleKey(e.tenantId, e._id),
      tenantId: e.tenantId,
      enrichmentId: e._id,
      enabled: true,
      intervalHours: DEFAULT_INTERVAL_HOURS,
      firstRunAt: new Date(decided.getTime() + FIRST_RUN_DELAY_MS),
      updatedAt: decided,
      updatedBy: null,
    };
  }

  /**
   * Makes sure a consented enrichment has its stored schedule and queued job. Idempotent; called
   * by the worker's sweep (background) and by an admin's schedule change, never by a read.
   */
  async ensureSchedule(e: EnrichmentDocument): Promise<ScheduleDocument | null> {
    const existing = await this.store.getSchedule(e.tenantId, e._id);
    const planned = this.plannedSchedule(e);
    if (existing || !planned) return existing;
    const doc = { ...planned, updatedAt: new Date() };
    const stored = await this.store.insertScheduleIfMissing(doc);
    if (stored.inserted) await this.deps.jobs.setSchedule({ tenantId: e.tenantId, enrichmentId: e._id }, doc.firstRunAt, doc.intervalHours * 3_600_000);
    return stored.doc;
  }

  /** Every consented enrichment of every tenant gets its schedule (the worker runs this periodically). */
  async sweepSchedules(): Promise<number> {
    let created = 0;
    for await (const e of this.enrichments.collection.find({ 'consent.state': 'consented' })) {
      const had = await this.store.getSchedule(e.tenantId, e._id);
      if (!had && (await this.ensureSchedule(e))) created++;
    }
    return created;
  }

  /** The schedule as stored, or as planned until the worker's sweep stores it: reading never writes. */
  async schedule(tenantId: string, enrichmentId: string): Promise<ScheduleView> {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    const stored = await this.store.getSchedule(tenantId, enrichmentId);
    if (stored) return this.view(tenantId, enrichmentId, stored);
    const planned = this.plannedSchedule(e);
    return { ...(await this.view(tenantId, enrichmentId, planned)), nextRunAt: planned?.firstRunAt.toISOString() ?? null };
  }

  async setSchedule(tenantId: string, enrichmentId: string, input: { enabled: boolean; intervalHours?: number }, by: string): Promise<ScheduleView> {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    if (e.consent.state !== 'consented') throw new AppError('consent-required', 'The schedule starts once admin consent is recorded; approve the consent request first.');
    const doc = (await this.ensureSchedule(e))!;
    const intervalHours = input.intervalHours ?? doc.intervalHours;
    const updated = (await this.store.updateSchedule(tenantId, enrichmentId, { enabled: input.enabled, intervalHours, updatedAt: new Date(), updatedBy: by }))!;
    const key = { tenantId, enrichmentId };
    if (!input.enabled) await this.deps.jobs.removeSchedule(key);
    else {
      const job = await this.deps.jobs.scheduleJob(key);
      // The next run: one interval after the last scheduled run, or the first planned run if none happened yet.
      const now = this.now().getTime();
      const base = job?.lastRunAt ? job.lastRunAt.getTime() + intervalHours * 3_600_000 : doc.firstRunAt.getTime();
      await this.deps.jobs.setSchedule(key, new Date(Math.max(base, now)), intervalHours * 3_600_000);
    }
    return this.view(tenantId, enrichmentId, updated);
  }

  private async view(tenantId: string, enrichmentId: string, doc: ScheduleDocument | null): Promise<ScheduleView> {
    const job = doc?.enabled ? await this.deps.jobs.scheduleJob({ tenantId, enrichmentId }) : null;
    return {
      enabled: doc?.enabled ?? false,
      intervalHours: doc?.intervalHours ?? DEFAULT_INTERVAL_HOURS,
      firstRunAt: doc?.firstRunAt.toISOString() ?? null,
      firstRunDelayHours: FIRST_RUN_DELAY_MS / 3_600_000,
      nextRunAt: job?.nextRunAt?.toISOString() ?? null,
      lastRunAt: job?.lastRunAt?.toISOString() ?? null,
    };
  }
}
