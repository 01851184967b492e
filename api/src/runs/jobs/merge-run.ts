import type { AccountRow as DatasetAccount } from '../../datasets/dataset-rows';
import { collectGarbage } from '../../platform/memory/collect-garbage';
import { withHeapGrowth } from '../../platform/memory/heap-growth';
import { markWithheldRows, type WithheldMark } from '../domain/privacy-threshold';
import { SnapshotWriter } from '../../snapshots/snapshot-writer';
import type { WorkItemDocument } from '../coordination/coordination.store';
import type { Touch } from '../coordination/work-leases';
import type { ActivityRow } from '../../snapshots/output-entity';
import { accountRowsOfSlots, type AccountRow } from '../domain/account-rows';
import { shardOf } from '../domain/account-shards';
import type { RunInputs } from '../domain/run-inputs';
import { PeriodRanking } from '../domain/score-ranking';
import type { RunDocument } from '../lifecycle/runs.store';
import { inflateShardBlobs, PartialsByShard } from '../output/partials-by-shard';
import { decodePartialBytes, type PackedPartials } from '../output/partials-codec';
import { ShardSlots } from '../output/shard-slots';
import { forEachLimited } from './for-each-limited';
import type { MergedUnmatchedDomains } from './record-unmatched-domains';
import type { RunJobContext } from './run-jobs';

export interface MergedRun {
  /** Time spent storing the snapshot file. */
  storeMs: number;
  year: YearFigures;
  unmatched: MergedUnmatchedDomains;
  /** Where the merge's time went, for the run's log line. */
  phasesMs: Record<string, number>;
}

/** What the run's summary takes from the Year rows. */
export interface YearFigures {
  accountsEnriched: number;
  earliest: number | null;
}

/**
 * Merges the partials into the run's snapshot one shard of accounts at a time, so memory holds
 * one shard's buckets, never the whole tenant's. Pass 0 reads each mailbox's partials once and
 * files them by shard on local disk (PartialsByShard); then each shard's rows go to the snapshot
 * writer (its DuckDB) as soon as they are built, and to the ranking, which keeps numbers only;
 * once every row is in, the ranks follow in the same order (`scoresInOrder`) and the writer
 * writes the run's snapshot (one Parquet file, stored in chunks by key; see
 * docs/results-storage.md). No row is held in JavaScript beyond its shard: at 2,500 mailboxes
 * (10,000 accounts, 670,000 rows) the rows kept compressed until the ranks were known were a
 * large part of the worker's peak memory (issue 13).
 */
export function mergeIntoSnapshot(...args: Parameters<typeof merge>): Promise<MergedRun> {
  // Each shard's buckets are promoted and then die together: a heap let grow to twice its live
  // set held that garbage beside DuckDB's staged rows (see withHeapGrowth).
  return withHeapGrowth(MERGE_HEAP_GROWTH_PERCENT, () => merge(...args));
}

/** How far V8's old generation may grow over its live set while a run merges. */
const MERGE_HEAP_GROWTH_PERCENT = 50;

async function merge(
  ctx: RunJobContext,
  run: RunDocument,
  inputs: RunInputs,
  items: WorkItemDocument[],
  accounts: Map<string, DatasetAccount>,
  attributes: readonly string[],
  touch: Touch,
): Promise<MergedRun> {
  const { tenantId, _id: runId } = run;
  const asOf = run.asOf.getTime();
  const shards = run.shards ?? 1;
  const done = items.filter((item) => item.state === 'done');
  const accountsByShard: string[][] = Array.from({ length: shards }, () => []);
  for (const id of [...accounts.keys()].sort()) accountsByShard[shardOf(id, shards)]!.push(id);

  const unmatched: MergedUnmatchedDomains = { blobs: [], fromStates: [] };
  const ranking = new PeriodRanking();
  const year: YearFigures = { accountsEnriched: 0, earliest: null };
  // The snapshot writer's DuckDB opened and every account staged in it.
  const stagedFrom = Date.now();
  const writer = await SnapshotWriter.open({ attributes });
  // What this process wrote of the run is filed already; the rest is read from the database.
  const local = ctx.localPartials.take(runId);
  const byShard = local?.byShard ?? PartialsByShard.create();
  try {
    for (const a of accounts.values()) writer.account({ id: a.accountId, name: a.name, domains: a.domains, attributes: a.attributes });
    const readFrom = Date.now();
    const filedHere = new Set<number>();
    for (const item of done) {
      const unmatchedHere = local?.unmatched.get(item.index);
      if (!item.partialsId || local?.partialsIds.get(item.index) !== item.partialsId || !unmatchedHere?.length) continue;
      filedHere.add(item.index);
      unmatched.blobs.push(unmatchedHere);
    }
    byShard.retain(filedHere);
    // Every other mailbox's partials document is read once: its shard blobs are inflated and
    // filed, its unmatched-domain activity kept compressed.
    await forEachLimited(done.filter((item) => !filedHere.has(item.index)), 8, async (item) => {
      const doc = await ctx.output.getContribution(tenantId, runId, item.index);
      if (!doc) {
        // Written by a version that wrote no document for a mailbox that touched no account.
        if ((item.shards ?? []).length > 0) throw new Error(`The partials of finished mailbox ${item.index} are missing; the run cannot be merged.`);
        unmatched.fromStates.push(item);
        return;
      }
      byShard.fileMailbox(item.index, await inflateShardBlobs({ shards: doc.shards, lengths: doc.lengths, data: doc.data.value(), compressed: doc.compressed }));
      // A copy: the driver's bytes may be a view of the whole document's buffer.
      if (doc.unmatched) unmatched.blobs.push(new Uint8Array(doc.unmatched.value()));
      else unmatched.fromStates.push(item);
    });
    ctx.logger.debug({ runId, filedHere: filedHere.size, readBack: done.length - filedHere.size }, 'partials gathered');
    await touch();
    const rowsFrom = Date.now();
    const threshold = inputs.privacyThreshold ?? null;
    for (let shard = 0; shard < shards; shard++) {
      const slots = new ShardSlots();
      for (const blob of byShard.blobsOf(shard)) slots.add(decodePartialBytes<PackedPartials>(blob));
      for (const id of accountsByShard[shard]!) {
        const rows: Array<AccountRow & WithheldMark> = accountRowsOfSlots({ id, name: accounts.get(id)!.name }, slots.inOrder(id), asOf, inputs.halfLifeDays);
        // Privacy threshold (issue 17): rows under k colleagues publish withheld and take no part in the ranking.
        if (threshold !== null) markWithheldRows(rows, slots.copiesInOrder(id), asOf, threshold);
        for (const r of rows) {
          ranking.add(r, !r.CountsWithheld);
          // Its rank is not known yet: scoresInOrder gives it below.
          writer.add(r, 0, r.CountsWithheld === true);
          if (r.AggregationLevel === 'Year') addYearFigures(year, r);
        }
      }
      await touch();
      // A shard is merged without a wait of its own (its blobs are read and decoded in place):
      // the event loop gets its turn here, or the whole merge ran as one task. V8 does its
      // clean-up work (finishing a collection, giving the grown heap back) in tasks of that loop:
      // without them the heap kept the rows' high-water mark (456 MB) into the snapshot's
      // write, and the worker's peak passed 1 GB (issue 13, 2,500 mailboxes).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const rowsEnd = Date.now();
    byShard.dispose();
    writer.scoresInOrder(ranking.scoresInOrder());
    // The rows' garbage goes before DuckDB's own memory comes (see collectGarbage).
    collectGarbage();
    const from = Date.now();
    const file = await writer.finish({ runId, asOf: run.asOf, privacyThreshold: inputs.privacyThreshold ?? null });
    const savedFrom = Date.now();
    await ctx.output.snapshots.save({ tenantId, enrichmentId: run.enrichmentId, runId }, file.path, file.facts);
    const phasesMs = { accountsStaged: readFrom - stagedFrom, partialsRead: rowsFrom - readFrom, rows: rowsEnd - rowsFrom, ranked: from - rowsEnd, snapshotWritten: savedFrom - from, snapshotStored: Date.now() - savedFrom };
    return { storeMs: Date.now() - from, year, unmatched, phasesMs };
  } finally {
    byShard.dispose();
    writer.close();
  }
}

type YearRowFigures = Pick<ActivityRow, 'NoOfEmails_ToAccount' | 'NoOfEmails_FromAccount' | 'NoOfMeetings_ToAccount' | 'NoOfMeetings_FromAccount' | 'EngagementStartDate'>;

function addYearFigures(year: YearFigures, r: YearRowFigures): void {
  if (r.NoOfEmails_ToAccount + r.NoOfEmails_FromAccount + r.NoOfMeetings_ToAccount + r.NoOfMeetings_FromAccount > 0) year.accountsEnriched++;
  if (r.EngagementStartDate) year.earliest = Math.min(year.earliest ?? Infinity, Date.parse(r.EngagementStartDate));
}
