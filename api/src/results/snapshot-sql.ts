import { DOUBLE, INTEGER, UTINYINT, VARCHAR, type DuckDBValue } from '@duckdb/node-api';
import { chunkRows, quoteIdentifier, resultRows, type BoundParam } from '../platform/duckdb/duckdb-pool';
import { isoOf } from '../snapshots/snapshot-file';
import { columnInfo, NEVER_MEANS_INFINITE, sqlKindOf, type ColumnName, type Level } from './results-columns';
import { ACC, LEVEL_CODE, LEVEL_CODES, NEVER, neverColumn, SCOPE, scopeKey, type LoadedSnapshot } from './snapshot-cache';
import type { DuckDBDataChunk, DuckDBMaterializedResult } from '@duckdb/node-api';

/**
 * The pieces every results query is built from. SQL text comes only from fixed fragments and
 * the column catalogue (identifiers quoted); every value a client sends is a bound parameter of
 * the type of the column it is compared with, so a value can never become SQL and a comparison
 * never needs a cast (DuckDB can then push it into the table scan).
 */

const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;

export class SqlParams {
  readonly list: BoundParam[] = [];

  private add(value: DuckDBValue, type: BoundParam['type']): string {
    this.list.push({ value, type });
    return `$${this.list.length}`;
  }

  /** A whole number, clamped to the INTEGER range (bounds beyond it compare the same once clamped). */
  integer(v: number): string {
    return this.add(Math.min(INT_MAX, Math.max(INT_MIN, Math.trunc(v))), INTEGER);
  }

  double(v: number): string {
    return this.add(v, DOUBLE);
  }

  text(v: string): string {
    return this.add(v, VARCHAR);
  }

  small(v: number): string {
    return this.add(v, UTINYINT);
  }

  /** An ISO date or instant (validated before), compared with an instant column (epoch milliseconds in a loaded snapshot). */
  instant(iso: string): string {
    return this.add(Date.parse(iso), DOUBLE);
  }
}

export const col = (name: ColumnName | string): string => quoteIdentifier(name);

/**
 * Where a level's rows live in a loaded snapshot, and the (integer) condition that selects one
 * period. `change` (the run's score-change table, score-trend.ts) is joined by the account ordinal
 * when the query names ScoreChange: every row of an account carries its Year score's change.
 */
export async function scopeSql(s: LoadedSnapshot, level: Level, period: string | null, p: SqlParams, change?: string | null): Promise<{ from: string; where: string[] }> {
  const joined = (table: string) => (change ? `${table} LEFT JOIN ${change} USING (${ACC})` : table);
  if (level === 'Year') return { from: joined(s.year), where: [] };
  return { from: joined(await s.periods()), where: [period ? `${SCOPE} = ${p.integer(scopeKey(level, period))}` : `${LEVEL_CODE} = ${p.small(LEVEL_CODES[level])}`] };
}

/**
 * One condition of the shared condition language, with the semantics it always had: a
 * comparison never matches an empty value, except that an empty days-since value means
 * "never" (infinitely long ago) and so passes lower bounds (`>`, `>=`). Those bounds read the
 * days-since column where never is stored as the largest number, so they stay plain
 * comparisons. Whole-number columns get whole-number bounds (x > 2.5 ⇔ x > 2).
 */
export function conditionSql(c: { column: ColumnName; operator: string; value?: number | string; valueTo?: number | string }, p: SqlParams): string {
  const name = c.column;
  const column = col(name);
  if (c.operator === 'isEmpty') return `${column} IS NULL`;
  if (c.operator === 'isNotEmpty') return `${column} IS NOT NULL`;
  const kind = sqlKindOf(name);
  const v = c.value!;
  if (kind === 'integer') {
    const n = v as number;
    const never = NEVER_MEANS_INFINITE.has(name);
    // Lower bounds on a days-since column read the column where never is NEVER (the largest INTEGER).
    const lower = never ? col(neverColumn(name)) : column;
    const lowerBound = (x: number) => (never ? Math.min(x, NEVER - 1) : x);
    switch (c.operator) {
      case '=':
        return Number.isInteger(n) ? `${column} = ${p.integer(n)}` : 'FALSE';
      case '>':
        return `${lower} > ${p.integer(lowerBound(Math.floor(n)))}`;
      case '>=':
        return `${lower} >= ${p.integer(never ? Math.min(Math.ceil(n), NEVER) : Math.ceil(n))}`;
      case '<':
        return `${column} < ${p.integer(Math.ceil(n))}`;
      case '<=':
        return `${column} <= ${p.integer(Math.floor(n))}`;
      case 'between':
        return `${column} BETWEEN ${p.integer(Math.ceil(n))} AND ${p.integer(Math.floor(c.valueTo as number))}`;
    }
  }
  const bind = (x: number | string) => (kind === 'double' ? p.double(x as number) : kind === 'instant' ? p.instant(x as string) : p.text(x as string));
  switch (c.operator) {
    case '=':
      return `${column} = ${bind(v)}`;
    case '>':
      return `${column} > ${bind(v)}`;
    case '>=':
      return `${column} >= ${bind(v)}`;
    case '<':
      return `${column} < ${bind(v)}`;
    case '<=':
      return `${column} <= ${bind(v)}`;
    case 'between':
      return `${column} BETWEEN ${bind(v)} AND ${bind(c.valueTo!)}`;
  }
  throw new Error(`Unknown operator ${c.operator}`);
}

/**
 * ORDER BY for the grid: the chosen column (an empty value sorts as the smallest), then AccountId
 * and period ascending; AccountId order is the account ordinal's, which is compared as a number.
 */
export function orderSql(sort: ColumnName, order: 'asc' | 'desc'): string {
  // A change in score sorts "new" (no previous score) last either way: the biggest drops or rises come first.
  const dir = sort === 'ScoreChange' ? `${order.toUpperCase()} NULLS LAST` : order === 'asc' ? 'ASC NULLS FIRST' : 'DESC NULLS LAST';
  if (sort === 'AccountId') return `${ACC} ${order.toUpperCase()}, ${col('AggregationStartDate')} ASC`;
  return `${col(sort)} ${dir}, ${ACC} ASC, ${col('AggregationStartDate')} ASC`;
}

/** A cell as readers get it (booleans: the privacy threshold's CountsWithheld flag). */
type Cell = string | number | boolean | null;

/** The rows of a result as objects of the chosen columns, instants as ISO strings. */
export function rowObjects(result: DuckDBMaterializedResult, columns: readonly ColumnName[]): Array<Record<string, Cell>> {
  return objectsOf(resultRows(result), columns);
}

/** The same for one chunk of a streamed result. */
export function chunkObjects(chunk: DuckDBDataChunk, columns: readonly ColumnName[]): Array<Record<string, Cell>> {
  return objectsOf(chunkRows(chunk), columns);
}

function objectsOf(rows: DuckDBValue[][], columns: readonly ColumnName[]): Array<Record<string, Cell>> {
  const instants = columns.map((c) => columnInfo(c)?.type === 'date');
  return rows.map((values) => {
    const out: Record<string, Cell> = {};
    columns.forEach((c, i) => {
      const v = values[i] ?? null;
      out[c] = instants[i] ? isoOf(v) : typeof v === 'bigint' ? Number(v) : (v as Cell);
    });
    return out;
  });
}

/** The first value of the first row as a number (counts and aggregates). */
export function scalar(result: DuckDBMaterializedResult): number | null {
  const v = resultRows(result)[0]?.[0] ?? null;
  return v === null ? null : Number(v);
}

/** AND of the parts (TRUE when there is none). */
export function whereOf(parts: readonly string[]): string {
  return parts.length ? parts.map((x) => `(${x})`).join(' AND ') : 'TRUE';
}
