import { Agenda, type BackoffStrategy, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Db } from 'mongodb';

/**
 * The MongoDB-backed job queue (agenda 6), shared by every API and worker process. The API
 * only enqueues; workers also process. Agenda's lock (`lockedAt` + `lockLifetime`) is the
 * hand-over: a job whose worker died stops being touched, its lock expires, and any other
 * worker takes it.
 */

export const JOB = {
  scheduledRun: 'enrichment.scheduled-run',
  startRun: 'enrichment.run-start',
  mailbox: 'enrichment.run-mailbox',
  finalize: 'enrichment.run-finalize',
  scheduleSweep: 'enrichment.schedule-sweep',
  estimate: 'enrichment.estimate',
} as const;

export const AGENDA_COLLECTION = 'agenda_jobs';

/** Reader jobs per run (any number of workers share them): at least the sum of every worker's concurrency. */
export const MAILBOX_WINDOW = 64;

export interface RunJobData {
  tenantId: string;
  enrichmentId: string;
  runId: string;
}
/**
 * A reader of a run's mailboxes (JOB.mailbox): it reads mailbox after mailbox until none is left
 * (see MailboxCursor). Jobs queued before readers existed carry `index` and `window` instead of
 * `slot`; they are readers all the same.
 */
export interface ReaderJobData extends RunJobData {
  slot?: number;
}
export interface ScheduleJobData {
  tenantId: string;
  enrichmentId: string;
}

export interface JobQueueOptions {
  processEveryMs: number;
  lockLifetimeMs: number;
  /** Reader jobs per run (default MAILBOX_WINDOW; tests make it small). */
  mailboxWindow?: number;
}

export class JobQueue {
  private instance: Agenda | null = null;

  constructor(private readonly db: Db, readonly options: JobQueueOptions) {}

  /** Created on first use, so processes and tests that never touch runs open nothing. */
  get agenda(): Agenda {
    if (!this.instance) {
      this.instance = new Agenda({
        backend: new MongoBackend({ mongo: this.db, collection: AGENDA_COLLECTION }),
        processEvery: this.options.processEveryMs,
        defaultLockLifetime: this.options.lockLifetimeMs,
      });
    }
    return this.instance;
  }

  async ready(): Promise<Agenda> {
    const a = this.agenda;
    await a.ready;
    return a;
  }

  async enqueueStart(data: RunJobData): Promise<void> {
    const a = await this.ready();
    await a.create(JOB.startRun, data).unique({ 'data.runId': data.runId }, { insertOnly: true }).schedule(new Date()).save();
  }

  /**
   * A run's readers: a few jobs, each reading mailbox after mailbox, whatever the number of
   * mailboxes. Locking a job is a query over the queue, which a database without an index on it
   * (FerretDB) answers by reading every queued job, so one job per mailbox made every lock, and
   * the queue's upkeep, cost more as the tenant grew. Enqueuing twice is harmless (insert-only
   * on the unique key).
   */
  async enqueueReaders(data: RunJobData, mailboxes: number): Promise<void> {
    const readers = Math.min(mailboxes, Math.max(1, this.options.mailboxWindow ?? MAILBOX_WINDOW));
    const a = await this.ready();
    for (let slot = 0; slot < readers; slot++) {
      const job: ReaderJobData = { tenantId: data.tenantId, enrichmentId: data.enrichmentId, runId: data.runId, slot };
      await a.create(JOB.mailbox, job).unique({ 'data.runId': data.runId, 'data.slot': slot }, { insertOnly: true }).schedule(new Date()).save();
    }
  }

  /** The dry-run estimate of an enrichment or of a draft selection (one job per request: a refresh supersedes the one before). */
  async enqueueEstimate(data: { tenantId: string; enrichmentId?: string; draftKey?: string; requestId: string }): Promise<void> {
    const a = await this.ready();
    await a.create(JOB.estimate, data).unique({ 'data.requestId': data.requestId }, { insertOnly: true }).schedule(new Date()).save();
  }

  async enqueueFinalize(data: RunJobData): Promise<void> {
    const a = await this.ready();
    await a.create(JOB.finalize, data).unique({ 'data.runId': data.runId }, { insertOnly: true }).schedule(new Date()).save();
  }

  /** Creates or replaces the enrichment's repeating job: next at `nextRunAt`, then every `intervalMs`. */
  async setSchedule(data: ScheduleJobData, nextRunAt: Date, intervalMs: number): Promise<void> {
    const a = await this.ready();
    await this.removeSchedule(data);
    await a.create(JOB.scheduledRun, data).repeatEvery(intervalMs).schedule(nextRunAt).save();
  }

  async removeSchedule(data: ScheduleJobData): Promise<void> {
    // By field, not by whole `data` sub-document: an exact sub-document match depends on key order.
    await this.db.collection(AGENDA_COLLECTION).deleteMany({ name: JOB.scheduledRun, 'data.tenantId': data.tenantId, 'data.enrichmentId': data.enrichmentId });
  }

  async scheduleJob(data: ScheduleJobData): Promise<{ nextRunAt: Date | null; repeatInterval: string | number | null; lastRunAt: Date | null } | null> {
    const doc = await this.db
      .collection<{ name: string; data: ScheduleJobData; nextRunAt?: Date | null; repeatInterval?: string | number | null; lastRunAt?: Date | null }>(AGENDA_COLLECTION)
      .findOne({ name: JOB.scheduledRun, 'data.tenantId': data.tenantId, 'data.enrichmentId': data.enrichmentId });
    return doc ? { nextRunAt: doc.nextRunAt ?? null, repeatInterval: doc.repeatInterval ?? null, lastRunAt: doc.lastRunAt ?? null } : null;
  }

  /** Removes every queued job of a run (cancel: nothing left to do). */
  async removeRunJobs(runId: string): Promise<void> {
    await this.db.collection(AGENDA_COLLECTION).deleteMany({ name: { $in: [JOB.mailbox, JOB.startRun, JOB.finalize] }, 'data.runId': runId, lockedAt: null });
  }

  define<T>(name: string, handler: (job: Job<T>) => Promise<void>, options: { concurrency?: number; lockLimit?: number; lockLifetime?: number; removeOnComplete?: boolean; backoff?: BackoffStrategy } = {}): void {
    this.agenda.define<T>(name, handler, { lockLifetime: this.options.lockLifetimeMs, ...options });
  }

  async start(): Promise<void> {
    const a = await this.ready();
    await a.start();
  }

  async stop(): Promise<void> {
    if (!this.instance) return;
    await this.instance.stop();
  }
}
