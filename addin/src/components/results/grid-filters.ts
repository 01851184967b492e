import type { ColumnName, Level, SortOrder } from '../../platform/api/contracts';
import type { GridView } from '../../platform/api/view-queries';

/** What the filter fields hold as typed (text), before it becomes a query. */
export interface FilterDraft {
  level: Level;
  period: string;
  search: string;
  scoreMin: string;
  scoreMax: string;
  emailDaysMin: string;
  emailDaysMax: string;
  meetingDaysMin: string;
  meetingDaysMax: string;
  /** "Cooling down": the Year score dropped by 10 or more since the previous run. */
  cooling: boolean;
}

export type RangeField = 'scoreMin' | 'scoreMax' | 'emailDaysMin' | 'emailDaysMax' | 'meetingDaysMin' | 'meetingDaysMax';
export type FilterError = 'notANumber' | 'notWholeDays' | 'scoreRange' | 'minAboveMax';

export const emptyFilters: FilterDraft = {
  level: 'Year',
  period: '',
  search: '',
  scoreMin: '',
  scoreMax: '',
  emailDaysMin: '',
  emailDaysMax: '',
  meetingDaysMin: '',
  meetingDaysMax: '',
  cooling: false,
};

/** The drop in score that counts as cooling down. */
export const COOLING_DROP = -10;

const ranges: Array<[RangeField, RangeField, 'score' | 'days']> = [
  ['scoreMin', 'scoreMax', 'score'],
  ['emailDaysMin', 'emailDaysMax', 'days'],
  ['meetingDaysMin', 'meetingDaysMax', 'days'],
];

/** Parse a number typed in the user's locale style: both `12.5` and `12,5` are accepted. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return null;
  return Number(trimmed);
}

/**
 * Turn the typed filters into a grid view. Anything the API would refuse is caught here with a
 * reason per field, and the view keeps only the valid parts, so a half-typed number never
 * sends a request that fails.
 */
export function viewFromFilters(
  draft: FilterDraft,
  sort: ColumnName,
  order: SortOrder,
  columns: ColumnName[] | undefined,
): { view: GridView; errors: Partial<Record<RangeField, FilterError>> } {
  const errors: Partial<Record<RangeField, FilterError>> = {};
  const view: GridView = { level: draft.level, sort, order };
  if (columns) view.columns = columns;
  if (draft.level !== 'Year' && draft.period) view.period = draft.period;
  if (draft.cooling) view.changeMax = COOLING_DROP;
  const search = draft.search.trim().slice(0, 100);
  if (search) view.search = search;
  for (const [minField, maxField, kind] of ranges) {
    const values: Partial<Record<RangeField, number>> = {};
    for (const field of [minField, maxField]) {
      const text = draft[field];
      if (!text.trim()) continue;
      const n = parseNumber(text);
      if (n === null) errors[field] = 'notANumber';
      else if (kind === 'days' && (!Number.isInteger(n) || n < 0)) errors[field] = 'notWholeDays';
      else if (kind === 'score' && (n < 0 || n > 100)) errors[field] = 'scoreRange';
      else values[field] = n;
    }
    const min = values[minField];
    const max = values[maxField];
    if (min !== undefined && max !== undefined && min > max) {
      errors[maxField] = 'minAboveMax';
      delete values[maxField];
    }
    Object.assign(view, values);
  }
  return { view, errors };
}

export const rangeFields: RangeField[] = ['scoreMin', 'scoreMax', 'emailDaysMin', 'emailDaysMax', 'meetingDaysMin', 'meetingDaysMax'];

/**
 * How many of the Filters panel's fields hold a value: the number its button's badge shows.
 * The search box, level and period are visible next to it and are not counted, so "Clear
 * filters" (which empties the panel) always brings the badge back to nothing.
 */
export function rangeFilterCount(draft: FilterDraft): number {
  return rangeFields.filter((f) => draft[f].trim() !== '').length + (draft.cooling ? 1 : 0);
}

/** Whether anything narrows the rows (for the empty state's wording). */
export function isFiltered(draft: FilterDraft): boolean {
  return rangeFilterCount(draft) > 0 || draft.search.trim() !== '' || draft.period !== '';
}
