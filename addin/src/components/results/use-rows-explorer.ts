import type { MenuCheckedValueChangeData } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { useDebouncedValue } from '../use-debounced-value';
import type { DownloadedFile } from '../../platform/api/api-client';
import type { ColumnName, Level, OutputRow, RowsPage, SortOrder } from '../../platform/api/contracts';
import type { GridView } from '../../platform/api/view-queries';
import { toProblem, useLatestResource } from '../../platform/api/use-api-resource';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useMediaQuery } from '../../platform/use-media-query';
import { columnTypes, defaultGridColumns, displayColumns } from './cell-format';
import { emptyFilters, viewFromFilters, type FilterDraft } from './grid-filters';
import { saveFile, safeFileName } from './save-file';

export interface RowsExplorerProps {
  label: string;
  /** File name base for a download the service does not name (the entity's name). */
  fileBase: string;
  loadPage(view: GridView, page: { offset: number; limit: number }, signal: AbortSignal): Promise<RowsPage>;
  /** The view as CSV with its header in `locale` (the tab's UI locale), named by the service. */
  download(view: GridView, locale: string): Promise<DownloadedFile>;
  /** The whole output entity as Parquet (every level and period), for data teams; the results grid has it. */
  downloadEntity?: () => Promise<Blob>;
  /** Level and period pickers: the results grid has them; a segment's members follow the segment's level. */
  loadPeriods?: (level: Level, signal: AbortSignal) => Promise<string[]>;
  /** The level of rows the loader returns when there is no level picker (a segment's). */
  level?: Level;
  /** Filters to start from, e.g. one account's id from its customer card. */
  initial?: Partial<FilterDraft>;
  /** The privacy threshold k of the result (withheld rows say "fewer than k colleagues involved"). */
  privacyThreshold?: number | null;
  /** Account names open the customer card. */
  onOpenAccount?: (row: Partial<OutputRow>) => void;
  testId: string;
}

/**
 * The explorer's state and effects: the filter draft (debounced into the view sent), sort,
 * columns, paging, the latest page of rows (the previous one stays shown while a newer loads),
 * the periods of the chosen level, the narrow layout's column, and the exports.
 */
export function useRowsExplorer({ fileBase, loadPage, download, downloadEntity, loadPeriods, level: fixedLevel, initial }: RowsExplorerProps) {
  const { locale } = useI18n();
  const [draft, setDraft] = useState<FilterDraft>(() => ({ ...emptyFilters, ...initial }));
  const [sort, setSort] = useState<{ column: ColumnName; order: SortOrder }>({ column: 'EngagementScore', order: 'desc' });
  const [columns, setColumns] = useState<ColumnName[]>(defaultGridColumns);
  const [offset, setOffset] = useState(0);
  const [limit, setLimit] = useState(50);
  const [exporting, setExporting] = useState<'csv' | 'parquet' | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  // At phone and side-panel widths the grid shows the account, its score and one column of the seller's choice.
  const narrow = useMediaQuery('(max-width: 480px)');
  const [narrowChoice, setNarrowChoice] = useState<ColumnName | null>(null);

  const settledDraft = useDebouncedValue(draft, 300);
  const level = fixedLevel ?? draft.level;
  // AccountId is always returned by the API; the period comes too whenever rows are per Week or Month.
  const orderedColumns = useMemo(() => displayColumns(columns, level), [columns, level]);
  const { view, errors } = useMemo(
    () => viewFromFilters(settledDraft, sort.column, sort.order, orderedColumns),
    [settledDraft, sort, orderedColumns],
  );
  const liveErrors = useMemo(() => viewFromFilters(draft, sort.column, sort.order, undefined).errors, [draft, sort]);
  const viewKey = JSON.stringify(view);

  const rows = useLatestResource((signal) => loadPage(view, { offset, limit }, signal), [viewKey, offset, limit]);
  const shown = rows.status === 'ready' ? rows.data : rows.previous;
  const updating = rows.status === 'loading' && shown !== undefined;
  const periods = useLatestResource(
    (signal) => (loadPeriods && draft.level !== 'Year' ? loadPeriods(draft.level, signal) : Promise.resolve([] as string[])),
    [draft.level, !!loadPeriods],
  );

  const updateDraft = (patch: Partial<FilterDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setOffset(0);
  };
  const onSort = (column: ColumnName) => {
    // A new column starts with the order people usually want: names A→Z, figures highest first.
    setSort((s) =>
      s.column === column
        ? { column, order: s.order === 'asc' ? 'desc' : 'asc' }
        : { column, order: columnTypes[column] === 'string' ? 'asc' : 'desc' },
    );
    setOffset(0);
  };
  const onColumns = (_: unknown, data: MenuCheckedValueChangeData) => {
    const chosen = data.checkedItems as ColumnName[];
    if (chosen.length > 0) setColumns(chosen);
  };
  const onPageSize = (size: number) => {
    setLimit(size);
    setOffset(0);
  };
  const exportAs = async (kind: 'csv' | 'parquet', fetchFile: () => Promise<DownloadedFile>, fallbackName: string) => {
    setExporting(kind);
    setExportError(null);
    try {
      const file = await fetchFile();
      saveFile(file.blob, file.fileName ?? fallbackName);
    } catch (error) {
      setExportError(toProblem(error).detail);
    } finally {
      setExporting(null);
    }
  };
  const onExport = () => exportAs('csv', () => download(view, locale.uiLocale), safeFileName(fileBase, view.level.toLowerCase()));
  const onExportEntity = downloadEntity
    ? () => exportAs('parquet', async () => ({ blob: await downloadEntity(), fileName: null }), safeFileName(fileBase, '', 'parquet'))
    : null;

  const total = shown?.total ?? 0;
  const gridColumns = shown ? orderedColumns.filter((c) => shown.columns.includes(c)) : orderedColumns;
  // The narrow layout's third column: the seller's pick, else the period, else the first other column shown.
  const narrowOptions: ColumnName[] = gridColumns.filter((c) => c !== 'AccountName' && c !== 'EngagementScore');
  const narrowColumn = narrowChoice && narrowOptions.includes(narrowChoice) ? narrowChoice : (narrowOptions[0] ?? null);

  return {
    draft,
    updateDraft,
    errors,
    liveErrors,
    sort,
    onSort,
    columns,
    onColumns,
    gridColumns,
    paging: { offset, limit, total, setOffset, onPageSize },
    rows,
    shown,
    updating,
    periods,
    narrow,
    narrowOptions,
    narrowColumn,
    setNarrowChoice,
    exporting,
    exportError,
    onExport,
    onExportEntity,
  };
}

export type RowsExplorerState = ReturnType<typeof useRowsExplorer>;
