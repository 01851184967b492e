import type { AccountSort, ColumnName, Level, ScoreBand, SortOrder } from './contracts';

/**
 * What the tab asks the results and customer lists for, as its pages hold it (the API's query
 * schemas take them as URL parameters; these are the tab's state, not a REST shape).
 */

/** The levels in the order the tab offers them. */
export const levels: readonly Level[] = ['Year', 'Month', 'Week'];

/** The grid's view: which rows, in what order, which columns (also what CSV export writes). */
export interface GridView {
  level: Level;
  period?: string;
  scoreMin?: number;
  scoreMax?: number;
  emailDaysMin?: number;
  emailDaysMax?: number;
  meetingDaysMin?: number;
  meetingDaysMax?: number;
  /** Change of the Year score since the previous run, at most (−10: cooling down). */
  changeMax?: number;
  search?: string;
  segmentId?: string;
  sort: ColumnName;
  order: SortOrder;
  columns?: ColumnName[];
}

/** What the customer list asks for (GET /api/accounts). */
export interface AccountListQuery {
  search: string;
  enrichmentId: string | null;
  sort: AccountSort;
  order?: SortOrder;
  band?: ScoreBand;
  /** e.g. −10: accounts cooling down (score dropped by 10 or more). */
  changeMax?: number;
  /** Comma-separated account ids: only these (an alert's link). */
  accounts?: string;
  offset: number;
  limit: number;
}
