import type { KeptRun } from '../runs/output/run-output.store';
import { resultRows } from '../platform/duckdb/duckdb-pool';
import type { EnrichmentView } from './current-results';
import type { ResultsRuntime } from './results-runtime';
import { ACC, type LoadedSnapshot } from './snapshot-cache';
import { col, SqlParams } from './snapshot-sql';

/**
 * How an account's Year score moves from one published run to the next, read from the kept
 * snapshots (docs/results-storage.md, "Kept runs"):
 *
 * - `ScoreChange`: the Year score of a run minus the account's Year score in the run published
 *   just before it; null when the account was not in that run ("new") or there is none (the
 *   first run). A column of the catalogue computed at read time: the join of the two runs' Year
 *   rows by AccountId, built once per loaded snapshot as a small table (acc, ScoreChange) that
 *   readers join by the account ordinal when a query names the column.
 * - The score history: the account's Year score in each kept run up to this one, oldest first,
 *   built once per loaded snapshot (acc, history) the first time a card asks for it.
 *
 * Runs are immutable and a run's predecessors never change, so both tables belong to the
 * snapshot they were built for and go when it is evicted.
 */

/** The kept runs published before `runId`, newest first (empty when it is the first, or not kept). */
export function runsBefore(kept: readonly KeptRun[], runId: string): KeptRun[] {
  const at = kept.findIndex((k) => k.runId === runId);
  return at === -1 ? [] : kept.slice(at + 1);
}

export class ScoreTrend {
  constructor(private readonly runtime: ResultsRuntime) {}

  /** The run before `s` (null when none is kept). */
  previousRun(e: EnrichmentView, s: LoadedSnapshot): KeptRun | null {
    return runsBefore(e.pointer?.kept ?? [], s.runId)[0] ?? null;
  }

  /** The (acc, ScoreChange) table of a snapshot: loads the previous run's snapshot the first time only. */
  changeTable(e: EnrichmentView, s: LoadedSnapshot): Promise<string> {
    return s.memo('score-change', async () => {
      const previous = this.previousRun(e, s);
      const score = col('EngagementScore');
      if (!previous) return s.derive('score_change', (t) => `CREATE TABLE ${t} AS SELECT ${ACC}, NULL::INTEGER AS ${col('ScoreChange')} FROM ${s.year}`);
      return this.runtime.withKeptRuns(e.tenantId, e.enrichmentId, [previous.runId], ([before]) =>
        s.derive(
          'score_change',
          (t) =>
            `CREATE TABLE ${t} AS SELECT y.${ACC}, (y.${score} - b.${score})::INTEGER AS ${col('ScoreChange')} FROM ${s.year} y LEFT JOIN ${before!.year} b ON b.${col('AccountId')} = y.${col('AccountId')}`,
        ),
        { yearOnly: true },
      );
    });
  }

  /** The (acc, history) table of a snapshot: each account's Year score in every kept run up to this one, oldest first. */
  private historyTable(e: EnrichmentView, s: LoadedSnapshot): Promise<{ table: string; runs: KeptRun[] }> {
    return s.memo('score-history', async () => {
      const earlier = runsBefore(e.pointer?.kept ?? [], s.runId);
      const self = (e.pointer?.kept ?? []).find((k) => k.runId === s.runId) ?? { runId: s.runId, asOf: new Date(s.facts.asOf), publishedAt: new Date(s.facts.asOf) };
      const runs = [...earlier].reverse().concat(self);
      const score = col('EngagementScore');
      const build = (others: LoadedSnapshot[]) =>
        s.derive('score_history', (t) => {
          // Oldest first: the earlier runs (their join aliases b0…), then this run's own score.
          const joins = others.map((o, i) => `LEFT JOIN ${o.year} b${i} ON b${i}.${col('AccountId')} = y.${col('AccountId')}`).join(' ');
          const scores = [...others.map((_, i) => `b${i}.${score}`), `y.${score}`].join(', ');
          return `CREATE TABLE ${t} AS SELECT y.${ACC}, list_value(${scores})::INTEGER[] AS history FROM ${s.year} y ${joins}`;
        });
      const table = earlier.length ? await this.runtime.withKeptRuns(e.tenantId, e.enrichmentId, runs.slice(0, -1).map((r) => r.runId), build, { yearOnly: true }) : await build([]);
      return { table, runs };
    });
  }

  /** One account's change since the previous run and its Year score over the kept runs (oldest first). */
  async ofAccount(e: EnrichmentView, s: LoadedSnapshot, acc: number) {
    const pool = await this.runtime.pool();
    const [change, history] = await Promise.all([this.changeTable(e, s), this.historyTable(e, s)]);
    const p = new SqlParams();
    const at = p.integer(acc);
    const [row] = resultRows(await pool.query(`SELECT c.${col('ScoreChange')}, h.history FROM ${change} c JOIN ${history.table} h USING (${ACC}) WHERE c.${ACC} = ${at}`, p.list));
    const scores = listOf(row?.[1]);
    const previous = this.previousRun(e, s);
    const value = row?.[0];
    return {
      /** Null when the account is new since the previous run, or there is no previous run. */
      change: value === null || value === undefined ? null : Number(value),
      previousAsOf: previous ? previous.asOf.toISOString() : null,
      history: history.runs.map((r, i) => ({ runId: r.runId, asOf: r.asOf.toISOString(), score: scores[i] ?? null })),
    };
  }
}

/** A DuckDB LIST value as numbers (null elements kept). */
function listOf(v: unknown): Array<number | null> {
  const items = (v as { items?: unknown[] } | null | undefined)?.items ?? [];
  return items.map((x) => (x === null || x === undefined ? null : Number(x)));
}
