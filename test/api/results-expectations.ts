import type { Db } from 'mongodb';
import type { GeneratedRow } from './results-test-support';

/**
 * What the results API should answer, computed in plain JavaScript over the generated rows, so
 * a test never checks the implementation's SQL against itself.
 */

type Value = string | number | null;
const get = (r: GeneratedRow, c: string): Value => (r as unknown as Record<string, Value>)[c] ?? null;

/** An empty value is the smallest; ties by AccountId, then period, ascending (the grid's stable order). */
export function sortedRows(rows: readonly GeneratedRow[], column: string, order: 'asc' | 'desc'): GeneratedRow[] {
  const dir = order === 'asc' ? 1 : -1;
  const cmp = (a: Value, b: Value) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  return [...rows].sort((x, y) => {
    const primary = column === 'AccountId' ? 0 : dir * cmp(get(x, column), get(y, column));
    if (primary !== 0) return primary;
    const id = (column === 'AccountId' ? dir : 1) * cmp(x.AccountId, y.AccountId);
    return id !== 0 ? id : cmp(x.AggregationStartDate, y.AggregationStartDate);
  });
}

/** "At least N days" counts never (null) as infinitely long ago; "at most N days" excludes never. */
export const atLeastDays = (v: number | null, n: number) => v === null || v >= n;
export const atMostDays = (v: number | null, n: number) => v !== null && v <= n;

/** The median as the API computes it: the middle value, or the mean of the two middle ones. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Everything stored about published results, to show that a refused request changed none of it. */
export async function storedResults(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of ['results_snapshots', 'engine_result_pointers', 'engine_user_entities', 'enrichment_segments']) {
    out[name] = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
  }
  out.results_snapshot_chunks = await db.collection('results_snapshot_chunks').find({}, { projection: { _id: 1, part: 1 } }).sort({ _id: 1 }).toArray();
  return out;
}
