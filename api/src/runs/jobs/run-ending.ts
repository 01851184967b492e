import { countersOf, type ItemStats } from '../coordination/coordination.store';
import type { RunEnd } from '../lifecycle/run-lifecycle';
import type { RunDocument } from '../lifecycle/runs.store';
import type { RunJobContext } from './run-jobs';

type RunRef = Pick<RunDocument, '_id' | 'tenantId' | 'enrichmentId'>;

/**
 * Counters and errors summed from the work items, to freeze on the run when it ends. Finalize
 * passes what it has already read (every item is finished by then, so nothing changes).
 */
export async function finalCounters(ctx: RunJobContext, run: Pick<RunDocument, '_id' | 'tenantId'>, known?: { total: number; stats: ItemStats }): Promise<RunEnd> {
  const total = known?.total ?? (await ctx.runs.get(run.tenantId, run._id))?.counters.mailboxesTotal ?? 0;
  const s = known?.stats ?? (await ctx.coordination.itemStats(run.tenantId, run._id));
  return { counters: countersOf(total, s), errors: s.errors };
}

/** Everything a run wrote (cancel, failure): its base and the current result are untouched. */
export async function discardRun(ctx: Pick<RunJobContext, 'coordination' | 'output'>, run: Pick<RunDocument, '_id' | 'tenantId'>): Promise<void> {
  await ctx.coordination.clearRun(run.tenantId, run._id);
  await ctx.output.clearRun(run.tenantId, run._id);
}

/** Ends a run as failed (when this caller wins the right to end it): its own partials are dropped; the previous result stays current. */
export async function failRun(ctx: RunJobContext, run: RunRef, reason: string): Promise<void> {
  const claim = await ctx.coordination.claim(run.tenantId, run.enrichmentId, run._id, 'fail', null);
  if (!claim.won) return;
  await ctx.lifecycle.fail(run, reason, await finalCounters(ctx, run));
  ctx.logger.warn({ runId: run._id, reason }, 'run failed');
  await ctx.queue.removeRunJobs(run._id);
  await discardRun(ctx, run);
  ctx.localPartials.drop(run._id);
  await ctx.coordination.unlock(run.tenantId, run.enrichmentId, run._id);
}
