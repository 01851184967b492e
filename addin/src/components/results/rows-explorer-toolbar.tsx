import {
  Button,
  Caption1,
  Field,
  Menu,
  MenuButton,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  Select,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownloadRegular, ChevronLeftRegular, ChevronRightRegular, ColumnTripleRegular } from '@fluentui/react-icons';
import type { ColumnName } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import { columnLabel, gridColumnOrder } from './cell-format';
import type { RowsExplorerState } from './use-rows-explorer';

const useStyles = makeStyles({
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  grow: { flexGrow: 1 },
  pager: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  // At phone width the picker takes a line of its own, as wide as the panel.
  narrowPick: { flexBasis: '100%', minWidth: 0 },
  fill: { width: '100%', minWidth: 0 },
});

const pageSizes = [25, 50, 100];

/** What the view holds (rows m–n of N), the narrow layout's column, the column menu and the exports. */
export function RowsExplorerToolbar({ state }: { state: RowsExplorerState }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { shown, paging, narrow, narrowOptions, narrowColumn, setNarrowChoice, columns, onColumns, exporting, exportError, onExport, onExportEntity } = state;
  const { offset, limit, total } = paging;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <>
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
    </>
  );
}

/** Previous, page n of N, next, and the page size. */
export function RowsExplorerPager({ state }: { state: RowsExplorerState }) {
  const styles = useStyles();
  const { t, format } = useI18n();
  const { offset, limit, total, setOffset, onPageSize } = state.paging;
  const loading = state.rows.status === 'loading';
  const pageCount = Math.max(1, Math.ceil(total / limit));
  return (
    <div className={styles.pager} role="group" aria-label={t('grid.paging')}>
      <Button icon={<ChevronLeftRegular />} disabled={offset === 0 || loading} onClick={() => setOffset(Math.max(0, offset - limit))} data-testid="grid-previous">
        {t('grid.previous')}
      </Button>
      <Caption1>{t('grid.page', { page: Math.floor(offset / limit) + 1, pages: pageCount })}</Caption1>
      <Button
        icon={<ChevronRightRegular />}
        iconPosition="after"
        disabled={offset + limit >= total || loading}
        onClick={() => setOffset(offset + limit)}
        data-testid="grid-next"
      >
        {t('grid.next')}
      </Button>
      <Field label={t('grid.pageSize')} orientation="horizontal">
        <Select value={String(limit)} onChange={(_, data) => onPageSize(Number(data.value))}>
          {pageSizes.map((size) => (
            <option key={size} value={size}>
              {format.number(size)}
            </option>
          ))}
        </Select>
      </Field>
    </div>
  );
}
