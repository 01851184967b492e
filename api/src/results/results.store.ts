import type { Collection, Db, Filter, Sort } from 'mongodb';
import {
  outputRowsCollection,
  resultPointersCollection,
  userEntitiesCollection,
  type OutputRowDocument,
  type ResultPointerDocument,
  type UserEntityDocument,
} from '../engine/engine-results.store';
import { findByKey } from '../platform/db/by-key';
import type { CollectionSpec } from '../platform/db/collection-spec';
import type { ColumnName, Level } from './results-columns';

/**
 * Read side of the engine's output (issue 4 owns the writes). Every query is pinned to the
 * run named by the enrichment's result pointer, read once per request, so a reader sees the old
 * result or the new one, never a mix.
 *
 * The indexes readers need live here, under names of their own, on the engine's collection:
 * tenant + enrichment + run + level + period lead every compound index (every query has them as
 * equalities), then the sort column, then AccountId for the stable tiebreak.
 */
const readerPrefix = { tenantId: 1, enrichmentId: 1, runId: 1, AggregationLevel: 1, AggregationStartDate: 1 } as const;
const sortIndexed: ColumnName[] = ['EngagementScore', 'AccountName', 'DaysSinceLastEmail', 'DaysSinceLastMeeting', 'NoOfEmails_ToAccount', 'NoOfEmails_FromAccount'];

export const resultsReadIndexes: CollectionSpec = {
  name: outputRowsCollection.name,
  indexes: [
    { name: 'results_period_account', key: { ...readerPrefix, AccountId: 1 } },
    ...sortIndexed.map((c) => ({ name: `results_period_${c}`, key: { ...readerPrefix, [c]: 1, AccountId: 1 } })),
    // The customer card reads all rows of one account of the current run.
    { name: 'results_account_rows', key: { tenantId: 1, enrichmentId: 1, runId: 1, AccountId: 1, AggregationLevel: 1 } },
  ],
};

export interface CurrentResult {
  runId: string;
  asOf: Date;
  flippedAt: Date;
}

export class ResultsStore {
  readonly rows: Collection<OutputRowDocument>;
  readonly users: Collection<UserEntityDocument>;
  private readonly pointers: Collection<ResultPointerDocument>;

  constructor(db: Db) {
    this.rows = db.collection<OutputRowDocument>(outputRowsCollection.name);
    this.users = db.collection<UserEntityDocument>(userEntitiesCollection.name);
    this.pointers = db.collection<ResultPointerDocument>(resultPointersCollection.name);
  }

  async current(tenantId: string, enrichmentId: string): Promise<CurrentResult | null> {
    const p = await findByKey(this.pointers, `${tenantId}:${enrichmentId}`, tenantId);
    return p ? { runId: p.runId, asOf: p.asOf, flippedAt: p.flippedAt } : null;
  }

  /** The tenant's most recently published result (the customer search's default enrichment). */
  async latestPointer(tenantId: string): Promise<ResultPointerDocument | null> {
    return this.pointers.find({ tenantId }).sort({ flippedAt: -1 }).limit(1).next();
  }

  /** The fixed part of every read: tenant, enrichment and the pointer's run. */
  static base(tenantId: string, enrichmentId: string, runId: string): Filter<OutputRowDocument> {
    return { tenantId, enrichmentId, runId };
  }

  async page(filter: Filter<OutputRowDocument>, sort: Sort, projection: Record<string, 0 | 1>, offset: number, limit: number): Promise<OutputRowDocument[]> {
    return this.rows.find(filter, { projection }).sort(sort).skip(offset).limit(limit).toArray();
  }

  count(filter: Filter<OutputRowDocument>): Promise<number> {
    return this.rows.countDocuments(filter);
  }

  stream(filter: Filter<OutputRowDocument>, sort: Sort, projection: Record<string, 0 | 1>): AsyncIterable<OutputRowDocument> {
    return this.rows.find(filter, { projection }).sort(sort).batchSize(1000);
  }

  async periods(tenantId: string, enrichmentId: string, runId: string, level: Level): Promise<string[]> {
    const values = (await this.rows.distinct('AggregationStartDate', { tenantId, enrichmentId, runId, AggregationLevel: level })) as string[];
    return values.sort().reverse();
  }

  accountRows(tenantId: string, enrichmentId: string, runId: string, accountId: string): Promise<OutputRowDocument[]> {
    return this.rows.find({ tenantId, enrichmentId, runId, AccountId: accountId }, { projection: { _id: 0 } }).toArray();
  }

  async usersPage(tenantId: string, enrichmentId: string, runId: string, offset: number, limit: number): Promise<{ total: number; items: UserEntityDocument[] }> {
    const filter = { tenantId, enrichmentId, runId };
    const [items, total] = await Promise.all([
      this.users.find(filter, { projection: { _id: 0 } }).sort({ Mail: 1 }).skip(offset).limit(limit).toArray(),
      this.users.countDocuments(filter),
    ]);
    return { total, items };
  }

  /**
   * Sum of a number column over the matching rows ($group/$sum in MongoDB) and how many rows
   * have a value. The count is a separate countDocuments: FerretDB 1.24 answers 0 for a
   * `{$sum: 1}` accumulator.
   */
  async sum(filter: Filter<OutputRowDocument>, column: ColumnName): Promise<{ sum: number; n: number }> {
    const match: Filter<OutputRowDocument> = { $and: [filter, { [column]: { $ne: null } }] };
    const [[r], n] = await Promise.all([
      this.rows.aggregate<{ s: number }>([{ $match: match }, { $group: { _id: null, s: { $sum: `$${column}` } } }]).toArray(),
      this.rows.countDocuments(match),
    ]);
    return { sum: r?.s ?? 0, n };
  }

  /**
   * Min or max by a sorted, limited find: FerretDB's $group has no $min/$max, and with an index
   * on the column this is one index probe on MongoDB.
   */
  async extreme(filter: Filter<OutputRowDocument>, column: ColumnName, which: 'min' | 'max'): Promise<number | null> {
    const doc = await this.rows
      .find({ $and: [filter, { [column]: { $ne: null } }] }, { projection: { [column]: 1 } })
      .sort({ [column]: which === 'min' ? 1 : -1 })
      .limit(1)
      .next();
    return doc ? ((doc as unknown as Record<string, number>)[column] ?? null) : null;
  }

  /** The value at a rank of a number field (for medians), by sort + skip in MongoDB. */
  async valueAtRank(filter: Filter<OutputRowDocument>, field: string, rank: number): Promise<number | null> {
    const doc = await this.rows.find(filter, { projection: { [field]: 1 } }).sort({ [field]: 1 }).skip(rank).limit(1).next();
    if (!doc) return null;
    const v = field.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc);
    return typeof v === 'number' ? v : null;
  }
}
