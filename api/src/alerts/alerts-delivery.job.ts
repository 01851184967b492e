import { backoffStrategies, type Job } from 'agenda';
import type { Logger } from 'pino';
import type { JobQueue } from '../runs/jobs/job-queue';
import type { PublishListener } from '../runs/lifecycle/run-lifecycle';
import type { AlertJobData, AlertsService } from './alerts.service';

/**
 * Account alerts as an agenda job: one per published run (unique on the run id), enqueued by a
 * publish listener, run by any worker. Throttled owners make the job throw, so agenda tries it
 * again with backoff; their records let the retry send to them alone.
 */
export const ALERTS_JOB = 'alerts.deliver';
export const ALERTS_JOB_RETRIES = 4;

/** Enqueues the run's alerts when its enrichment has them on. Never fails the run: a problem is logged. */
export function alertsNotifier(jobs: JobQueue, service: AlertsService, logger: Logger): PublishListener {
  return async ({ run, pointer }) => {
    try {
      if (!(await service.enabled(run.tenantId, run.enrichmentId))) return;
      // The kept runs are newest first: the one after this run is the previous publish.
      const previousRunId = pointer.kept.find((k) => k.runId !== run._id)?.runId ?? null;
      const data: AlertJobData = { tenantId: run.tenantId, enrichmentId: run.enrichmentId, runId: run._id, previousRunId };
      const agenda = await jobs.ready();
      // Unique per run: a retried finalize enqueues nothing twice.
      await agenda.create(ALERTS_JOB, data).unique({ 'data.runId': data.runId }, { insertOnly: true }).schedule(new Date()).save();
    } catch (e) {
      logger.error({ enrichmentId: run.enrichmentId, runId: run._id, err: e instanceof Error ? e.message : String(e) }, 'account alerts not enqueued');
    }
  };
}

/** Defines the alert job on a worker's queue. */
export function defineAlertsDelivery(jobs: JobQueue, service: AlertsService, retryBaseMs: number): void {
  jobs.define<AlertJobData>(
    ALERTS_JOB,
    async (job: Job<AlertJobData>) => {
      const done = await service.deliver(job.attrs.data);
      if (done.retry && (job.attrs.failCount ?? 0) < ALERTS_JOB_RETRIES) throw new Error('some owners were throttled; retrying them');
    },
    { concurrency: 1, removeOnComplete: true, backoff: backoffStrategies.exponential({ delay: retryBaseMs, factor: 2, maxRetries: ALERTS_JOB_RETRIES, jitter: 0.1 }) },
  );
}
