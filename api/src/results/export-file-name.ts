import type { Level } from './results-columns';

export interface ExportNameParts {
  /** The enrichment's output entity name (e.g. `Office`). */
  entityName: string;
  level: Level;
  /** The rows' AggregationStartDate (ISO) for one Week or Month; null for every period of the level, or Year. */
  period: string | null;
  /** What the rows are: `Accounts` for the grid, the segment's name for its members. */
  subject: string;
  /** The results' as-of instant (the run's), or now before any result. */
  asOf: Date;
}

/** A part of a file name: letters (any script), digits, `_` and `.`; anything else becomes one `-`. */
function part(text: string, max = 60): string {
  const clean = text.normalize('NFC').replace(/[^\p{L}\p{N}_.]+/gu, '-').replace(/^[-.]+|[-.]+$/g, '');
  return clean.slice(0, max).replace(/[-.]+$/, '');
}

/**
 * A download's file name that says what is in it, so two files on a seller's desktop are not
 * both `Office-Week.csv`: enrichment, level, the period (a week by its Monday, a month by
 * `YYYY-MM`; `all` when every period is in the file; none for Year, whose period ends on the
 * as-of date), what the rows are, and the date the results are as of. For example
 * `Office-Month-2026-11-Accounts-2026-12-02.csv`.
 */
export function exportFileName(p: ExportNameParts, extension = 'csv'): string {
  const date = (iso: string) => iso.slice(0, 10);
  const period = p.level === 'Year' ? null : p.period ? (p.level === 'Month' ? date(p.period).slice(0, 7) : date(p.period)) : 'all';
  const parts = [part(p.entityName) || 'Results', p.level, period, part(p.subject) || 'Accounts', date(p.asOf.toISOString())].filter((x): x is string => !!x);
  return `${parts.join('-')}.${extension}`;
}
