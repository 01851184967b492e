import { shardCount } from '../domain/account-shards';
import { WINDOW_MS } from '../domain/engagement-buckets';
import { runFingerprint } from '../domain/run-fingerprint';
import { emptyCounters, type RunDocument } from '../lifecycle/runs.store';
import { freezeInputs } from './freeze-inputs';
import type { RunJobData } from './job-queue';
import { isRetryOf } from './record-mailbox-health';
import { failRun } from './run-ending';
import type { RunJobContext } from './run-jobs';

/**
 * The start job: freezes the run's inputs, chooses full or refresh, moves the run to reading and
 * enqueues its reader jobs. Idempotent: a retry after a crash finds the run reading and only
 * enqueues again (insert-only).
 */
export async function startRun(ctx: RunJobContext, data: RunJobData & { forceFull?: boolean }): Promise<void> {
  const run = await ctx.runs.get(data.tenantId, data.runId);
  if (!run) return;
  if (run.state === 'running') return ctx.queue.enqueueReaders(data, run.counters.mailboxesTotal);
  if (run.state !== 'queued') return;

  let inputs;
  try {
    inputs = await freezeInputs(ctx, run);
  } catch (e) {
    return failRun(ctx, run, e instanceof Error ? e.message : String(e));
  }
  const fingerprint = runFingerprint(inputs);
  const base = data.forceFull || run.mode === 'full' ? null : await ctx.runs.lastCompleted(run.tenantId, run.enrichmentId);
  const refreshFrom = canRefreshFrom(base, run, fingerprint) ? base : null;

  // Inputs first: a run that is reading always has them.
  await ctx.runs.putInputs(run.tenantId, run.enrichmentId, run._id, inputs);
  const reading = await ctx.lifecycle.startReading(run, {
    fingerprint,
    mode: refreshFrom ? 'refresh' : 'full',
    baseRunId: refreshFrom?._id ?? null,
    shards: shardCount(inputs.mailboxes.length, ctx.options.mailboxesPerShard),
    counters: emptyCounters(inputs.mailboxes.length),
  });
  if (!reading) return;

  const claim = await ctx.coordination.getClaim(run.tenantId, run._id);
  if (claim) {
    // Cancelled (or failed) while preparing: the claim holder's end state stands.
    await (claim.kind === 'cancel' ? ctx.lifecycle.cancel(run) : ctx.lifecycle.fail(run, 'The run failed while it was starting.'));
    return;
  }
  ctx.logger.info({ runId: run._id, mode: reading.mode, mailboxes: inputs.mailboxes.length }, 'run started');
  await ctx.queue.enqueueReaders(data, inputs.mailboxes.length);
}

/**
 * A refresh builds on the last completed run when it computed from the same inputs, at an older
 * as-of still inside the window, or at the same as-of when it retries that run's failed mailboxes.
 */
function canRefreshFrom(base: RunDocument | null, run: RunDocument, fingerprint: string): base is RunDocument {
  if (!base || base.fingerprint !== fingerprint) return false;
  const asOf = run.asOf.getTime();
  return (base.asOf.getTime() < asOf || isRetryOf(run, base)) && base.asOf.getTime() > asOf - WINDOW_MS;
}

/** The start job gave up (it kept throwing): the run fails before reading anything. */
export async function giveUpStart(ctx: RunJobContext, data: RunJobData, reason: string): Promise<void> {
  const run = await ctx.runs.get(data.tenantId, data.runId);
  if (run && ['queued', 'running'].includes(run.state)) await failRun(ctx, run, reason);
}
