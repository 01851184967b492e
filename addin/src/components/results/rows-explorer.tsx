import {
  Badge,
  Button,
  Caption1,
  Checkbox,
  Field,
  Input,
  Menu,
  MenuButton,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  SearchBox,
  Select,
  makeStyles,
  tokens,
  type MenuCheckedValueChangeData,
} from '@fluentui/react-components';
import { ArrowDownloadRegular, ChevronLeftRegular, ChevronRightRegular, ColumnTripleRegular, FilterRegular } from '@fluentui/react-icons';
import { useId, useMemo, useState } from 'react';
import { EmptyState } from '../empty-state';
import { ErrorState } from '../error-state';
import { LoadingState } from '../loading-state';
import { useDebouncedValue } from '../use-debounced-value';
import type { DownloadedFile } from '../../platform/api/api-client';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { ColumnName, Level, OutputRow, RowsPage, SortOrder } from '../../platform/api/contracts';
import type { GridView } from '../../platform/api/view-queries';
import { levels } from '../../platform/api/view-queries';
import { toProblem, useLatestResource } from '../../platform/api/use-api-resource';
import { useMediaQuery } from '../../platform/use-media-query';
import { columnLabel, columnTypes, defaultGridColumns, displayColumns, gridColumnOrder } from './cell-format';
import { emptyFilters, isFiltered, rangeFields, rangeFilterCount, viewFromFilters, type FilterDraft, type FilterError } from './grid-filters';
import { RowsGrid } from './rows-grid';
import { saveFile, safeFileName } from './save-file';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', minWidth: 0 },
  search: { flexGrow: 1, flexBasis: '220px', minWidth: 0, maxWidth: '360px' },
  select: { flexBasis: '140px', flexGrow: 0, minWidth: 0 },
  rangeGroup: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(130px, 1fr))',
    gap: tokens.spacingHorizontalM,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    maxWidth: '820px',
  },
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  grow: { flexGrow: 1 },
  pager: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  input: { minWidth: 0, width: '100%' },
  // At phone width the picker takes a line of its own, as wide as the panel.
  narrowPick: { flexBasis: '100%', minWidth: 0 },
  fill: { width: '100%', minWidth: 0 },
  // Reserves the bar's height so the grid does not jump when an update starts or ends.
  progress: { minHeight: tokens.strokeWidthThicker },
});

const pageSizes = [25, 50, 100];

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
 * The output entity as a grid: server-side filters, sort, paging and column choice, and CSV
 * export of exactly the current view (same filters, sort and columns, every page). Only the
 * answer to the latest request is shown; while a newer one loads the previous rows stay,
 * dimmed under a progress bar.
 */
export function RowsExplorer({ label, fileBase, loadPage, download, downloadEntity, loadPeriods, level: fixedLevel, initial, privacyThreshold, onOpenAccount, testId }: RowsExplorerProps) {
  const styles = useStyles();
  const { t, format, locale } = useI18n();
  const ids = useId();
  const [draft, setDraft] = useState<FilterDraft>(() => ({ ...emptyFilters, ...initial }));
  const [sort, setSort] = useState<{ column: ColumnName; order: SortOrder }>({ column: 'EngagementScore', order: 'desc' });
  const [columns, setColumns] = useState<ColumnName[]>(defaultGridColumns);
  const [offset, setOffset] = useState(0);
  const [limit, setLimit] = useState(50);
  const [showRanges, setShowRanges] = useState(false);
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

  const errorText = (error: FilterError | undefined) => (error ? t(`grid.filterError.${error}`) : undefined);
  const filterCount = rangeFilterCount(draft);
  const total = shown?.total ?? 0;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  const pageCount = Math.max(1, Math.ceil(total / limit));
  const gridColumns = shown ? orderedColumns.filter((c) => shown.columns.includes(c)) : orderedColumns;
  // The narrow layout's third column: the seller's pick, else the period, else the first other column shown.
  const narrowOptions: ColumnName[] = gridColumns.filter((c) => c !== 'AccountName' && c !== 'EngagementScore');
  const narrowColumn = narrowChoice && narrowOptions.includes(narrowChoice) ? narrowChoice : (narrowOptions[0] ?? null);

  return (
    <section className={styles.root} aria-label={label} data-testid={testId}>
      <div className={styles.row}>
        <Field label={t('grid.search')} className={styles.search}>
          <SearchBox
            value={draft.search}
            onChange={(_, data) => updateDraft({ search: data.value })}
            maxLength={100}
            dismiss={{ 'aria-label': t('common.clearSearch') }}
            data-testid="grid-search"
          />
        </Field>
        {loadPeriods ? (
          <>
            <Field label={t('grid.level')} className={styles.select}>
              <Select
                value={draft.level}
                onChange={(_, data) => updateDraft({ level: data.value as Level, period: '' })}
                data-testid="grid-level"
              >
                {levels.map((l) => (
                  <option key={l} value={l}>
                    {t(`level.${l}`)}
                  </option>
                ))}
              </Select>
            </Field>
            {draft.level !== 'Year' ? (
              <Field label={t('grid.period')} className={styles.select}>
                <Select value={draft.period} onChange={(_, data) => updateDraft({ period: data.value })} data-testid="grid-period">
                  <option value="">{t('grid.allPeriods')}</option>
                  {periods.status === 'ready'
                    ? periods.data.map((p) => (
                        <option key={p} value={p}>
                          {format.period(draft.level, p)}
                        </option>
                      ))
                    : null}
                </Select>
              </Field>
            ) : null}
          </>
        ) : null}
        <Button
          icon={<FilterRegular />}
          aria-expanded={showRanges}
          aria-controls={`${ids}-ranges`}
          onClick={() => setShowRanges((v) => !v)}
          data-testid="grid-more-filters"
        >
          {t('grid.rangeFilters')}
          {filterCount > 0 ? (
            <Badge size="small" appearance="filled" aria-label={t('grid.activeFilters', { count: filterCount })} data-testid="grid-filter-count">
              {format.number(filterCount)}
            </Badge>
          ) : null}
        </Button>
      </div>
      {showRanges ? (
        <div id={`${ids}-ranges`} className={styles.rangeGroup} role="group" aria-label={t('grid.rangeFilters')}>
          {rangeFields.map((field) => (
            <Field
              key={field}
              label={t(`grid.${field}`)}
              validationMessage={errorText(liveErrors[field] ?? errors[field])}
              validationState={liveErrors[field] ? 'error' : 'none'}
            >
              <Input
                className={styles.input}
                inputMode="decimal"
                value={draft[field]}
                onChange={(_, data) => updateDraft({ [field]: data.value })}
                data-testid={`grid-${field}`}
              />
            </Field>
          ))}
          <Checkbox
            checked={draft.cooling}
            onChange={(_, data) => updateDraft({ cooling: data.checked === true })}
            label={t('grid.cooling')}
            data-testid="grid-cooling"
          />
          <Button
            appearance="subtle"
            onClick={() => updateDraft({ ...Object.fromEntries(rangeFields.map((f) => [f, ''])), cooling: false })}
            data-testid="grid-clear-filters"
          >
            {t('grid.clearFilters')}
          </Button>
        </div>
      ) : null}

      <div className={styles.toolbar}>
        <Caption1 className={styles.grow} aria-live="polite" data-testid="grid-status">
          {shown ? (total === 0 ? t('grid.noRows') : t('grid.showing', { first, last, total })) : t('state.loading')}
        </Caption1>
        {narrow && narrowOptions.length > 0 ? (
          <Field label={t('grid.narrowColumn')} className={styles.narrowPick}>
            <Select
              className={styles.fill}
              value={narrowColumn ?? ''}
              onChange={(_, data) => setNarrowChoice(data.value as ColumnName)}
              data-testid="grid-narrow-column"
            >
              {narrowOptions.map((c) => (
                <option key={c} value={c}>
                  {columnLabel(t, c)}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <Menu checkedValues={{ columns }} onCheckedValueChange={onColumns}>
          <MenuTrigger disableButtonEnhancement>
            <MenuButton icon={<ColumnTripleRegular />} data-testid="grid-columns">
              {t('grid.columns')}
            </MenuButton>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              {gridColumnOrder.map((column) => (
                <MenuItemCheckbox key={column} name="columns" value={column} data-column={column}>
                  {columnLabel(t, column)}
                </MenuItemCheckbox>
              ))}
            </MenuList>
          </MenuPopover>
        </Menu>
        <Button icon={<ArrowDownloadRegular />} onClick={onExport} disabled={exporting !== null || total === 0} data-testid="grid-export">
          {exporting === 'csv' ? t('grid.exporting') : t('grid.export')}
        </Button>
        {onExportEntity ? (
          <Button icon={<ArrowDownloadRegular />} onClick={onExportEntity} disabled={exporting !== null || total === 0} data-testid="grid-export-parquet" title={t('grid.exportParquetHint')}>
            {exporting === 'parquet' ? t('grid.exporting') : t('grid.exportParquet')}
          </Button>
        ) : null}
      </div>
      {exportError ? (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{t('grid.exportFailed', { reason: exportError })}</MessageBarBody>
        </MessageBar>
      ) : null}

      <div className={styles.progress}>
        {updating ? <ProgressBar thickness="medium" aria-label={t('grid.updating')} data-testid="grid-progress" /> : null}
      </div>
      {rows.status === 'error' ? (
        <ErrorState problem={rows.problem} onRetry={rows.retry} />
      ) : !shown ? (
        <LoadingState label={t('state.loading')} lines={6} />
      ) : shown.items.length === 0 ? (
        <EmptyState testId="grid-empty" message={isFiltered(draft) ? t('grid.noMatches') : t('grid.noRows')} />
      ) : (
        <RowsGrid
          privacyThreshold={privacyThreshold}
          label={label}
          columns={gridColumns}
          rows={shown.items}
          level={shown.level}
          sort={sort.column}
          order={sort.order}
          onSort={onSort}
          {...(onOpenAccount ? { onOpenAccount } : {})}
          {...(narrow ? { narrowColumn } : {})}
          busy={updating}
          testId="grid-table"
        />
      )}

      <div className={styles.pager} role="group" aria-label={t('grid.paging')}>
        <Button
          icon={<ChevronLeftRegular />}
          disabled={offset === 0 || rows.status === 'loading'}
          onClick={() => setOffset(Math.max(0, offset - limit))}
          data-testid="grid-previous"
        >
          {t('grid.previous')}
        </Button>
        <Caption1>{t('grid.page', { page: Math.floor(offset / limit) + 1, pages: pageCount })}</Caption1>
        <Button
          icon={<ChevronRightRegular />}
          iconPosition="after"
          disabled={offset + limit >= total || rows.status === 'loading'}
          onClick={() => setOffset(offset + limit)}
          data-testid="grid-next"
        >
          {t('grid.next')}
        </Button>
        <Field label={t('grid.pageSize')} orientation="horizontal">
          <Select
            value={String(limit)}
            onChange={(_, data) => {
              setLimit(Number(data.value));
              setOffset(0);
            }}
          >
            {pageSizes.map((size) => (
              <option key={size} value={size}>
                {format.number(size)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
    </section>
  );
}
