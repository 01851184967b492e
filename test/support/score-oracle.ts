/**
 * Comparing the engine's scores with the simulator's oracle: every score term against the
 * oracle's per-item terms. (Ranking is the product's own `rankRows`, in the runs domain.)
 */
import type { AccountRow } from '../../api/src/runs/domain/account-rows';
import { SCORE_PART_FIELDS, type ScoreParts } from '../../api/src/snapshots/output-entity';
import type { ExpectedScoreTerms } from '../../simulator/src/tenant/expected-aggregates';

type RowKey = Pick<AccountRow, 'AccountId' | 'AggregationLevel' | 'AggregationStartDate'>;
export const scoreRowKey = (r: RowKey) => `${r.AccountId}|${r.AggregationLevel}|${r.AggregationStartDate}`;

/** Doubles agree to 1e-9 relative (the engine keeps each item's decay to 7e-12); counts and days exactly. */
function sameTerm(name: keyof ExpectedScoreTerms, engine: number | null, oracle: number | null): boolean {
  const field = SCORE_PART_FIELDS.find((f) => f.name === name)!;
  if (engine === null || oracle === null || field.type === 'integer') return engine === oracle;
  return Math.abs(engine - oracle) <= 1e-9 * Math.max(1, Math.abs(oracle));
}

/** Every score term of every row that differs from the oracle's, as readable lines (empty when all agree). */
export function scoreTermMismatches(actual: Array<RowKey & { ScoreParts: ScoreParts }>, expected: Map<string, ExpectedScoreTerms>, halfLifeDays: number): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const r of actual) {
    const k = scoreRowKey(r);
    seen.add(k);
    const terms = expected.get(k);
    if (!terms) {
      out.push(`${k}: a row the oracle does not have`);
      continue;
    }
    for (const name of Object.keys(terms) as Array<keyof ExpectedScoreTerms>) {
      if (!sameTerm(name, r.ScoreParts[name], terms[name])) out.push(`${k} ${name}: engine ${r.ScoreParts[name]} oracle ${terms[name]}`);
    }
    if (r.ScoreParts.halfLifeDays !== halfLifeDays) out.push(`${k} halfLifeDays: ${r.ScoreParts.halfLifeDays}, expected ${halfLifeDays}`);
  }
  for (const k of expected.keys()) if (!seen.has(k)) out.push(`${k}: missing from the engine`);
  return out;
}
