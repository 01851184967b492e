import type { AccountRow as DatasetAccount } from '../../datasets/dataset-rows';
import { markWithheldRows, type WithheldMark } from '../domain/privacy-threshold';
import { SnapshotWriter } from '../../snapshots/snapshot-writer';
import type { WorkItemDocument } from '../coordination/coordination.store';
import type { Touch } from '../coordination/work-leases';
import { gatherPartials } from '../domain/account-partials';
import type { ActivityRow } from '../../snapshots/output-entity';
import { accountRows, type AccountRow } from '../domain/account-rows';
import { shardOf } from '../domain/account-shards';
import type { Bucket } from '../domain/engagement-buckets';
import type { RunInputs } from '../domain/run-inputs';
import { PeriodRanking } from '../domain/score-ranking';
import type { RunDocument } from '../lifecycle/runs.store';
import { PartialsByShard, splitShardBlobs } from '../output/partials-by-shard';
import { decodePartial, packInMemory, unpackInMemory, unpackPartials, type PackedPartials } from '../output/partials-codec';
import type { RunJobContext } from './run-jobs';

/** What the run's summary takes from the Year rows. */
export interface YearFigures {
  accountsEnriched: number;
  earliest: number | null;
}

/**
 * Merges the partials into the run's snapshot one shard of accounts at a time, so memory holds
 * one shard's buckets, never the whole tenant's. Pass 0 reads each mailbox's partials once and
 * files them by shard on local disk (PartialsByShard); pass 1 builds each shard's rows, hands them to
 * the ranking (which keeps numbers only) and keeps the rows compressed in memory; pass 2 writes
 * the rows with their rank, in the same order, into the run's snapshot (one Parquet file, stored
 * in chunks by key; see docs/results-storage.md). `storeMs` is the time spent storing it.
 */
export async function mergeIntoSnapshot(
  ctx: RunJobContext,
  run: RunDocument,
  inputs: RunInputs,
  items: WorkItemDocument[],
  accounts: Map<string, DatasetAccount>,
  attributes: readonly string[],
  touch: Touch,
): Promise<{ storeMs: number; year: YearFigures }> {
  const { tenantId, _id: runId } = run;
  const asOf = run.asOf.getTime();
  const shards = run.shards ?? 1;
  const writers = items.filter((item) => item.state === 'done' && (item.shards ?? []).length > 0).map((item) => item.index);
  const accountsByShard: string[][] = Array.from({ length: shards }, () => []);
  for (const id of [...accounts.keys()].sort()) accountsByShard[shardOf(id, shards)]!.push(id);

  const ranking = new PeriodRanking();
  const packed: Buffer[] = [];
  const year: YearFigures = { accountsEnriched: 0, earliest: null };
  const byShard = await PartialsByShard.create();
  try {
    // Each mailbox's partials document is read once and its shard blobs filed, still compressed.
    await forEachLimited(writers, 4, async (index) => {
      const doc = await ctx.output.getContribution(tenantId, runId, index);
      if (!doc) throw new Error(`The partials of finished mailbox ${index} are missing; the run cannot be merged.`);
      for (const [shard, blob] of splitShardBlobs({ shards: doc.shards, lengths: doc.lengths, data: doc.data.value() })) await byShard.add(shard, index, blob);
    });
    await touch();
    for (let shard = 0; shard < shards; shard++) {
      const buckets = new Map<string, Bucket[]>();
      for (const blob of await byShard.blobsOf(shard)) gatherPartials(buckets, unpackPartials(await decodePartial<PackedPartials>(blob)));
      const rows: Array<AccountRow & WithheldMark> = [];
      for (const id of accountsByShard[shard]!) {
        const accountRowList: Array<AccountRow & WithheldMark> = accountRows({ id, name: accounts.get(id)!.name }, buckets.get(id) ?? [], asOf, inputs.halfLifeDays);
        // Privacy threshold (issue 17): rows under k colleagues publish withheld and take no part in the ranking.
        markWithheldRows(accountRowList, buckets.get(id) ?? [], asOf, inputs.privacyThreshold ?? null);
        for (const r of accountRowList) {
          rows.push(r);
          ranking.add(r, !r.CountsWithheld);
          if (r.AggregationLevel === 'Year') addYearFigures(year, r);
        }
      }
      packed.push(await packInMemory(rows));
      await touch();
    }
  } finally {
    await byShard.dispose();
  }

  const writer = await SnapshotWriter.open({ attributes });
  try {
    for (const a of accounts.values()) writer.account({ id: a.accountId, name: a.name, domains: a.domains, attributes: a.attributes });
    for (const buffer of packed) {
      for (const r of await unpackInMemory<Array<AccountRow & WithheldMark>>(buffer)) writer.add(r, ranking.scoreOf(r), r.CountsWithheld === true);
      await touch();
    }
    const from = Date.now();
    const file = await writer.finish({ runId, asOf: run.asOf, privacyThreshold: inputs.privacyThreshold ?? null });
    await ctx.output.snapshots.save({ tenantId, enrichmentId: run.enrichmentId, runId }, file.path, file.facts);
    return { storeMs: Date.now() - from, year };
  } finally {
    writer.close();
  }
}

type YearRowFigures = Pick<ActivityRow, 'NoOfEmails_ToAccount' | 'NoOfEmails_FromAccount' | 'NoOfMeetings_ToAccount' | 'NoOfMeetings_FromAccount' | 'EngagementStartDate'>;

function addYearFigures(year: YearFigures, r: YearRowFigures): void {
  if (r.NoOfEmails_ToAccount + r.NoOfEmails_FromAccount + r.NoOfMeetings_ToAccount + r.NoOfMeetings_FromAccount > 0) year.accountsEnriched++;
  if (r.EngagementStartDate) year.earliest = Math.min(year.earliest ?? Infinity, Date.parse(r.EngagementStartDate));
}

/** Runs `work` over `items` with at most `limit` at once (finalize's reads of partials). */
async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
