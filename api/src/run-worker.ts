import { backoffStrategies, type Job } from 'agenda';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { EnrichmentsStore } from './enrichments/enrichments.store';
import type { AppConfig } from './platform/config/config';
import type { GraphClientFactory } from './platform/graph/graph-client.factory';
import { RunsService } from './runs/runs.service';
import { defineWebhookDelivery, webhookNotifier } from './webhooks/webhook-delivery.job';
import { webhooksServiceFrom } from './webhooks/webhooks.feature';
import { alertsNotifier, defineAlertsDelivery } from './alerts/alerts-delivery.job';
import { alertOptionsFrom, alertsServiceFrom } from './alerts/alerts.feature';
import type { AlertOptions } from './alerts/alerts.service';
import { webhookOptionsFrom, type WebhookOptions } from './webhooks/webhooks.service';
import { EstimateService, estimateModelFor, processEstimate, type EstimateJobData } from './estimate/estimate.service';
import { finalizeRun, giveUpFinalize } from './runs/jobs/finalize-run.job';
import { JOB, type JobQueue, type ReaderJobData, type RunJobData, type ScheduleJobData } from './runs/jobs/job-queue';
import { giveUpReading, readMailboxesJob } from './runs/jobs/mailbox.job';
import { runJobContext, type RunJobContext, type RunJobsOptions } from './runs/jobs/run-jobs';
import type { RunObserver } from './runs/jobs/run-observer';
import { giveUpStart, startRun } from './runs/jobs/start-run.job';
import type { PublishListener } from './runs/lifecycle/run-lifecycle';

export interface WorkerDeps {
  db: Db;
  graph: GraphClientFactory;
  logger: Logger;
  jobs: JobQueue;
  runs: RunsService;
  /** Mailboxes this process reads at once (each with two requests in flight). */
  mailboxConcurrency: number;
  engine?: Partial<RunJobsOptions>;
  /** How often consented enrichments are checked for a missing schedule. */
  sweepEvery?: string | number;
  /** Retries of a run job that throws, before the run gives up on that piece (default RUN_JOB_RETRIES). */
  runJobRetries?: number;
  runJobRetryDelayMs?: number;
  /**
   * Told after each run this process publishes, before it says completed (see PublishListener): a
   * process that also serves HTTP prewarms the new snapshot; alerts attach here.
   */
  publishListeners?: PublishListener[];
  /** Webhooks on publish: each publish enqueues its notifications (a publish listener) and this worker delivers them (off when absent). */
  webhooks?: WebhookOptions;
  /** Account alerts on publish: each publish with alerts on enqueues its alert job, which this worker runs (off when absent). */
  alerts?: AlertOptions & { retryBaseMs?: number };
  /** Told where the time goes (the bench's worker processes); nothing in production. */
  observer?: RunObserver;
}

export const RUN_JOB_RETRIES = 4;

/** What ROLE=worker (and ROLE=all) runs with, from the parsed configuration: `main.ts` and the bench's worker processes share it. */
export function workerDepsFrom(config: AppConfig, deps: { db: Db; graph: GraphClientFactory; jobs: JobQueue; logger: Logger }, publishListeners: PublishListener[] = []): WorkerDeps {
  // Scheduled runs are compared with their estimate too: the same model as the API's, so the same keys.
  const estimates = new EstimateService({ db: deps.db, jobs: deps.jobs, model: estimateModelFor(config.worker.mailboxConcurrency) });
  return {
    db: deps.db,
    graph: deps.graph,
    logger: deps.logger,
    jobs: deps.jobs,
    runs: new RunsService({
      db: deps.db,
      jobs: deps.jobs,
      logger: deps.logger,
      allowExplicitAsOf: config.env !== 'production',
      estimateAtStart: (e) => estimates.settledFor(e),
    }),
    mailboxConcurrency: config.worker.mailboxConcurrency,
    engine: { mailboxesPerShard: config.worker.mailboxesPerShard, snapshotsKept: config.results.snapshotsKept },
    publishListeners,
    webhooks: webhookOptionsFrom(config),
    alerts: alertOptionsFrom(config),
  };
}

export interface RunningWorker {
  /** The run jobs' stores and lifecycle in this process (`lifecycle.onPublished` adds a publish listener). */
  runs: RunJobContext;
  stop(): Promise<void>;
}

/**
 * Keeps the job's lock alive while the handler works, independently of its progress: a page
 * that waits on Retry-After must not let the lock expire and hand the job to a second worker.
 */
async function withHeartbeat(job: Job<unknown>, lockLifetimeMs: number, work: (touch: () => Promise<void>) => Promise<void>): Promise<void> {
  let last = Date.now();
  const touch = async () => {
    if (Date.now() - last < lockLifetimeMs / 4) return;
    last = Date.now();
    await job.touch().catch(() => undefined);
  };
  const timer = setInterval(() => void touch(), Math.max(250, lockLifetimeMs / 3));
  try {
    await work(touch);
  } finally {
    clearInterval(timer);
  }
}

/** Defines the run jobs on the queue and starts processing them. */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { jobs, logger } = deps;
  const webhooks = deps.webhooks ? webhooksServiceFrom(deps.db, deps.webhooks, logger) : null;
  const alerts = deps.alerts ? alertsServiceFrom(deps.db, deps.graph, deps.alerts, logger) : null;
  const publishListeners = [
    ...(deps.publishListeners ?? []),
    ...(webhooks ? [webhookNotifier(jobs, webhooks, logger)] : []),
    ...(alerts ? [alertsNotifier(jobs, alerts, logger)] : []),
  ];
  const retries = deps.runJobRetries ?? RUN_JOB_RETRIES;
  const ctx = runJobContext({ db: deps.db, graph: deps.graph, logger, queue: jobs, options: { pieceRetries: retries, ...deps.engine }, observer: deps.observer, publishListeners });
  const lockLifetime = jobs.options.lockLifetimeMs;
  const enrichments = new EnrichmentsStore(deps.db);
  const guard = <T>(name: string, f: (job: Job<T>) => Promise<void>) => async (job: Job<T>) => {
    try {
      await f(job);
    } catch (e) {
      // Logged without data: the job's fields are ids only.
      logger.error({ job: name, err: e instanceof Error ? e.message : String(e) }, 'job failed');
      throw e;
    }
  };

  // A run's jobs are removed once done: the run document and work items are the record, and a
  // queue that keeps every finished job makes each lock query read more (see enqueueReaders).
  // Enqueuing a removed job again is harmless: its handler finds the work done.
  // A job that throws (Graph failures are handled inside; this is the database refusing) is
  // retried with backoff; its last attempt gives up for the run (`give up`), which then ends.
  const runJob = { removeOnComplete: true, backoff: backoffStrategies.exponential({ delay: deps.runJobRetryDelayMs ?? 2000, maxRetries: retries, jitter: 0.2 }) };
  const lastAttempt = (job: Job<unknown>) => (job.attrs.failCount ?? 0) >= retries;
  const orGiveUp =
    <T>(give: (data: T, reason: string) => Promise<void>, work: (job: Job<T>) => Promise<void>) =>
    async (job: Job<T>) => {
      try {
        await work(job);
      } catch (e) {
        if (lastAttempt(job as Job<unknown>)) {
          const reason = `The work could not be saved after ${retries + 1} attempts (${e instanceof Error ? e.message.slice(0, 160) : 'unknown error'}).`;
          await give(job.attrs.data, reason).catch((err: unknown) => logger.error({ job: job.attrs.name, err: err instanceof Error ? err.message : String(err) }, 'giving up failed'));
        }
        throw e;
      }
    };
  jobs.define<RunJobData>(
    JOB.startRun,
    guard<RunJobData>(JOB.startRun, orGiveUp((d, r) => giveUpStart(ctx, d, r), (job) => withHeartbeat(job, lockLifetime, () => startRun(ctx, job.attrs.data)))),
    { concurrency: 2, ...runJob },
  );
  jobs.define<ReaderJobData>(
    JOB.mailbox,
    guard<ReaderJobData>(JOB.mailbox, orGiveUp((d, r) => giveUpReading(ctx, d, r), (job) => withHeartbeat(job, lockLifetime, (touch) => readMailboxesJob(ctx, job.attrs.data, touch)))),
    { concurrency: deps.mailboxConcurrency, lockLimit: deps.mailboxConcurrency, ...runJob },
  );
  jobs.define<RunJobData>(
    JOB.finalize,
    guard<RunJobData>(JOB.finalize, orGiveUp((d, r) => giveUpFinalize(ctx, d, r), (job) => withHeartbeat(job, lockLifetime, (touch) => finalizeRun(ctx, job.attrs.data, touch, String(job.attrs._id))))),
    { concurrency: 1, ...runJob },
  );
  jobs.define<EstimateJobData>(
    JOB.estimate,
    guard<EstimateJobData>(JOB.estimate, (job) => withHeartbeat(job, lockLifetime, (touch) => processEstimate({ db: deps.db, graph: deps.graph, logger, touch }, job.attrs.data))),
    { concurrency: 1, removeOnComplete: true },
  );
  jobs.define<ScheduleJobData>(
    JOB.scheduledRun,
    guard<ScheduleJobData>(JOB.scheduledRun, async (job) => {
      const { tenantId, enrichmentId } = job.attrs.data;
      const e = await enrichments.get(tenantId, enrichmentId);
      if (!e) {
        await jobs.removeSchedule({ tenantId, enrichmentId });
        return;
      }
      try {
        await deps.runs.start({ tenantId, enrichmentId, trigger: 'schedule', requestedBy: null });
      } catch (err) {
        // A run already active, paused, no consent: this occurrence is skipped, the next one stays planned.
        logger.warn({ enrichmentId, reason: err instanceof Error ? err.message : String(err) }, 'scheduled run skipped');
      }
    }),
    { concurrency: 2 },
  );
  if (webhooks && deps.webhooks) defineWebhookDelivery(jobs, webhooks, deps.webhooks);
  if (alerts) defineAlertsDelivery(jobs, alerts, deps.alerts?.retryBaseMs ?? 30_000);
  jobs.define(JOB.scheduleSweep, guard<unknown>(JOB.scheduleSweep, async () => void (await deps.runs.sweepSchedules())), { concurrency: 1 });

  await jobs.start();
  const agenda = await jobs.ready();
  await agenda.every(deps.sweepEvery ?? '1 minute', JOB.scheduleSweep);
  logger.info({ mailboxConcurrency: deps.mailboxConcurrency, lockLifetimeMs: lockLifetime }, 'worker started');
  return {
    runs: ctx,
    async stop() {
      await jobs.stop();
      ctx.progress.stop();
      ctx.localPartials.dispose();
    },
  };
}
