import { AppError } from '../platform/errors/app-error';
import { resultRows } from '../platform/duckdb/duckdb-pool';
import { SCORE_CHANGE, type ColumnName } from '../results/results-columns';
import { checkGroup, groupSql, groupUses } from '../results/row-filter';
import type { ResultsService } from '../results/results.service';
import { groupCodeColumn, type LoadedSnapshot } from '../results/snapshot-cache';
import { col, scopeSql, SqlParams, whereOf } from '../results/snapshot-sql';
import { attributeColumn, COUNTS_WITHHELD_COLUMN } from '../snapshots/snapshot-schema';
import type { MeasureRequest } from './measures.schema';

const MAX_GROUPS = 100;

/** The SQL aggregate of each measure; each ignores empty values, as a sales analyst expects. */
const AGGREGATE_SQL: Record<MeasureRequest['aggregate'], (column: string) => string> = {
  count: () => 'count(*)',
  sum: (c) => `sum(${c})`,
  avg: (c) => `avg(${c})`,
  min: (c) => `min(${c})`,
  max: (c) => `max(${c})`,
  median: (c) => `median(${c})`,
};

/**
 * Aggregates of a column over the current result's rows of a level and period (all accounts, a
 * segment or a condition), optionally grouped by one of the dataset's account attributes (then
 * the overall figure and the groups are two DuckDB statements). `count` is the number of matching
 * rows; `value` is the aggregate over the rows where the column has a value (null when none has).
 * A median over a whole scope (no segment, no filter) is computed once per loaded snapshot.
 */
export class MeasuresService {
  constructor(private readonly results: ResultsService) {}

  async attributes(tenantId: string, enrichmentId: string) {
    const e = await this.results.requireEnrichment(tenantId, enrichmentId);
    const fromSnapshot = await this.results.withCurrent(e, async (s) => s.facts.attributes);
    return { attributes: fromSnapshot ?? (await this.results.datasetAttributes(e)) };
  }

  async measure(tenantId: string, enrichmentId: string, r: MeasureRequest) {
    const e = await this.results.requireEnrichment(tenantId, enrichmentId);
    if (r.filter) checkGroup(r.filter, 'body.filter');
    const segment = r.segmentId ? await this.results.lookupSegment(tenantId, enrichmentId, r.segmentId) : null;
    const head = { aggregate: r.aggregate, column: r.column ?? null, groupBy: r.groupBy ?? null };
    const out = await this.results.withCurrent(e, async (s, pointer) => {
      // The attribute is looked up in the snapshot's own list and read by position: its name never reaches SQL.
      const attribute = r.groupBy === undefined ? null : s.facts.attributes.indexOf(r.groupBy);
      if (attribute === -1) throw unknownAttribute(r.groupBy!, s.facts.attributes);
      const level = segment?.level ?? r.level;
      const period = segment?.period ?? r.period ?? (await this.results.latestPeriod(s, level));
      const p = new SqlParams();
      const usesChange = r.column === SCORE_CHANGE || (!!segment && groupUses(segment.root, SCORE_CHANGE)) || (!!r.filter && groupUses(r.filter, SCORE_CHANGE));
      const scope = await scopeSql(s, level, period, p, await this.results.changeTableIf(usesChange, e, s));
      const where = whereOf([...scope.where, ...(segment ? [groupSql(segment.root, p)] : []), ...(r.filter ? [groupSql(r.filter, p)] : [])]);
      const value = AGGREGATE_SQL[r.aggregate](r.column ? col(r.column as ColumnName) : '');
      // Rows whose counts the privacy threshold withheld: their values are NULL in the snapshot, so no aggregate includes them.
      const withheldCount = `count(*) FILTER (WHERE ${col(COUNTS_WITHHELD_COLUMN)})`;
      const pool = await this.results.runtime.pool();
      // Loaded Year rows carry each attribute's group code (its value's rank, empty last): grouping by
      // it is a perfect-hash aggregation (≈ 4× cheaper than by text) and orders ties as the text would.
      const coded = attribute !== null && level === 'Year' && s.yearLoaded;
      const key = attribute === null ? null : col(coded ? groupCodeColumn(attribute) : attributeColumn(attribute));
      const grouped = async () => {
        // The overall figure and the groups as two plain aggregations (GROUPING SETS cost more in DuckDB).
        const [overall, groups, values] = await Promise.all([
          pool.query(`SELECT count(*), ${value}, ${withheldCount} FROM ${scope.from} WHERE ${where}`, p.list).then(resultRows),
          key === null ? null : pool.query(`SELECT ${key}, count(*) AS n, ${value}, ${withheldCount} FROM ${scope.from} WHERE ${where} GROUP BY ${key} ORDER BY n DESC, ${key} NULLS LAST LIMIT ${MAX_GROUPS}`, p.list).then(resultRows),
          coded ? this.groupValues(s, attribute) : null,
        ]);
        const keyOf = (k: unknown): string | null => (values ? (values[Number(k)] ?? null) : ((k as string | null) ?? null));
        return {
          ...figures(overall[0]?.[0] ?? 0, overall[0]?.[1] ?? null, overall[0]?.[2] ?? 0, r.aggregate),
          groups: groups ? groups.map((g) => ({ key: keyOf(g[0]), ...figures(g[1], g[2], g[3], r.aggregate) })) : null,
        };
      };
      // A median sorts (≈ 7 CPU-ms per pass at 100,000 accounts); over a whole scope it is a
      // constant of the (immutable) run, so it is computed once per loaded snapshot.
      const unfiltered = !segment && !r.filter;
      const answer = unfiltered && r.aggregate === 'median' ? await s.memo(`median:${level}:${period ?? ''}:${r.column}:${attribute ?? ''}`, grouped) : await grouped();
      return { runId: pointer.runId, ...head, ...answer };
    });
    if (out) return out;
    if (r.groupBy !== undefined) {
      const known = await this.results.datasetAttributes(e);
      if (!known.includes(r.groupBy)) throw unknownAttribute(r.groupBy, known);
    }
    return { runId: null, ...head, value: null, count: 0, withheldRows: 0, withheld: false, groups: r.groupBy ? [] : null };
  }

  /** Attribute i's values by group code (null for empty), once per loaded snapshot. */
  private groupValues(s: LoadedSnapshot, attribute: number): Promise<Array<string | null>> {
    return s.memo(`group-values:${attribute}`, async () => {
      const pool = await this.results.runtime.pool();
      const code = col(groupCodeColumn(attribute));
      const rows = resultRows(await pool.query(`SELECT ${code}, any_value(${col(attributeColumn(attribute))}) FROM ${s.year} GROUP BY ${code}`));
      const values: Array<string | null> = [];
      for (const [c, v] of rows) values[Number(c)] = (v as string | null) ?? null;
      return values;
    });
  }
}

/**
 * A figure and how many of its rows were withheld. A value over rows that are all withheld is
 * withheld too (null with `withheld`): no colleague set of k or more stands behind it. A count of
 * rows is only the number of accounts (or periods) matched, never a count of their items.
 */
function figures(count: unknown, value: unknown, withheldRows: unknown, aggregate: MeasureRequest['aggregate']): { count: number; value: number | null; withheldRows: number; withheld: boolean } {
  const n = Number(count ?? 0);
  const hidden = Number(withheldRows ?? 0);
  const withheld = aggregate !== 'count' && n > 0 && hidden === n;
  return { count: n, value: withheld || value === null || value === undefined ? null : Number(value), withheldRows: hidden, withheld };
}

function unknownAttribute(name: string, known: readonly string[]): AppError {
  return new AppError('validation', `"${name}" is not an account attribute of the enrichment's dataset; use one of: ${known.join(', ') || '(none)'}.`, {
    fields: [{ path: 'body.groupBy', message: 'unknown attribute' }],
  });
}
