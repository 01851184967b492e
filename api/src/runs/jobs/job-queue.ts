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

/** Mailbox jobs queued at once per run (any number of workers share them). */
export const MAILBOX_WINDOW = 64;

export interface RunJobData {
  tenantId: string;
  enrichmentId: string;
  runId: string;
}
export interface MailboxJobData extends RunJobData {
  index: number;
  /** The run's queue window: job `index` enqueues `index + window` (carried so every worker agrees). */
  window?: number;
}
export interface ScheduleJobData {
  tenantId: string;
  enrichmentId: string;
}

export interface JobQueueOptions {
  processEveryMs: number;
  lockLifetimeMs: number;
  /** Mailbox jobs queued at once per run (default MAILBOX_WINDOW; tests make it small). */
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
   * One job per (run, mailbox); enqueuing twice is harmless (insert-only on the unique key).
   * Only the first window is enqueued here: each mailbox job enqueues the one a window after it
   * (`enqueueMailboxSuccessor`). Locking the next job is a query over the queue, which a
   * database without an index on it (FerretDB) answers by reading every queued job, so a queue
   * of thousands would make every lock slow.
   */
  async enqueueMailboxes(data: RunJobData, count: number): Promise<void> {
    const window = Math.max(1, this.options.mailboxWindow ?? MAILBOX_WINDOW);
    const run = { tenantId: data.tenantId, enrichmentId: data.enrichmentId, runId: data.runId };
    for (let index = 0; index < Math.min(count, window); index++) await this.enqueueMailbox({ ...run, index, window });
  }

  /** Called by mailbox job `index` when it starts: keeps the window full. */
  async enqueueMailboxSuccessor(data: MailboxJobData, count: number): Promise<void> {
    const window = data.window ?? MAILBOX_WINDOW;
    const next = data.index + window;
    if (next < count) await this.enqueueMailbox({ tenantId: data.tenantId, enrichmentId: data.enrichmentId, runId: data.runId, index: next, window });
  }

  private async enqueueMailbox(data: MailboxJobData): Promise<void> {
    const a = await this.ready();
    await a.create(JOB.mailbox, data).unique({ 'data.runId': data.runId, 'data.index': data.index }, { insertOnly: true }).schedule(new Date()).save();
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
