import { randomBytes } from 'node:crypto';
import { classifyGraphError, graphErrorFacts } from '../../platform/graph/classify-graph-error';
import { maskEmails } from '../../platform/logger/logger';
import { LeaseLost, type Lease, type Touch } from '../coordination/work-leases';
import type { RunDocument } from '../lifecycle/runs.store';
import { mailboxFailureKind } from '../domain/mailbox-health';
import type { ReaderJobData, RunJobData } from './job-queue';
import { loadPrior, mailboxFailureReason, readMailbox, RunCancelled } from './read-mailbox';
import { DatasetChanged, type RunContext } from './run-context';
import { failRun } from './run-ending';
import type { RunJobContext } from './run-jobs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type MailboxRef = RunJobData & { index: number };
/** The run as its reader job read it: only what never changes while it runs is read from it. */
type RunningRun = RunDocument;
/** What became of one mailbox a reader reached for. */
type Reached = 'finished' | 'held' | 'stopped';

/**
 * A reader job: it reads the run's mailboxes one after another, as this process's cursor hands
 * them out, each under its lease (one worker reads a mailbox even when two reach for it), and
 * ends when none is left. A mailbox held elsewhere is asked for again later, so one whose worker
 * died is taken over once its lease expires. A mailbox the database keeps refusing is retried
 * with backoff, then given up (failed, the run goes on without it).
 */
export async function readMailboxesJob(ctx: RunJobContext, data: ReaderJobData, touch: Touch): Promise<void> {
  let run = await ctx.runs.get(data.tenantId, data.runId);
  if (!run || run.state !== 'running') return;
  const ids: RunJobData = { tenantId: run.tenantId, enrichmentId: run.enrichmentId, runId: run._id };
  const cursor = ctx.cursors.of(run._id, run.counters.mailboxesTotal);
  for (;;) {
    const next = cursor.next(Date.now());
    if (next.kind === 'none') return;
    if (next.kind === 'wait') {
      await touch();
      await sleep(next.ms);
      run = await ctx.runs.get(data.tenantId, data.runId);
      if (!run || run.state !== 'running') return;
      continue;
    }
    const mailbox: MailboxRef = { ...ids, index: next.index };
    let reached: Reached;
    try {
      reached = await reachMailbox(ctx, run, mailbox, touch);
    } catch (e) {
      const failures = cursor.failedHere(next.index);
      const reason = e instanceof Error ? e.message.slice(0, 160) : 'unknown error';
      if (failures > ctx.options.pieceRetries) {
        await giveUpMailbox(ctx, mailbox, `The work could not be saved after ${failures} attempts (${reason}).`);
        cursor.finish(next.index);
        continue;
      }
      ctx.logger.warn({ runId: run._id, index: next.index, failures, err: maskEmails(reason) }, 'mailbox work failed; it will be tried again');
      cursor.askAgainAt(next.index, Date.now() + Math.min(ctx.options.retry.maxDelayMs, ctx.options.retry.baseDelayMs * 2 ** failures));
      continue;
    }
    if (reached === 'stopped') return;
    if (reached === 'held') cursor.askAgainAt(next.index, Date.now() + ctx.leases.askAgainMs);
    else cursor.finish(next.index);
  }
}

/** One mailbox: finished already, held by another worker, or read here under its lease. */
async function reachMailbox(ctx: RunJobContext, run: RunningRun, data: MailboxRef, touch: Touch): Promise<Reached> {
  const item = await ctx.coordination.getItem(data.tenantId, data.runId, data.index);
  if (item && item.state !== 'reading') {
    ctx.finished.seen(data.runId, data.index);
    return 'finished';
  }
  const piece = { tenantId: data.tenantId, enrichmentId: data.enrichmentId, key: `${data.runId}:mailbox:${data.index}` };
  return ctx.leases.tryRun(piece, (lease) => leased(ctx, run, data, touch, lease));
}

/**
 * Reads the mailbox unless its item was finished meanwhile. A run that ends (cancelled, failed)
 * does so by its claim, which this process's progress beat reads once a second for all its
 * readers: a mailbox started in the second before it learns of it is stopped by its first
 * progress report, and whatever a mailbox wrote before is taken back once its item is written
 * (`afterFinished`). Reading the run and its claim here as well cost two database reads per
 * mailbox (issue 13).
 */
async function leased(ctx: RunJobContext, run: RunningRun, data: MailboxRef, touch: Touch, lease: Lease): Promise<Reached> {
  if (ctx.progress.claimKnown(run._id)) return 'stopped';
  const inputs = await ctx.contexts.inputsOf(run);
  const mailbox = inputs.mailboxes[data.index];
  if (!mailbox) return 'finished';
  const existing = await ctx.coordination.getItem(run.tenantId, run._id, data.index);
  // Finished by an earlier attempt that died before enqueuing the finalize job.
  if (existing && existing.state !== 'reading') return maybeFinalize(ctx, run, data);

  let runContext: RunContext;
  try {
    runContext = await ctx.contexts.contextOf(run);
  } catch (e) {
    if (e instanceof DatasetChanged) {
      await failRun(ctx, run, e.message);
      return 'stopped';
    }
    throw e;
  }

  const item = { tenantId: run.tenantId, enrichmentId: run.enrichmentId, runId: run._id, index: data.index, userId: mailbox.userId, worker: ctx.workerId };
  const shards = run.shards ?? 1;
  const prior = run.mode === 'refresh' && run.baseRunId ? await loadPrior(ctx, run.tenantId, run.baseRunId, mailbox.userId) : null;
  let lastError: unknown;
  for (let attempt = 1; attempt <= ctx.options.mailboxAttempts; attempt++) {
    try {
      const t0 = Date.now();
      const outcome = await readMailbox(ctx, { run, self: data.index, userId: mailbox.userId, context: runContext, prior, shards, touch, lease });
      if (lease.lost) return 'held';
      const t1 = Date.now();
      // This process keeps its own copy for a finalize that runs here; the item names it below.
      const partialsId = randomBytes(8).toString('hex');
      ctx.localPartials.file(run._id, data.index, partialsId, outcome.shardBlobs, outcome.partials.unmatched?.value() ?? new Uint8Array());
      await ctx.output.writeMailbox(outcome.state, outcome.partials);
      ctx.logger.debug({ runId: run._id, index: data.index, readMs: t1 - t0, writeMs: Date.now() - t1, shards: outcome.partials.shards.length }, 'mailbox done');
      await ctx.coordination.putItem({
        ...item,
        state: 'done',
        messagesRead: outcome.state.messagesRead,
        eventsRead: outcome.state.eventsRead,
        fullRead: outcome.state.fullRead,
        calendarFullRead: outcome.calendarFullRead,
        reason: null,
        health: { retries: outcome.stats.retries, throttled: outcome.stats.throttled ?? 0, attempts: attempt, ...(outcome.stats.requests === 0 ? { carried: true } : {}) },
        shards: outcome.partials.shards,
        partialsId,
      });
      ctx.observer.add('writeMs', Date.now() - t1);
      ctx.observer.add('mailboxesRead', 1);
      ctx.observer.add('messagesRead', outcome.state.messagesRead);
      ctx.observer.add('eventsRead', outcome.state.eventsRead);
      return afterFinished(ctx, run, data, mailbox.userId);
    } catch (e) {
      if (e instanceof LeaseLost) return 'held';
      if (e instanceof RunCancelled) {
        await ctx.output.clearMailbox(run.tenantId, run._id, mailbox.userId, data.index);
        return 'stopped';
      }
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
  return afterFinished(ctx, run, data, mailbox.userId);
}

/** The mailbox's work item is finished: take it back if the run was cancelled meanwhile, else maybe finalize. */
async function afterFinished(ctx: RunJobContext, run: RunDocument, data: MailboxRef, userId: string): Promise<Reached> {
  const claim = await ctx.coordination.getClaim(run.tenantId, run._id);
  if (claim && claim.kind !== 'finalize') {
    // Cancelled (or failed) while this mailbox was being read: take back what it wrote.
    await ctx.output.clearMailbox(run.tenantId, run._id, userId, data.index);
    await ctx.coordination.items.deleteMany({ tenantId: run.tenantId, runId: run._id });
    ctx.localPartials.drop(run._id);
    return 'stopped';
  }
  return maybeFinalize(ctx, run, data);
}

/** The mailbox job (its item finished) that sees every work item finished enqueues the finalize job (idempotent). */
async function maybeFinalize(ctx: RunJobContext, run: RunDocument, data: MailboxRef): Promise<'finished'> {
  ctx.finished.seen(run._id, data.index);
  if (await ctx.finished.all(run)) await ctx.queue.enqueueFinalize({ tenantId: data.tenantId, enrichmentId: data.enrichmentId, runId: data.runId });
  return 'finished';
}

/** The database kept refusing this mailbox's work: the mailbox is failed with the reason; the run goes on without it. */
async function giveUpMailbox(ctx: RunJobContext, data: MailboxRef, reason: string): Promise<void> {
  const run = await ctx.runs.get(data.tenantId, data.runId);
  if (!run || run.state !== 'running') return;
  const item = await ctx.coordination.getItem(data.tenantId, data.runId, data.index);
  if (item && item.state !== 'reading') return;
  const mailbox = (await ctx.contexts.inputsOf(run)).mailboxes[data.index];
  if (!mailbox) return;
  await ctx.coordination.putItem({ tenantId: run.tenantId, enrichmentId: run.enrichmentId, runId: run._id, index: data.index, userId: mailbox.userId, worker: ctx.workerId, state: 'failed', messagesRead: 0, eventsRead: 0, fullRead: false, reason });
  await afterFinished(ctx, run, data, mailbox.userId);
}

/** A reader job gave up (it kept throwing outside any one mailbox: the database refuses): the run fails with the reason. */
export async function giveUpReading(ctx: RunJobContext, data: RunJobData, reason: string): Promise<void> {
  const run = await ctx.runs.get(data.tenantId, data.runId);
  if (run && run.state === 'running') await failRun(ctx, run, reason);
}
