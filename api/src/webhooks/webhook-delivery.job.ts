import { backoffStrategies, type Job } from 'agenda';
import type { Logger } from 'pino';
import type { PublishListener } from '../runs/lifecycle/run-lifecycle';
import type { JobQueue } from '../runs/jobs/job-queue';
import { type DeliveryRequest, type WebhookOptions, type WebhooksService } from './webhooks.service';

/**
 * Delivery of publish notifications as agenda jobs: one job per (webhook, run), enqueued when a
 * run publishes, retried with exponential backoff (a non-2xx answer, a timeout or a connection
 * error is a failure) until `maxAttempts`, then removed like a delivered one. Any worker process
 * may deliver it.
 */
export const WEBHOOK_DELIVERY_JOB = 'webhook.deliver';

/** Enqueues the notification of a published run when its enrichment has a webhook. Never fails the run: a problem is logged. */
export function webhookNotifier(jobs: JobQueue, service: WebhooksService, logger: Logger): PublishListener {
  return async ({ run }) => {
    // A run completed without its summary (its merge gave up after the flip) is not announced.
    if (!run.summary) return;
    try {
      if (!(await service.hasWebhook(run.tenantId, run.enrichmentId))) return;
      const data: DeliveryRequest = {
        tenantId: run.tenantId,
        enrichmentId: run.enrichmentId,
        runId: run._id,
        asOf: run.asOf.toISOString(),
        publishedAt: new Date().toISOString(),
        counts: {
          accountsEnriched: run.summary.accountsEnriched,
          emailsProcessed: run.summary.emailsProcessed,
          meetingsProcessed: run.summary.meetingsProcessed,
          mailboxesRead: run.counters.mailboxesDone,
          mailboxesFailed: run.counters.mailboxesFailed,
        },
      };
      const agenda = await jobs.ready();
      // Unique per notification: a retried finalize enqueues nothing twice.
      await agenda.create(WEBHOOK_DELIVERY_JOB, data).unique({ 'data.runId': data.runId, 'data.enrichmentId': data.enrichmentId }, { insertOnly: true }).schedule(new Date()).save();
    } catch (e) {
      logger.error({ enrichmentId: run.enrichmentId, runId: run._id, err: e instanceof Error ? e.message : String(e) }, 'webhook notification not enqueued');
    }
  };
}

/** Defines the delivery job on a worker's queue. */
export function defineWebhookDelivery(jobs: JobQueue, service: WebhooksService, options: Pick<WebhookOptions, 'maxAttempts' | 'retryBaseMs'>): void {
  const retries = options.maxAttempts - 1;
  jobs.define<DeliveryRequest>(
    WEBHOOK_DELIVERY_JOB,
    async (job: Job<DeliveryRequest>) => {
      const attempt = (job.attrs.failCount ?? 0) + 1;
      const last = attempt >= options.maxAttempts;
      const delivered = await service.deliver(job.attrs.data, attempt, last);
      // A failure throws so agenda retries it with backoff; the last one ends the job (recorded as
      // given up) and, like a delivered one, removes it: the queue keeps no finished jobs.
      if (!delivered && !last) throw new Error(`webhook delivery attempt ${attempt} failed`);
    },
    { concurrency: 4, removeOnComplete: true, backoff: backoffStrategies.exponential({ delay: options.retryBaseMs, factor: 2, maxRetries: retries, jitter: 0.1 }) },
  );
}
