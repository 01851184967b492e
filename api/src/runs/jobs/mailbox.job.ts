import { classifyGraphError, graphErrorFacts } from '../../platform/graph/classify-graph-error';
import { maskEmails } from '../../platform/logger/logger';
import { LeaseLost, type Lease, type Touch } from '../coordination/work-leases';
import type { RunDocument } from '../lifecycle/runs.store';
import { mailboxFailureKind } from '../domain/mailbox-health';
import type { MailboxJobData } from './job-queue';
import { loadPrior, mailboxFailureReason, readMailbox, RunCancelled } from './read-mailbox';
import { DatasetChanged, type RunContext } from './run-context';
import { failRun } from './run-ending';
import type { RunJobContext } from './run-jobs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A mailbox job: one mailbox of a run, under a lease (one worker reads it even when agenda hands
 * the job to two). It passes the queue window on, reads the mailbox (a few attempts), writes its
 * state and partials by key, records its work item as done or failed, and the job that sees the
 * last item finished enqueues the finalize job.
 */
export async function readMailboxJob(ctx: RunJobContext, data: MailboxJobData, touch: Touch): Promise<void> {
  const piece = { tenantId: data.tenantId, enrichmentId: data.enrichmentId, key: `${data.runId}:mailbox:${data.index}` };
  const isDone = async () => {
    const run = await ctx.runs.get(data.tenantId, data.runId);
    const item = await ctx.coordination.getItem(data.tenantId, data.runId, data.index);
    return !run || run.state !== 'running' || (item !== null && item.state !== 'reading');
  };
  await ctx.leases.run(piece, touch, isDone, (lease) => leased(ctx, data, touch, lease));
}

async function leased(ctx: RunJobContext, data: MailboxJobData, touch: Touch, lease: Lease): Promise<void> {
  const run = await ctx.runs.get(data.tenantId, data.runId);
  if (!run || run.state !== 'running') return;
  if (await ctx.coordination.getClaim(run.tenantId, run._id)) return;
  const inputs = await ctx.contexts.inputsOf(run);
  const mailbox = inputs.mailboxes[data.index];
  if (!mailbox) return;
  const existing = await ctx.coordination.getItem(run.tenantId, run._id, data.index);
  // Finished by an earlier attempt that died before enqueuing the finalize job.
  if (existing && existing.state !== 'reading') return maybeFinalize(ctx, run, data);

  let runContext: RunContext;
  try {
    runContext = await ctx.contexts.contextOf(run);
  } catch (e) {
    if (e instanceof DatasetChanged) return failRun(ctx, run, e.message);
    throw e;
  }
  // Mailbox jobs are enqueued a window at a time (a short agenda queue stays fast to lock);
  // each job enqueues its successor before working, so a job that dies still passes it on.
  await ctx.queue.enqueueMailboxSuccessor(data, inputs.mailboxes.length);

  const item = { tenantId: run.tenantId, enrichmentId: run.enrichmentId, runId: run._id, index: data.index, userId: mailbox.userId, worker: ctx.workerId };
  const shards = run.shards ?? 1;
  const prior = run.mode === 'refresh' && run.baseRunId ? await loadPrior(ctx, run.tenantId, run.baseRunId, mailbox.userId) : null;
  let lastError: unknown;
  for (let attempt = 1; attempt <= ctx.options.mailboxAttempts; attempt++) {
    try {
      const t0 = Date.now();
      const outcome = await readMailbox(ctx, { run, self: data.index, userId: mailbox.userId, context: runContext, prior, shards, touch, lease });
      if (lease.lost) return;
      const t1 = Date.now();
      await ctx.output.writeMailbox(outcome.state, outcome.contributions);
      ctx.logger.debug({ runId: run._id, index: data.index, readMs: t1 - t0, writeMs: Date.now() - t1, contributions: outcome.contributions.length }, 'mailbox done');
      await ctx.coordination.putItem({
        ...item,
        state: 'done',
        messagesRead: outcome.state.messagesRead,
        eventsRead: outcome.state.eventsRead,
        fullRead: outcome.state.fullRead,
        calendarFullRead: outcome.calendarFullRead,
        reason: null,
        health: { retries: outcome.stats.retries, throttled: outcome.stats.throttled ?? 0, attempts: attempt, ...(outcome.stats.requests === 0 ? { carried: true } : {}) },
        shards: outcome.contributions.map((c) => c.shard),
      });
      ctx.observer.add('writeMs', Date.now() - t1);
      ctx.observer.add('mailboxesRead', 1);
      ctx.observer.add('messagesRead', outcome.state.messagesRead);
      ctx.observer.add('eventsRead', outcome.state.eventsRead);
      return afterFinished(ctx, run, data, mailbox.userId);
    } catch (e) {
      if (e instanceof LeaseLost) return;
      if (e instanceof RunCancelled) return ctx.output.clearMailbox(run.tenantId, run._id, mailbox.userId, data.index, shards);
      lastError = e;
      const kind = classifyGraphError(graphErrorFacts(e));
      ctx.logger.warn({ runId: run._id, userId: mailbox.userId, attempt, kind, err: maskEmails(e instanceof Error ? e.message : String(e)).slice(0, 300) }, 'mailbox attempt failed');
      // Permission and not-found failures do not heal by retrying.
      if (kind === 'not-found' || kind === 'forbidden' || kind === 'consent-required' || kind === 'bad-request') break;
      if (attempt < ctx.options.mailboxAttempts) await sleep(Math.min(ctx.options.retry.maxDelayMs, ctx.options.retry.baseDelayMs * 2 ** attempt));
    }
  }
  await ctx.coordination.putItem({ ...item, state: 'failed', messagesRead: 0, eventsRead: 0, fullRead: false, reason: mailboxFailureReason(lastError),
    health: { retries: 0, throttled: 0, attempts: ctx.options.mailboxAttempts, failureKind: mailboxFailureKind(graphErrorFacts(lastError)) },
  });
  await afterFinished(ctx, run, data, mailbox.userId);
}

/** The mailbox's work item is finished: take it back if the run was cancelled meanwhile, else maybe finalize. */
async function afterFinished(ctx: RunJobContext, run: RunDocument, data: MailboxJobData, userId: string): Promise<void> {
  const claim = await ctx.coordination.getClaim(run.tenantId, run._id);
  if (claim && claim.kind !== 'finalize') {
    // Cancelled (or failed) while this mailbox was being read: take back what it wrote.
    await ctx.output.clearMailbox(run.tenantId, run._id, userId, data.index, run.shards ?? 1);
    await ctx.coordination.items.deleteMany({ tenantId: run.tenantId, runId: run._id });
    return;
  }
  await maybeFinalize(ctx, run, data);
}

/** The mailbox job (its item finished) that sees every work item finished enqueues the finalize job (idempotent). */
async function maybeFinalize(ctx: RunJobContext, run: RunDocument, data: MailboxJobData): Promise<void> {
  ctx.finished.seen(run._id, data.index);
  if (await ctx.finished.all(run)) await ctx.queue.enqueueFinalize(data);
}

/** The mailbox job gave up (it kept throwing): the mailbox is failed with the reason; the run goes on without it. */
export async function giveUpMailbox(ctx: RunJobContext, data: MailboxJobData, reason: string): Promise<void> {
  const run = await ctx.runs.get(data.tenantId, data.runId);
  if (!run || run.state !== 'running') return;
  const item = await ctx.coordination.getItem(data.tenantId, data.runId, data.index);
  if (item && item.state !== 'reading') return;
  const mailbox = (await ctx.contexts.inputsOf(run)).mailboxes[data.index];
  if (!mailbox) return;
  await ctx.coordination.putItem({ tenantId: run.tenantId, enrichmentId: run.enrichmentId, runId: run._id, index: data.index, userId: mailbox.userId, worker: ctx.workerId, state: 'failed', messagesRead: 0, eventsRead: 0, fullRead: false, reason });
  await afterFinished(ctx, run, data, mailbox.userId);
}
