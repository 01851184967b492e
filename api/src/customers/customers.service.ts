import { AppError } from '../platform/errors/app-error';
import { resultRows } from '../platform/duckdb/duckdb-pool';
import type { ResultsService } from '../results/results.service';
import { ACC, type LoadedSnapshot } from '../results/snapshot-cache';
import { col, SqlParams } from '../results/snapshot-sql';
import { ROW_SELECT, rowOf } from '../snapshots/snapshot-file';
import { attributeColumn, COUNTS_WITHHELD_COLUMN, scorePartColumn } from '../snapshots/snapshot-schema';
import { scoreBand } from '../runs/domain/engagement-score';
import { CARD_PARTS, explainScore, historySeries, totalsOf, type CardPartName, type CardRow, type PartMedians } from './customer-card';
import type { AccountSearchQuery } from './customers.schema';

/**
 * Customer search and card, read from the enrichment's current snapshot. The medians a card
 * explains its score against are computed once per run (DuckDB's median over the active
 * accounts' Year rows) and kept with the loaded snapshot.
 */
export class CustomersService {
  constructor(private readonly results: ResultsService) {}

  /** The enrichment a list without one reads: the tenant's latest published one (null when none). */
  async listEnrichment(tenantId: string, enrichmentId: string | undefined) {
    if (enrichmentId) return this.results.requireEnrichment(tenantId, enrichmentId);
    const latest = await this.results.runtime.current.latest(tenantId);
    return latest ? this.results.runtime.current.get(tenantId, latest.enrichmentId) : null;
  }

  /** A page of the customer list, of the run `runId` (a cursor's, while kept) or else of the current result. */
  async search(tenantId: string, q: AccountSearchQuery, runId?: string) {
    const page = { offset: q.offset, limit: q.limit };
    const view = await this.listEnrichment(tenantId, q.enrichmentId);
    const found = view ? await this.results.runtime.withRun(view, runId, async (s, run) => ({ runId: run.runId, ...(await this.results.listAccounts(view, s, q)) })) : null;
    return found ? { enrichmentId: view!.enrichmentId, ...page, ...found } : { enrichmentId: view?.enrichmentId ?? null, runId: null, items: [], total: 0, previousAsOf: null, ...page };
  }

  async card(tenantId: string, enrichmentId: string, accountId: string) {
    const view = await this.results.requireEnrichment(tenantId, enrichmentId);
    const card = await this.results.withCurrent(view, async (s, pointer) => {
      const pool = await this.results.runtime.pool();
      const attributes = s.facts.attributes.map((_, i) => col(attributeColumn(i)));
      // The Year row by AccountId (an index), then the account's Week and Month rows by its ordinal (stored together).
      const p = new SqlParams();
      // Each row's privacy flag follows its columns (then, on the Year row, the ordinal and the attributes).
      const withheldFlag = col(COUNTS_WITHHELD_COLUMN);
      const yearResult = await pool.query(`SELECT ${[...ROW_SELECT.map(col), withheldFlag, ACC, ...attributes].join(', ')} FROM ${s.year} WHERE ${col('AccountId')} = ${p.text(accountId)}`, p.list);
      const [yearValues] = resultRows(yearResult);
      if (!yearValues) throw new AppError('not-found', 'This account is not in the enrichment\'s current results; search for it again.');
      const q = new SqlParams();
      const periods = await s.periods();
      const acc = Number(yearValues[ROW_SELECT.length + 1]);
      const [periodsResult, medians, trend] = await Promise.all([
        pool.query(`SELECT ${[...ROW_SELECT.map(col), withheldFlag].join(', ')} FROM ${periods} WHERE ${ACC} = ${q.integer(acc)}`, q.list),
        this.partMedians(s),
        this.results.trend.ofAccount(view, s, acc),
      ]);
      const values = [yearValues, ...resultRows(periodsResult)];
      const rows: CardRow[] = values.map((v) => ({ ...rowOf(v), withheld: v[ROW_SELECT.length] === true }));
      const year = rows[0]!;
      const attributeValues = yearValues.slice(ROW_SELECT.length + 2);
      const accountAttributes: Record<string, string> = {};
      s.facts.attributes.forEach((name, i) => {
        const v = attributeValues[i];
        if (typeof v === 'string' && v) accountAttributes[name] = v;
      });
      const { ScoreParts: parts, withheld, ...yearRow } = year;
      const shown = !withheld;
      return {
        enrichmentId,
        runId: pointer.runId,
        asOf: pointer.asOf.toISOString(),
        account: { id: year.AccountId, name: year.AccountName, attributes: accountAttributes },
        year: { ...yearRow, CountsWithheld: Boolean(withheld) },
        privacyThreshold: s.facts.privacyThreshold ?? null,
        withheld: Boolean(withheld),
        // A withheld Year row has no score, parts or band (the file holds none): nothing to explain.
        score: {
          value: shown ? year.EngagementScore : null,
          medianScore: medians.score,
          parts: shown ? parts : null,
          band: shown ? scoreBand(year.EngagementScore) : null,
          explanation: shown ? explainScore(parts, medians) : [],
        },
        trend,
        totals: totalsOf(year),
        history: { week: historySeries(rows, 'Week', pointer.asOf), month: historySeries(rows, 'Month', pointer.asOf) },
      };
    });
    if (!card) throw new AppError('not-found', 'This enrichment has no results yet: run it, then open the customer again.');
    return card;
  }

  /**
   * Medians of the score and the card's parts over the active accounts (Year rows with raw > 0),
   * once per run. DuckDB's median skips NULLs: a part an active account lacks (no contact that
   * has ended yet) is the median of those that have it, and null when none has it.
   */
  partMedians(s: LoadedSnapshot): Promise<PartMedians> {
    return s.memo('part-medians', async () => {
      const pool = await this.results.runtime.pool();
      const r = resultRows(
        await pool.query(
          `SELECT ${[...CARD_PARTS.map((k) => `median(${col(scorePartColumn(k))})`), `median(${col('EngagementScore')})`].join(', ')} FROM ${s.year} WHERE ${col(scorePartColumn('raw'))} > 0`,
        ),
      )[0]!;
      const at = (i: number) => (r[i] === null || r[i] === undefined ? null : Number(r[i]));
      const medians = Object.fromEntries(CARD_PARTS.map((k, i) => [k, at(i)])) as Record<CardPartName, number | null>;
      return { ...medians, score: at(CARD_PARTS.length) ?? 0 };
    });
  }
}

