import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Db } from 'mongodb';
import type { DuckDBMaterializedResult } from '@duckdb/node-api';
import type { Response } from 'express';
import type { ResultPointerDocument } from '../runs/output/run-output.store';
import { DatasetsStore } from '../datasets/datasets.store';
import { EnrichmentsStore } from '../enrichments/enrichments.store';
import { RunsStore } from '../runs/lifecycle/runs.store';
import { AppError } from '../platform/errors/app-error';
import { resultRows } from '../platform/duckdb/duckdb-pool';
import { exportEntityParquet } from '../snapshots/snapshot-file';
import { COLUMNS, COLUMN_NAMES, SCORE_CHANGE, STORED_COLUMN_NAMES, withFlag, withFlagIf, type ColumnName, type Level } from './results-columns';
import { groupSql, groupUses, parseFilterParam, type SegmentGroup } from './row-filter';
import { ScoreTrend } from './score-trend';
import { SCORE_BANDS, type ScoreBand } from '../runs/domain/engagement-score';
import type { CsvQuery, PageQuery, RowsPage, StoredRow, ViewQuery } from './results.schema';
import { exportFileName } from './export-file-name';
import { spreadsheetHeader } from '../../../common/i18n/column-labels';
import { uiLocaleFromAcceptLanguage } from '../../../common/i18n/ui-locale';
import { sendCsv } from '../platform/csv/csv-writer';
import type { EnrichmentView } from './current-results';
import type { ResultsRuntime } from './results-runtime';
import { ACC, LEVEL_CODE, LEVEL_CODES, neverColumn, type LoadedSnapshot } from './snapshot-cache';
import { chunkObjects, col, orderSql, rowObjects, scalar, scopeSql, SqlParams, whereOf } from './snapshot-sql';
import { ResultsStore } from './results.store';
import { runEtag } from './run-paging';
import { scorePartColumn, searchNormalise, SEARCH_KEY_COLUMN, SEARCH_SEPARATOR } from '../snapshots/snapshot-schema';
import { AccountSearchIndex } from './account-search-index';

/** A saved segment's evaluation inputs, as the grid needs them (resolved by the segments feature). */
export interface SegmentView {
  level: Level;
  period?: string | undefined;
  root: SegmentGroup;
}
export type SegmentLookup = (tenantId: string, enrichmentId: string, segmentId: string) => Promise<SegmentView>;

/** What a view query asks for, checked and resolved before any snapshot is opened. */
interface ViewSpec {
  level: Level;
  /** The period asked for; a segment without one uses the level's latest period of the run it reads. */
  period: string | null;
  latestPeriod: boolean;
  conditions: Array<(p: SqlParams) => string>;
  /** Normalised search text ('' for none). */
  search: string;
  sort: ColumnName;
  order: 'asc' | 'desc';
  columns: ColumnName[];
  /** The view names ScoreChange (a column, the sort or a condition): its rows are joined with the run's score changes. */
  usesChange: boolean;
}

/** A view applied to one loaded snapshot. */
export interface BoundView {
  from: string;
  where: string;
  params: SqlParams;
  level: Level;
  period: string | null;
  unfiltered: boolean;
}

/** Up to this offset + limit a relevance-ordered customer search reads the snapshot's search index (when built). */
const SEARCH_INDEX_DEPTH = 1000;

/** Each loaded snapshot's customer search index, once built (it goes with the snapshot). */
const searchIndexes = new WeakMap<LoadedSnapshot, AccountSearchIndex>();

/** Up to this offset + limit an unfiltered Year page does not wait for its order's ranked table (a top-N serves it). */
const TOP_N_WITHOUT_RANKS = 500;

export class ResultsService {
  readonly datasets: DatasetsStore;
  readonly enrichments: EnrichmentsStore;
  private readonly runs: RunsStore;
  private readonly users_: ResultsStore;
  private segmentLookup: SegmentLookup | null = null;
  /** Score change since the previous run and score history, from the kept snapshots. */
  readonly trend: ScoreTrend;

  constructor(
    db: Db,
    readonly runtime: ResultsRuntime,
  ) {
    this.datasets = new DatasetsStore(db);
    this.enrichments = new EnrichmentsStore(db);
    this.runs = new RunsStore(db);
    this.users_ = new ResultsStore(db);
    this.trend = new ScoreTrend(runtime);
  }

  /** The run's score-change table when a query needs it (null otherwise: no join, no previous run loaded). */
  changeTableIf(needed: boolean, e: EnrichmentView, s: LoadedSnapshot): Promise<string | null> {
    return needed ? this.trend.changeTable(e, s) : Promise.resolve(null);
  }

  /** Set by the segments feature: the grid's `segmentId` parameter resolves through it. */
  useSegmentLookup(lookup: SegmentLookup): void {
    this.segmentLookup = lookup;
  }

  lookupSegment(tenantId: string, enrichmentId: string, segmentId: string): Promise<SegmentView> {
    if (!this.segmentLookup) throw new AppError('internal', 'Segments are not available.');
    return this.segmentLookup(tenantId, enrichmentId, segmentId);
  }

  requireEnrichment(tenantId: string, enrichmentId: string): Promise<EnrichmentView> {
    return this.runtime.enrichment(tenantId, enrichmentId);
  }

  /** The same, read from MongoDB now: for writes (saving a segment) that must not act on a just-deleted enrichment. */
  async requireEnrichmentNow(tenantId: string, enrichmentId: string): Promise<EnrichmentView> {
    const view = await this.runtime.current.reload(tenantId, enrichmentId);
    if (!view) throw new AppError('not-found', 'This enrichment does not exist (or was deleted); pick another one.');
    return view;
  }

  /** The dataset's account attributes (Industry, Country…) where no snapshot says them. */
  async datasetAttributes(e: EnrichmentView): Promise<string[]> {
    return (await this.datasets.get(e.tenantId, e.datasetId))?.accountAttributes ?? [];
  }

  /** Runs `work` on the enrichment's current snapshot; null before the first result. */
  withCurrent<T>(e: EnrichmentView, work: (s: LoadedSnapshot, pointer: ResultPointerDocument) => Promise<T>): Promise<T | null> {
    return this.runtime.withCurrent(e, work);
  }

  // ---- per-run values, computed once per loaded snapshot ---------------------------------------

  /** A level's periods in a run, newest first. */
  periodsOf(s: LoadedSnapshot, level: Level): Promise<string[]> {
    return s.memo(`periods:${level}`, async () => {
      const pool = await this.runtime.pool();
      if (level === 'Year') {
        const r = await pool.query(`SELECT ${col('AggregationStartDate')} FROM ${s.year} LIMIT 1`);
        return rowObjects(r, ['AggregationStartDate']).map((x) => x.AggregationStartDate as string);
      }
      const p = new SqlParams();
      const r = await pool.query(`SELECT DISTINCT ${col('AggregationStartDate')} FROM ${await s.periods()} WHERE ${LEVEL_CODE} = ${p.small(LEVEL_CODES[level])} ORDER BY 1 DESC`, p.list);
      return rowObjects(r, ['AggregationStartDate']).map((x) => x.AggregationStartDate as string);
    });
  }

  /** The latest period of a level (segments default to it for Week and Month). */
  async latestPeriod(s: LoadedSnapshot, level: Level): Promise<string | null> {
    if (level === 'Year') return null;
    return (await this.periodsOf(s, level))[0] ?? null;
  }

  /** How many rows a run has at a level (and period): the grid's unfiltered total and a segment's denominator. */
  scopeTotal(s: LoadedSnapshot, level: Level, period: string | null): Promise<number> {
    return s.memo(`total:${level}:${period ?? ''}`, async () => {
      const p = new SqlParams();
      const scope = await scopeSql(s, level, period, p);
      return scalar(await (await this.runtime.pool()).query(`SELECT count(*) FROM ${scope.from} WHERE ${whereOf(scope.where)}`, p.list)) ?? 0;
    });
  }

  // ---- views -----------------------------------------------------------------------------------

  /** Checks and resolves the view parameters (filter JSON, segment) before any snapshot is read. */
  async viewSpec(tenantId: string, enrichmentId: string, q: ViewQuery, forcedSegment?: SegmentView): Promise<ViewSpec> {
    let segment = forcedSegment;
    if (!segment && q.segmentId) segment = await this.lookupSegment(tenantId, enrichmentId, q.segmentId);
    const extra = q.filter ? parseFilterParam(q.filter) : null;
    const conditions: ViewSpec['conditions'] = [];
    if (q.scoreMin !== undefined) conditions.push((p) => `${col('EngagementScore')} >= ${p.integer(Math.ceil(q.scoreMin!))}`);
    if (q.scoreMax !== undefined) conditions.push((p) => `${col('EngagementScore')} <= ${p.integer(Math.floor(q.scoreMax!))}`);
    // Change in score since the previous run: a new account (no change) matches neither bound.
    if (q.changeMin !== undefined) conditions.push((p) => `${col(SCORE_CHANGE)} >= ${p.integer(q.changeMin!)}`);
    if (q.changeMax !== undefined) conditions.push((p) => `${col(SCORE_CHANGE)} <= ${p.integer(q.changeMax!)}`);
    // Days since: "at least N days" includes never (the never_ column holds never as the largest number); "at most N days" excludes it.
    for (const [column, min, max] of [['DaysSinceLastEmail', q.emailDaysMin, q.emailDaysMax], ['DaysSinceLastMeeting', q.meetingDaysMin, q.meetingDaysMax]] as const) {
      if (min !== undefined) conditions.push((p) => `${col(neverColumn(column))} >= ${p.integer(min)}`);
      if (max !== undefined) conditions.push((p) => `${col(column)} <= ${p.integer(max)}`);
    }
    if (extra) conditions.push((p) => groupSql(extra, p));
    if (segment) {
      const root = segment.root;
      conditions.push((p) => groupSql(root, p));
    }
    const level = segment?.level ?? q.level;
    const period = segment ? (segment.period ?? null) : q.period ? new Date(q.period).toISOString() : null;
    const columns = q.columns?.length ? (['AccountId', ...q.columns.filter((c) => c !== 'AccountId')] as ColumnName[]) : [...COLUMN_NAMES];
    const search = q.search ? searchNormalise(q.search) : '';
    const usesChange =
      columns.includes(SCORE_CHANGE) || q.sort === SCORE_CHANGE || q.changeMin !== undefined || q.changeMax !== undefined || (!!extra && groupUses(extra, SCORE_CHANGE)) || (!!segment && groupUses(segment.root, SCORE_CHANGE));
    return { level, period, latestPeriod: Boolean(segment) && !period && level !== 'Year', conditions, search, sort: q.sort, order: q.order, columns, usesChange };
  }

  /** The view's FROM and WHERE on one snapshot (search on Week and Month rows matches through the account's Year row). */
  async bind(e: EnrichmentView, s: LoadedSnapshot, v: ViewSpec): Promise<BoundView> {
    const period = v.latestPeriod ? await this.latestPeriod(s, v.level) : v.period;
    const params = new SqlParams();
    const scope = await scopeSql(s, v.level, period, params, await this.changeTableIf(v.usesChange, e, s));
    const parts = [...scope.where, ...v.conditions.map((c) => c(params))];
    if (v.search) {
      const match = `contains(${col(SEARCH_KEY_COLUMN)}, ${params.text(v.search)})`;
      // The search key is on Year rows; Week and Month rows match through their account's.
      parts.push(v.level === 'Year' ? match : `${ACC} IN (SELECT ${ACC} FROM ${s.year} WHERE ${match})`);
    }
    return { from: scope.from, where: whereOf(parts), params, level: v.level, period, unfiltered: v.conditions.length === 0 && !v.search };
  }

  /** One page of the view; of the run `runId` (a cursor's, while kept) or else of the current result. */
  async page(tenantId: string, enrichmentId: string, q: PageQuery, segment?: SegmentView, runId?: string): Promise<RowsPage> {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    const spec = await this.viewSpec(tenantId, enrichmentId, q, segment);
    const head = { offset: q.offset, limit: q.limit, sort: q.sort, order: q.order, columns: spec.columns };
    const out = await this.runtime.withRun(e, runId, async (s, pointer) => {
      const v = await this.bind(e, s, spec);
      const pool = await this.runtime.pool();
      const picked = withFlagIf(s, spec.columns);
      const columns = picked.map(col).join(', ');
      let rows: Promise<DuckDBMaterializedResult>;
      // The whole Year scope in a given order: a page is a range of positions in that order, once
      // that order's table is built. Until then the first pages are a top-N of the Year rows (cheap
      // while offset + limit is small) and the table builds meanwhile; deeper pages wait for it.
      const table = v.unfiltered && v.level === 'Year' ? await this.sortedYear(e, s, spec.sort, spec.order, q.offset + q.limit <= TOP_N_WITHOUT_RANKS) : null;
      if (table) {
        // The page's rows get their change in score by the account ordinal unless the table is sorted by it (and so holds it).
        const change = spec.sort === SCORE_CHANGE ? null : await this.changeTableIf(spec.usesChange, e, s);
        const from = change ? `${table} LEFT JOIN ${change} USING (${ACC})` : table;
        const p = new SqlParams();
        rows = pool.query(`SELECT ${columns} FROM ${from} WHERE rk BETWEEN ${p.integer(q.offset)} AND ${p.integer(q.offset + q.limit - 1)} ORDER BY rk`, p.list);
      } else {
        const countParams = [...v.params.list];
        rows = pool.query(`SELECT ${columns} FROM ${v.from} WHERE ${v.where} ORDER BY ${orderSql(spec.sort, spec.order)} LIMIT ${v.params.integer(q.limit)} OFFSET ${v.params.integer(q.offset)}`, v.params.list);
        if (!v.unfiltered) {
          const [page, count] = await Promise.all([rows, pool.query(`SELECT count(*) FROM ${v.from} WHERE ${v.where}`, countParams).then(scalar)]);
          return { runId: pointer.runId, asOf: pointer.asOf.toISOString(), level: v.level, period: v.period, total: count ?? 0, items: rowObjects(page, picked) };
        }
      }
      // The unfiltered total is a per-run constant; a filtered one is counted each time (above).
      const [rowsResult, total] = await Promise.all([rows, this.scopeTotal(s, v.level, v.period)]);
      return { runId: pointer.runId, asOf: pointer.asOf.toISOString(), level: v.level, period: v.period, total, items: rowObjects(rowsResult, picked) };
    });
    return { ...head, ...(out ?? { runId: null, asOf: null, level: spec.level, period: spec.period, total: 0, items: [] }) };
  }

  /**
   * The Year rows in one grid order with their position (`rk`), kept with the run: an unfiltered
   * page is then a range of `rk`, not a sort of 100,000 rows. The first page asked for in that
   * order starts the build; with `orWithout` the caller does not wait for it (null until it is
   * built): building takes longer than a top-N of the first pages (≈ 0.7 CPU-s at 100,000 accounts).
   */
  private async sortedYear(e: EnrichmentView, s: LoadedSnapshot, sort: ColumnName, order: 'asc' | 'desc', orWithout: boolean): Promise<string | null> {
    const name = `year_by_${sort}_${order}`;
    const built = s.derivedTable(name);
    if (built) return built;
    // The stored columns and the account ordinal; in ScoreChange order it holds the change too (the previous run is then joined once).
    const building = (async () => {
      const change = sort === SCORE_CHANGE ? await this.trend.changeTable(e, s) : null;
      const columns = [ACC, ...withFlag(change ? COLUMN_NAMES : STORED_COLUMN_NAMES).map(col)].join(', ');
      return s.derive(
        name,
        (table) => `CREATE TABLE ${table} AS SELECT (row_number() OVER (ORDER BY ${orderSql(sort, order)}) - 1)::INTEGER AS rk, ${columns} FROM ${change ? `${s.year} LEFT JOIN ${change} USING (${ACC})` : s.year} ORDER BY rk`,
      );
    })();
    if (!orWithout) return building;
    building.catch((e: unknown) => this.runtime.logger.warn({ runId: s.runId, table: name, err: e instanceof Error ? e.message : String(e) }, 'building a sorted Year table failed'));
    return null;
  }

  /**
   * Streams the whole view as CSV (same filter and sort as the grid), chunk by chunk, never
   * buffering it; its header in the reader's language (the query's `locale`, else the
   * Accept-Language header, else English) unless technical names are asked for.
   */
  async exportCsv(tenantId: string, enrichmentId: string, q: CsvQuery, acceptLanguage: string | undefined, res: Response, of?: { segment: SegmentView; subject: string }, etagOf?: (runId: string) => string): Promise<void> {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    const spec = await this.viewSpec(tenantId, enrichmentId, q, of?.segment);
    const locale = q.locale ?? uiLocaleFromAcceptLanguage(acceptLanguage) ?? 'en';
    // With a privacy threshold the last column says which rows' counts it withheld (their cells are empty).
    const headerOf = (columns: readonly ColumnName[]) => (q.header === 'names' ? [...columns] : columns.map((c) => spreadsheetHeader(locale, c)));
    const send = (period: string | null, asOf: Date, rows: AsyncIterable<readonly unknown[]>, columns: readonly ColumnName[] = spec.columns) =>
      sendCsv(res, { name: exportFileName({ entityName: e.entityName, level: spec.level, period, subject: of?.subject ?? 'Accounts', asOf }), columns: headerOf(columns), rows });
    res.setHeader('Vary', 'Accept-Language');
    const done = await this.withCurrent(e, async (s, pointer) => {
      // The ETag names the run actually read (a publish may have happened since the caller's 304 check).
      if (etagOf) res.setHeader('ETag', etagOf(pointer.runId));
      const v = await this.bind(e, s, spec);
      const pool = await this.runtime.pool();
      // A connection of its own: a slow download must not hold one of the pool's.
      const connection = await pool.dedicated();
      try {
        const columns = withFlagIf(s, spec.columns);
        const result = await connection.stream(
          `SELECT ${columns.map(col).join(', ')} FROM ${v.from} WHERE ${v.where} ORDER BY ${orderSql(spec.sort, spec.order)}`,
          v.params.list.map((x) => x.value),
          v.params.list.map((x) => x.type!),
        );
        await send(
          v.period,
          pointer.asOf,
          (async function* () {
            for (;;) {
              const chunk = await result.fetchChunk();
              if (!chunk || chunk.rowCount === 0) return;
              for (const row of chunkObjects(chunk, columns)) yield columns.map((c) => row[c]);
            }
          })(),
          columns,
        );
      } finally {
        connection.closeSync();
      }
      return true;
    });
    if (!done) await send(spec.period, new Date(), (async function* () {})());
  }

  /**
   * The whole output entity (every level and period) as a Parquet file, with the score parts,
   * the account's domains and the dataset's attributes under their own names: what Power BI,
   * Fabric or pandas read directly. Made from the run's stored snapshot (not the copy loaded for
   * queries), with a DuckDB of its own, and streamed from a temporary file.
   */
  async exportParquet(tenantId: string, enrichmentId: string, res: Response): Promise<void> {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    const runId = e.pointer?.runId;
    const stored = runId ? await this.runtime.store.read(tenantId, runId) : null;
    if (!stored) throw new AppError('not-found', 'This enrichment has no results yet: run it, then download again.');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'results-export-'));
    const file = path.join(dir, 'rows.parquet');
    try {
      await exportEntityParquet(stored.bytes, stored.facts, file);
      const stem = e.entityName.replace(/[^A-Za-z0-9_.-]/g, '_');
      res.status(200);
      res.setHeader('Content-Type', 'application/vnd.apache.parquet');
      res.setHeader('Content-Disposition', `attachment; filename="${stem}.parquet"`);
      res.setHeader('Content-Length', String(fs.statSync(file).size));
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('ETag', runEtag(runId!));
      await pipeline(fs.createReadStream(file), res);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  async overview(tenantId: string, enrichmentId: string) {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    const [runs, current] = await Promise.all([
      this.runs.list(tenantId, enrichmentId, 50),
      this.withCurrent(e, async (s, pointer) => {
        const pool = await this.runtime.pool();
        const previewColumns = withFlagIf(s, STORED_COLUMN_NAMES);
        const preview = await pool.query(`SELECT ${previewColumns.map(col).join(', ')} FROM ${s.year} ORDER BY ${orderSql('EngagementScore', 'desc')} LIMIT 10`);
        // The stored columns with their snapshot types (the tests check every answer against storedRowSchema).
        return { pointer, preview: rowObjects(preview, previewColumns) as StoredRow[], attributes: s.facts.attributes, privacyThreshold: s.facts.privacyThreshold ?? null };
      }),
    ]);
    const pointer = current?.pointer ?? null;
    const currentRun = pointer ? (runs.find((r) => r._id === pointer.runId) ?? (await this.runs.get(tenantId, pointer.runId))) : null;
    const last = runs[0] ?? null;
    const summary = currentRun?.summary ?? null;
    return {
      enrichmentId,
      entityName: e.entityName,
      userEntityName: `${e.entityName}_UserEntity`,
      current: pointer ? { runId: pointer.runId, asOf: pointer.asOf.toISOString(), flippedAt: pointer.flippedAt.toISOString() } : null,
      summary,
      yearComplete: (summary?.daysCovered ?? 0) >= 365,
      lastRun: last
        ? { id: last._id, state: last.state, createdAt: last.createdAt.toISOString(), endedAt: last.endedAt?.toISOString() ?? null, durationMs: last.summary?.durationMs ?? (last.endedAt && last.startedAt ? last.endedAt.getTime() - last.startedAt.getTime() : null) }
        : null,
      history: runs
        .filter((r) => r.state === 'completed' && r.summary && r.endedAt)
        .map((r) => ({ runId: r._id, endedAt: r.endedAt!.toISOString(), accountsEnriched: r.summary!.accountsEnriched, emailsProcessed: r.summary!.emailsProcessed, meetingsProcessed: r.summary!.meetingsProcessed }))
        .reverse(),
      preview: current?.preview ?? [],
      privacyThreshold: current?.privacyThreshold ?? null,
      columns: COLUMNS.map((c) => ({ ...c })),
      attributes: current?.attributes ?? (await this.datasetAttributes(e)),
    };
  }

  async periods(tenantId: string, enrichmentId: string, level: Level) {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    const out = await this.withCurrent(e, async (s, pointer) => ({ runId: pointer.runId, level, periods: await this.periodsOf(s, level) }));
    return out ?? { runId: null, level, periods: [] };
  }

  async users(tenantId: string, enrichmentId: string, offset: number, limit: number) {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    const runId = e.pointer?.runId ?? null;
    const head = { runId, entityName: `${e.entityName}_UserEntity`, offset, limit };
    if (!runId) return { ...head, total: 0, items: [] };
    const { total, items } = await this.users_.usersPage(tenantId, enrichmentId, runId, offset, limit);
    return { ...head, total, items: items.map((u) => ({ UserId: u.UserId, Mail: u.Mail })) };
  }

  // ---- accounts (the customers feature reads through these) ---------------------------------

  /**
   * A page of the customer list: accounts whose name, id or one of whose domains contains the
   * term (case and accents ignored), within a score band and a change in score, in the order
   * asked. The default order ranks matches of a term (name starts with it, then an id or a
   * domain starts with it, then the rest) and otherwise goes by name. Every order ends with the
   * name and the id, so pages never overlap. Each account carries its change in score since the
   * previous published run (null: new, or no previous run) and the days since its last contact.
   */
  async listAccounts(e: EnrichmentView, s: LoadedSnapshot, q: AccountListQuery): Promise<AccountListPage> {
    const t = searchNormalise(q.search);
    // A term in the default order with no other filter (what the search box asks): the snapshot's
    // trigram index, once built, finds and ranks the matches; the first such search starts building it.
    const plain = q.sort === 'relevance' && !q.band && q.changeMax === undefined && q.changeMin === undefined && !q.accounts?.length && q.offset + q.limit <= SEARCH_INDEX_DEPTH;
    if (plain) {
      const index = searchIndexes.get(s);
      if (index) return this.listFromIndex(e, s, index, t, q);
      void this.searchIndex(s).catch((err: unknown) => this.runtime.logger.warn({ runId: s.runId, err: err instanceof Error ? err.message : String(err) }, 'building the search index failed'));
    }
    const pool = await this.runtime.pool();
    const change = await this.trend.changeTable(e, s);
    const key = col(SEARCH_KEY_COLUMN);
    const filters = (p: SqlParams): string => {
      const where: string[] = [];
      if (t) where.push(`contains(${key}, ${p.text(t)})`);
      if (q.band) {
        const [low, high] = SCORE_BANDS[q.band];
        where.push(`${col('EngagementScore')} BETWEEN ${p.integer(low)} AND ${p.integer(high)}`);
      }
      if (q.changeMax !== undefined) where.push(`${col(SCORE_CHANGE)} <= ${p.integer(q.changeMax)}`);
      if (q.changeMin !== undefined) where.push(`${col(SCORE_CHANGE)} >= ${p.integer(q.changeMin)}`);
      if (q.accounts?.length) where.push(`${col('AccountId')} IN (${q.accounts.map((id) => p.text(id)).join(', ')})`);
      return whereOf(where);
    };
    const p = new SqlParams();
    const where = filters(p);
    // The key is name, id and domains joined by SEARCH_SEPARATOR: a field starts with the term where the separator precedes it.
    const rank = t ? `CASE WHEN starts_with(${key}, ${p.text(t)}) THEN 0 WHEN contains(${key}, ${p.text(SEARCH_SEPARATOR + t)}) THEN 1 ELSE 2 END` : '';
    const lastContact = col(scorePartColumn('daysSinceLastContact'));
    const order = q.order ?? DEFAULT_ACCOUNT_ORDER[q.sort];
    const dir = order.toUpperCase();
    const byName = `${col('AccountName')}, ${col('AccountId')}`;
    const orderBy = {
      relevance: rank ? `${rank}, ${byName}` : byName,
      name: `${col('AccountName')} ${dir}, ${col('AccountId')} ${dir}`,
      score: `${col('EngagementScore')} ${dir}, ${byName}`,
      // New accounts (no change) and never-contacted ones come last whichever way.
      change: `${col(SCORE_CHANGE)} ${dir} NULLS LAST, ${byName}`,
      lastContact: `${lastContact} ${dir} NULLS LAST, ${byName}`,
    }[q.sort];
    // One scan: the matches are kept, counted once and ordered.
    const rows = resultRows(
      await pool.query(
        `WITH m AS MATERIALIZED (SELECT ${col('AccountId')}, ${col('AccountName')}, ${col('EngagementScore')}, ${key}, ${lastContact}, ${col(SCORE_CHANGE)} FROM ${s.year} LEFT JOIN ${change} USING (${ACC}) WHERE ${where})
         SELECT ${col('AccountId')}, ${col('AccountName')}, ${col('EngagementScore')}, ${col(SCORE_CHANGE)}, ${lastContact}, (SELECT count(*) FROM m) FROM m ORDER BY ${orderBy} LIMIT ${p.integer(q.limit)} OFFSET ${p.integer(q.offset)}`,
        p.list,
      ),
    );
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    // A page past the end still says how many there are.
    const counted = new SqlParams();
    const total = rows.length ? Number(rows[0]![5]) : q.offset === 0 ? 0 : (scalar(await pool.query(`SELECT count(*) FROM ${s.year} LEFT JOIN ${change} USING (${ACC}) WHERE ${filters(counted)}`, counted.list)) ?? 0);
    const items = rows.map(([id, name, score, delta, days]) => ({ id: id as string, name: name as string, score: num(score), change: num(delta), daysSinceLastContact: num(days) }));
    return { items, total, previousAsOf: this.trend.previousRun(e, s)?.asOf.toISOString() ?? null };
  }

  /** A relevance-ordered page of the customer list from the snapshot's search index; the page's changes and last contacts by account. */
  private async listFromIndex(e: EnrichmentView, s: LoadedSnapshot, index: AccountSearchIndex, t: string, q: AccountListQuery): Promise<AccountListPage> {
    const found = index.search(t, q.offset + q.limit, Number.MAX_SAFE_INTEGER);
    const page = found.items.slice(q.offset);
    const previousAsOf = this.trend.previousRun(e, s)?.asOf.toISOString() ?? null;
    if (!page.length) return { items: [], total: found.total, previousAsOf };
    const pool = await this.runtime.pool();
    const change = await this.trend.changeTable(e, s);
    const p = new SqlParams();
    // The page's accounts on both sides of the join: neither table is read beyond them.
    const accs = (): string => page.map((a) => p.integer(a.acc)).join(', ');
    const rows = resultRows(
      await pool.query(
        `SELECT ${ACC}, ${col(SCORE_CHANGE)}, ${col(scorePartColumn('daysSinceLastContact'))} FROM (SELECT ${ACC}, ${col(scorePartColumn('daysSinceLastContact'))} FROM ${s.year} WHERE ${ACC} IN (${accs()})) LEFT JOIN (SELECT * FROM ${change} WHERE ${ACC} IN (${accs()})) USING (${ACC})`,
        p.list,
      ),
    );
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const byAcc = new Map(rows.map(([acc, delta, days]) => [Number(acc), { change: num(delta), daysSinceLastContact: num(days) }]));
    return {
      items: page.map((a) => ({ id: a.id, name: a.name, score: a.score, change: byAcc.get(a.acc)?.change ?? null, daysSinceLastContact: byAcc.get(a.acc)?.daysSinceLastContact ?? null })),
      total: found.total,
      previousAsOf,
    };
  }

  /** The snapshot's account search index, built once from its Year rows (with the accounts' order by name). */
  private searchIndex(s: LoadedSnapshot): Promise<AccountSearchIndex> {
    return s.memo('search-index', async () => {
      const pool = await this.runtime.pool();
      // Whole columns as JSON arrays (one value each): much cheaper to bring into JavaScript than 100,000 rows of values.
      const [row] = resultRows(
        await pool.query(
          `WITH y AS (SELECT ${col('AccountId')}, ${col('AccountName')}, ${col('EngagementScore')}, ${col(SEARCH_KEY_COLUMN)}, ${ACC}, (row_number() OVER (ORDER BY ${ACC}) - 1)::INTEGER AS pos FROM ${s.year})
           SELECT to_json(list(coalesce(${col(SEARCH_KEY_COLUMN)}, '') ORDER BY pos))::VARCHAR, to_json(list([${col('AccountId')}, ${col('AccountName')}, ${ACC}::VARCHAR] ORDER BY pos))::VARCHAR,
                  to_json(list(${col('EngagementScore')} ORDER BY pos))::VARCHAR, to_json(list(pos ORDER BY ${col('AccountName')}, ${col('AccountId')}))::VARCHAR FROM y`,
        ),
      );
      const parse = <T>(v: unknown): T => JSON.parse((v as string | null) ?? '[]') as T;
      const keys = parse<string[]>(row?.[0]);
      const names = parse<Array<[string, string, string]>>(row?.[1]);
      const scores = parse<Array<number | null>>(row?.[2]);
      // A withheld Year row (privacy threshold) has no score: null, never 0.
      const accounts = names.map(([id, name, acc], i) => ({ id, name, acc: Number(acc), score: scores[i] === null || scores[i] === undefined ? null : Number(scores[i]) }));
      const index = await AccountSearchIndex.build(keys, accounts, Int32Array.from(parse<number[]>(row?.[3])));
      s.hold(index.sizeBytes);
      searchIndexes.set(s, index);
      return index;
    });
  }
}

export const ACCOUNT_SORTS = ['relevance', 'name', 'score', 'change', 'lastContact'] as const;
export type AccountSort = (typeof ACCOUNT_SORTS)[number];
/** Each order's natural direction: best score, biggest rise and latest contact first. */
const DEFAULT_ACCOUNT_ORDER: Record<AccountSort, 'asc' | 'desc'> = { relevance: 'asc', name: 'asc', score: 'desc', change: 'desc', lastContact: 'asc' };

export interface AccountListQuery {
  search: string;
  sort: AccountSort;
  order?: 'asc' | 'desc' | undefined;
  band?: ScoreBand | undefined;
  changeMin?: number | undefined;
  changeMax?: number | undefined;
  /** Only these accounts (an alert's link opens the customer list filtered to its accounts). */
  accounts?: readonly string[] | undefined;
  offset: number;
  limit: number;
}

export interface AccountListPage {
  /** `score` is null where the privacy threshold withheld the account's Year row. */
  items: Array<{ id: string; name: string; score: number | null; change: number | null; daysSinceLastContact: number | null }>;
  total: number;
  /** The as-of of the run changes are measured against; null when this is the first kept run. */
  previousAsOf: string | null;
}
