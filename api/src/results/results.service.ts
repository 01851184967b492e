import type { Db, Filter, Sort } from 'mongodb';
import type { Response } from 'express';
import type { OutputRowDocument } from '../engine/engine-results.store';
import { EnrichmentsStore, type EnrichmentDocument } from '../enrichments/enrichments.store';
import { DatasetsStore } from '../datasets/datasets.store';
import { RunsStore } from '../runs/runs.store';
import { AppError } from '../platform/errors/app-error';
import { COLUMNS, COLUMN_NAMES, type ColumnName, type Level } from './results-columns';
import { groupFilter, parseFilterParam, type SegmentGroup } from './row-filter';
import { ResultsStore, type CurrentResult } from './results.store';
import type { PageQuery, RowsPage, ViewQuery } from './results.schema';
import { sendCsv } from '../platform/csv/csv-writer';
import { AccountAttributes } from './account-attributes';
import { RunScopedCache, runScopedKey } from './run-scoped-cache';

/** A saved segment's evaluation inputs, as the grid needs them (resolved by the segments feature). */
export interface SegmentView {
  level: Level;
  period?: string | undefined;
  root: SegmentGroup;
}
export type SegmentLookup = (tenantId: string, enrichmentId: string, segmentId: string) => Promise<SegmentView>;

export interface ResolvedView {
  current: CurrentResult | null;
  filter: Filter<OutputRowDocument>;
  level: Level;
  period: string | null;
  sort: Sort;
  projection: Record<string, 0 | 1>;
  columns: ColumnName[];
  /** true when the filter is the level/period scope alone (no score, days, search, filter or segment condition). */
  unfiltered: boolean;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Lower and upper bounds on a days-since column where null means "never" (infinitely long ago). */
function daysRange(field: ColumnName, min: number | undefined, max: number | undefined): Filter<OutputRowDocument>[] {
  const out: Filter<OutputRowDocument>[] = [];
  if (min !== undefined) out.push({ $or: [{ [field]: { $gte: min } }, { [field]: null }] });
  if (max !== undefined) out.push({ [field]: { $lte: max, $ne: null } });
  return out;
}

export class ResultsService {
  readonly store: ResultsStore;
  readonly enrichments: EnrichmentsStore;
  readonly datasets: DatasetsStore;
  readonly accountAttributes: AccountAttributes;
  private readonly runs: RunsStore;
  private segmentLookup: SegmentLookup | null = null;
  private readonly periodLists = new RunScopedCache<string[]>(500);
  private readonly scopeTotals = new RunScopedCache<number>(2000);

  constructor(db: Db) {
    this.store = new ResultsStore(db);
    this.enrichments = new EnrichmentsStore(db);
    this.datasets = new DatasetsStore(db);
    this.runs = new RunsStore(db);
    this.accountAttributes = new AccountAttributes(db);
  }

  /** Set by the segments feature: the grid's `segmentId` parameter resolves through it. */
  useSegmentLookup(lookup: SegmentLookup): void {
    this.segmentLookup = lookup;
  }

  lookupSegment(tenantId: string, enrichmentId: string, segmentId: string): Promise<SegmentView> {
    if (!this.segmentLookup) throw new AppError('internal', 'Segments are not available.');
    return this.segmentLookup(tenantId, enrichmentId, segmentId);
  }

  async requireEnrichment(tenantId: string, enrichmentId: string): Promise<EnrichmentDocument> {
    const e = await this.enrichments.get(tenantId, enrichmentId);
    if (!e) throw new AppError('not-found', 'This enrichment does not exist (or was deleted); pick another one.');
    return e;
  }

  /** The dataset's extra account columns (Industry, Country…), for grouping measures. */
  async attributes(enrichment: EnrichmentDocument): Promise<string[]> {
    const ds = await this.datasets.get(enrichment.tenantId, enrichment.datasetId);
    return ds?.accountAttributes ?? [];
  }

  async overview(tenantId: string, enrichmentId: string) {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    const [current, runs, attributes] = await Promise.all([this.store.current(tenantId, enrichmentId), this.runs.list(tenantId, enrichmentId, 50), this.attributes(e)]);
    const currentRun = current ? runs.find((r) => r._id === current.runId) ?? (await this.runs.get(tenantId, current.runId)) : null;
    const last = runs[0] ?? null;
    const preview = current
      ? await this.store.page({ ...ResultsStore.base(tenantId, enrichmentId, current.runId), AggregationLevel: 'Year' }, { EngagementScore: -1, AccountId: 1 }, projectionOf(COLUMN_NAMES), 0, 10)
      : [];
    const summary = currentRun?.summary ?? null;
    return {
      enrichmentId,
      entityName: e.entityName,
      userEntityName: `${e.entityName}_UserEntity`,
      current: current ? { runId: current.runId, asOf: current.asOf.toISOString(), flippedAt: current.flippedAt.toISOString() } : null,
      summary,
      yearComplete: (summary?.daysCovered ?? 0) >= 365,
      lastRun: last
        ? { id: last._id, state: last.state, createdAt: last.createdAt.toISOString(), endedAt: last.endedAt?.toISOString() ?? null, durationMs: last.summary?.durationMs ?? (last.endedAt && last.startedAt ? last.endedAt.getTime() - last.startedAt.getTime() : null) }
        : null,
      history: runs
        .filter((r) => r.state === 'completed' && r.summary && r.endedAt)
        .map((r) => ({ runId: r._id, endedAt: r.endedAt!.toISOString(), accountsEnriched: r.summary!.accountsEnriched, emailsProcessed: r.summary!.emailsProcessed, meetingsProcessed: r.summary!.meetingsProcessed }))
        .reverse(),
      preview: preview.map((r) => pick(r, COLUMN_NAMES)),
      columns: COLUMNS.map((c) => ({ ...c })),
      attributes,
    };
  }

  async periods(tenantId: string, enrichmentId: string, level: Level) {
    await this.requireEnrichment(tenantId, enrichmentId);
    const current = await this.store.current(tenantId, enrichmentId);
    return { runId: current?.runId ?? null, level, periods: current ? await this.periodsOf(tenantId, enrichmentId, current.runId, level) : [] };
  }

  /** A run's periods of a level, newest first (read once per run: a distinct over all its rows). */
  periodsOf(tenantId: string, enrichmentId: string, runId: string, level: Level): Promise<string[]> {
    return this.periodLists.get(runScopedKey(tenantId, enrichmentId, runId, level), () => this.store.periods(tenantId, enrichmentId, runId, level));
  }

  /** How many rows a run has at a level (and period): the grid's total and a segment's denominator. */
  scopeTotal(tenantId: string, enrichmentId: string, runId: string, level: Level, period: string | null): Promise<number> {
    return this.scopeTotals.get(runScopedKey(tenantId, enrichmentId, runId, level, period), () =>
      this.store.count({ ...ResultsStore.base(tenantId, enrichmentId, runId), AggregationLevel: level, ...(period ? { AggregationStartDate: period } : {}) }),
    );
  }

  /** The latest period of a level (segments default to it for Week and Month). */
  async latestPeriod(tenantId: string, enrichmentId: string, runId: string, level: Level): Promise<string | null> {
    if (level === 'Year') return null;
    return (await this.periodsOf(tenantId, enrichmentId, runId, level))[0] ?? null;
  }

  /**
   * Turns the validated view parameters into one MongoDB filter, sort and projection. Only
   * catalogue column names and numbers/strings parsed by zod end up in it.
   */
  async resolveView(tenantId: string, enrichmentId: string, q: ViewQuery, forcedSegment?: SegmentView): Promise<ResolvedView> {
    await this.requireEnrichment(tenantId, enrichmentId);
    let segment = forcedSegment;
    if (!segment && q.segmentId) segment = await this.lookupSegment(tenantId, enrichmentId, q.segmentId);
    const extra = q.filter ? parseFilterParam(q.filter) : null;
    const current = await this.store.current(tenantId, enrichmentId);
    const level = segment?.level ?? q.level;
    let period = segment ? segment.period ?? null : q.period ? new Date(q.period).toISOString() : null;
    if (segment && !period && current) period = await this.latestPeriod(tenantId, enrichmentId, current.runId, level);
    const and: Filter<OutputRowDocument>[] = [];
    if (q.scoreMin !== undefined) and.push({ EngagementScore: { $gte: q.scoreMin } });
    if (q.scoreMax !== undefined) and.push({ EngagementScore: { $lte: q.scoreMax } });
    and.push(...daysRange('DaysSinceLastEmail', q.emailDaysMin, q.emailDaysMax));
    and.push(...daysRange('DaysSinceLastMeeting', q.meetingDaysMin, q.meetingDaysMax));
    const term = q.search?.trim();
    if (term) and.push({ $or: [{ AccountName: { $regex: `^${escapeRegex(term)}`, $options: 'i' } }, { AccountId: term }] });
    if (extra) and.push(groupFilter(extra));
    if (segment) and.push(groupFilter(segment.root));
    const filter: Filter<OutputRowDocument> = {
      ...ResultsStore.base(tenantId, enrichmentId, current?.runId ?? ''),
      AggregationLevel: level,
      ...(period ? { AggregationStartDate: period } : {}),
      ...(and.length ? { $and: and } : {}),
    };
    const dir = q.order === 'asc' ? 1 : -1;
    // Stable order: the chosen column, then AccountId and period ascending (unique per run+level).
    const sort: Sort = q.sort === 'AccountId' ? { AccountId: dir, AggregationStartDate: 1 } : { [q.sort]: dir, AccountId: 1, AggregationStartDate: 1 };
    const columns = q.columns?.length ? (['AccountId', ...q.columns.filter((c) => c !== 'AccountId')] as ColumnName[]) : [...COLUMN_NAMES];
    return { current, filter, level, period, sort, projection: projectionOf(columns), columns, unfiltered: and.length === 0 };
  }

  async page(tenantId: string, enrichmentId: string, q: PageQuery, segment?: SegmentView): Promise<RowsPage> {
    const v = await this.resolveView(tenantId, enrichmentId, q, segment);
    const head = { runId: v.current?.runId ?? null, asOf: v.current?.asOf.toISOString() ?? null, level: v.level, period: v.period, offset: q.offset, limit: q.limit, sort: q.sort, order: q.order, columns: v.columns };
    if (!v.current) return { ...head, total: 0, items: [] };
    const current = v.current;
    // The unfiltered total is a per-run constant; a filtered one is counted each time.
    const total = v.unfiltered ? this.scopeTotal(tenantId, enrichmentId, current.runId, v.level, v.period) : this.store.count(v.filter);
    const [docs, n] = await Promise.all([this.store.page(v.filter, v.sort, v.projection, q.offset, q.limit), total]);
    return { ...head, total: n, items: docs.map((d) => pick(d, v.columns)) };
  }

  /** Streams the whole view as CSV (same filter and sort as the grid), never buffering it. */
  async exportCsv(tenantId: string, enrichmentId: string, q: ViewQuery, res: Response, segment?: SegmentView, fileStem?: string): Promise<void> {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    const v = await this.resolveView(tenantId, enrichmentId, q, segment);
    const name = `${fileStem ?? e.entityName}-${v.level}`.replace(/[^A-Za-z0-9_.-]/g, '_');
    const source = v.current ? this.store.stream(v.filter, v.sort, v.projection) : (async function* () {})();
    const columns = v.columns;
    await sendCsv(res, {
      name: `${name}.csv`,
      columns,
      rows: (async function* () {
        for await (const d of source) {
          const r = d as unknown as Record<string, unknown>;
          yield columns.map((c) => r[c]);
        }
      })(),
    });
  }

  async users(tenantId: string, enrichmentId: string, offset: number, limit: number) {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    const current = await this.store.current(tenantId, enrichmentId);
    const head = { runId: current?.runId ?? null, entityName: `${e.entityName}_UserEntity`, offset, limit };
    if (!current) return { ...head, total: 0, items: [] };
    const { total, items } = await this.store.usersPage(tenantId, enrichmentId, current.runId, offset, limit);
    return { ...head, total, items: items.map((u) => ({ UserId: u.UserId, Mail: u.Mail })) };
  }
}

export function projectionOf(columns: readonly ColumnName[]): Record<string, 0 | 1> {
  return Object.fromEntries([['_id', 0], ...columns.map((c) => [c, 1])]);
}

export function pick(doc: OutputRowDocument, columns: readonly ColumnName[]): Record<string, string | number | null> {
  const r = doc as unknown as Record<string, string | number | null | undefined>;
  return Object.fromEntries(columns.map((c) => [c, r[c] ?? null]));
}
