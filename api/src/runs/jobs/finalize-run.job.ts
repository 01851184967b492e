import type { AccountRow as DatasetAccount } from '../../datasets/dataset-rows';
import { userEntityName } from '../../enrichments/enrichment-rules';
import { maskEmails } from '../../platform/logger/logger';
import { yearFiguresOf } from '../../snapshots/snapshot-file';
import { itemStatsOf, type ItemStats, type WorkItemDocument } from '../coordination/coordination.store';
import type { Touch } from '../coordination/work-leases';
import { DAY_MS } from '../domain/engagement-buckets';
import type { RunDocument, RunInputsDocument, RunSummary } from '../lifecycle/runs.store';
import { EngineResultsStore } from '../output/run-output.store';
import type { RunJobData } from './job-queue';
import { mergeIntoSnapshot, type YearFigures } from './merge-run';
import { recordMailboxHealth } from './record-mailbox-health';
import { recordUnmatchedDomains } from './record-unmatched-domains';
import { discardRun, finalCounters } from './run-ending';
import type { RunJobContext } from './run-jobs';

const active = (run: RunDocument | null): run is RunDocument => run !== null && ['running', 'merging'].includes(run.state);

/**
 * The finalize job, enqueued once every mailbox is finished: it claims the run (a cancel or a
 * failure can no longer end it), merges the partials into the run's snapshot, publishes it (the
 * pointer flip), completes the run and releases the enrichment, then sweeps what superseded runs
 * left. A finalize retried after a crash continues: before the flip it writes the output again,
 * after it only completes; a sweep cut short is finished by the next run's.
 */
export async function finalizeRun(ctx: RunJobContext, data: RunJobData, touch: Touch, jobId: string): Promise<void> {
  const piece = { tenantId: data.tenantId, enrichmentId: data.enrichmentId, key: `${data.runId}:finalize` };
  const isDone = async () => !active(await ctx.runs.get(data.tenantId, data.runId));
  await ctx.leases.run(piece, touch, isDone, () => leased(ctx, data, touch, jobId));
}

async function leased(ctx: RunJobContext, data: RunJobData, touch: Touch, jobId: string): Promise<void> {
  const found = await ctx.runs.get(data.tenantId, data.runId);
  if (!active(found)) return;
  const preparedFrom = Date.now();
  // Read once (each read is a scan of the work items on FerretDB): once every item is finished
  // none changes any more, so the merge, the counters and the summary share them.
  const items = await ctx.coordination.runItems(found.tenantId, found._id);
  const known = { total: found.counters.mailboxesTotal, stats: itemStatsOf(items) };
  if (known.stats.done + known.stats.failed < known.total) return;
  const claim = await ctx.coordination.claim(found.tenantId, found.enrichmentId, found._id, 'finalize', jobId);
  if (!claim.won) return;
  const { tenantId, enrichmentId } = found;
  await recordMailboxHealth(ctx.db, found, (await ctx.contexts.inputsOf(found)).mailboxes, items);
  if (known.stats.done === 0) return failFinalize(ctx, found, 'Every selected mailbox failed; the previous result is kept.', known);

  const run = (await ctx.lifecycle.startMerging(found)) ?? found;
  let pointer = await ctx.output.getPointer(tenantId, enrichmentId);
  let year: YearFigures | null = null;
  let phasesMs: Record<string, number> = {};
  if (pointer?.runId !== run._id) {
    // A retried finalize (the claim was already this job's) starts its own output again; it is
    // not visible before the flip. A first attempt has written nothing.
    if (claim.holder) await ctx.output.clearRunOutput(tenantId, run._id);
    const inputs = await ctx.contexts.inputsOf(run);
    const dataset = await ctx.datasets.get(tenantId, inputs.datasetId);
    if (!dataset || dataset.version !== inputs.datasetVersion) return failFinalize(ctx, run, 'The customer dataset was re-imported or deleted during the run; run it again.', known);

    ctx.contexts.forgetLookups();
    const mergeFrom = Date.now();
    const accounts = new Map<string, DatasetAccount>();
    // A process that read the run's mailboxes read its accounts already (10,000 accounts on
    // FerretDB: 1.5 s of a 2,500-mailbox finalize, issue 13); another one reads them here.
    const built = ctx.contexts.builtContextOf(run);
    if (built && built.dataset.version === dataset.version && built.dataset.accountsVersionId === dataset.accountsVersionId) for (const a of built.accounts) accounts.set(a.accountId, a);
    else for await (const a of ctx.datasets.streamAccounts(tenantId, dataset)) accounts.set(a.accountId, a);
    const accountsReadMs = Date.now() - mergeFrom;
    const merged = await mergeIntoSnapshot(ctx, run, inputs, items, accounts, dataset.accountAttributes, touch);
    year = merged.year;
    ctx.observer.add('finalizeMs', Date.now() - mergeFrom);
    ctx.observer.add('publishMs', merged.storeMs);
    // Finalize's merge (reading partials back, rows, scores) counts as aggregation.
    ctx.observer.add('aggregateMs', Date.now() - mergeFrom - merged.storeMs);
    const publishFrom = Date.now();
    await recordUnmatchedDomains(ctx.db, ctx.output, run, merged.unmatched);
    // Before the merge: the work items, mailbox health, the run's inputs and dataset read.
    const prepare = mergeFrom - preparedFrom;
    phasesMs = { prepare, accountsRead: accountsReadMs, ...merged.phasesMs, unmatchedDomains: Date.now() - publishFrom };
    const usersFrom = Date.now();
    await ctx.output.insertUsers(inputs.mailboxes.map((m) => ({ tenantId, enrichmentId, runId: run._id, entityName: userEntityName(inputs.entityName), UserId: m.userId, Mail: m.mail })));
    const flipFrom = Date.now();
    await ctx.lifecycle.startPublishing(run);
    pointer = await ctx.output.flip(tenantId, enrichmentId, run._id, run.asOf, ctx.options.snapshotsKept);
    phasesMs = { ...phasesMs, usersWritten: flipFrom - usersFrom, flipped: Date.now() - flipFrom };
    ctx.observer.add('publishMs', Date.now() - publishFrom);
  }

  const summaryFrom = Date.now();
  const summary = await summaryOf(ctx, run, year, known.stats);
  const end = await finalCounters(ctx, run, known);
  phasesMs = { ...phasesMs, summary: Date.now() - summaryFrom };
  // What readers and the next run could trip on goes before "completed" and the unlock; what
  // only takes room (the superseded runs' states, this run's partials) is swept after them, so
  // the new result is there as soon as it is published. Which runs are superseded is read under
  // the lock: a run started after the unlock is never among them.
  const cleanFrom = Date.now();
  const superseded = await ctx.runs.inputs.find({ tenantId: run.tenantId, enrichmentId: run.enrichmentId, _id: { $ne: run._id } }).toArray();
  await ctx.output.pruneBefore(run.tenantId, run.enrichmentId, run._id);
  ctx.observer.add('publishMs', Date.now() - cleanFrom);
  await ctx.lifecycle.complete(run, { ...end, summary }, pointer);
  await ctx.coordination.unlock(run.tenantId, run.enrichmentId, run._id);
  ctx.logger.info({ runId: run._id, accountsEnriched: summary.accountsEnriched, durationMs: summary.durationMs, phasesMs: { ...phasesMs, cleanUp: Date.now() - cleanFrom } }, 'run completed');
  const sweepFrom = Date.now();
  try {
    await sweepAfter(ctx, run, items, superseded);
    ctx.logger.info({ runId: run._id, supersededRuns: superseded.length, sweepMs: Date.now() - sweepFrom }, 'superseded run data swept');
  } catch (e) {
    // The run is complete and published: what is left takes room only, and the next run sweeps it.
    ctx.logger.warn({ runId: run._id, err: maskEmails(e instanceof Error ? e.message : String(e)).slice(0, 300) }, 'sweeping superseded run data failed; the next run sweeps it');
  }
  ctx.observer.add('sweepMs', Date.now() - sweepFrom);
  ctx.observer.add('runsSwept', 1);
}

/** The run cannot be published: it fails, what it wrote goes, the previous result stays. */
async function failFinalize(ctx: RunJobContext, run: RunDocument, reason: string, known: { total: number; stats: ItemStats }): Promise<void> {
  await ctx.lifecycle.fail(run, reason, await finalCounters(ctx, run, known));
  await discardRun(ctx, run);
  await ctx.coordination.unlock(run.tenantId, run.enrichmentId, run._id);
}

/**
 * After the unlock: what nothing reads any more, deleted by key. The superseded runs' states
 * (the previous run's were this refresh's base) and partials, this run's partials (every item:
 * a mailbox that failed after an attempt wrote them leaves them too), the runs' work items,
 * leases and progress (by run: a run of the enrichment started after the unlock has its own),
 * then each superseded run's inputs, last: a sweep cut short by a crash leaves them, and the
 * next run's finalize finds that run among its own superseded ones and sweeps it again. The work
 * items went before "completed" until issue 13: a scan and a delete of every item of the run on
 * FerretDB, seconds of a 2,500-mailbox run that held the enrichment's lock.
 */
async function sweepAfter(ctx: RunJobContext, run: RunDocument, items: WorkItemDocument[], superseded: RunInputsDocument[]): Promise<void> {
  const runIds = [run._id, ...superseded.map((o) => o._id)];
  for (const runId of runIds) await ctx.coordination.clearRun(run.tenantId, runId);
  const olderStates = superseded.flatMap((o) => (o.inputs?.mailboxes ?? []).map((m) => EngineResultsStore.stateId(o._id, m.userId)));
  const partials = items.map((i) => EngineResultsStore.contributionId(run._id, i.index))
    .concat(superseded.flatMap((o) => (o.inputs?.mailboxes ?? []).map((_, index) => EngineResultsStore.contributionId(o._id, index))));
  await ctx.output.sweepRuns(run.tenantId, runIds, { olderStates, partials });
  await ctx.runs.deleteInputs(superseded.map((o) => o._id));
}

/** `year` comes from the merge; a finalize retried after the flip reads it back from the snapshot. */
async function summaryOf(ctx: RunJobContext, run: RunDocument, fromMerge: YearFigures | null, totals: ItemStats): Promise<RunSummary> {
  let year = fromMerge;
  if (!year) {
    const snapshot = await ctx.output.snapshots.read(run.tenantId, run._id);
    year = snapshot ? await yearFiguresOf(snapshot.bytes) : { accountsEnriched: 0, earliest: null };
  }
  const asOf = run.asOf.getTime();
  const started = run.startedAt?.getTime() ?? run.createdAt.getTime();
  return {
    accountsEnriched: year.accountsEnriched,
    emailsProcessed: totals.messagesRead,
    meetingsProcessed: totals.eventsRead,
    daysCovered: year.earliest === null ? 0 : Math.min(365, Math.ceil((asOf - year.earliest) / DAY_MS)),
    durationMs: Date.now() - started,
  };
}

/**
 * The finalize job gave up (it kept throwing). Before the flip the run fails and the previous
 * result stays; after it the new result is already what readers see, so the run is completed
 * (without a summary) and the next run's clean-up removes what this one left.
 */
export async function giveUpFinalize(ctx: RunJobContext, data: RunJobData, reason: string): Promise<void> {
  const run = await ctx.runs.get(data.tenantId, data.runId);
  if (!active(run)) return;
  const pointer = await ctx.output.getPointer(run.tenantId, run.enrichmentId);
  const flipped = pointer?.runId === run._id;
  const end = await finalCounters(ctx, run);
  if (flipped) {
    await ctx.lifecycle.complete(run, end, pointer);
  } else {
    // Clean up first (best effort: the database may still be refusing), so a run that reads
    // failed has left nothing behind whenever that was possible.
    await discardRun(ctx, run).catch((e: unknown) => ctx.logger.warn({ runId: run._id, err: e instanceof Error ? e.message : String(e) }, 'clean-up of an abandoned run failed'));
    await ctx.lifecycle.fail(run, reason, end);
  }
  await ctx.coordination.unlock(run.tenantId, run.enrichmentId, run._id);
  ctx.logger.warn({ runId: run._id, flipped }, 'run merge abandoned');
}
