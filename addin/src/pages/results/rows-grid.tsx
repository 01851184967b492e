import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { ColumnName, OutputRow, SortOrder } from '../../platform/insights-api-types';
import { columnLabel, columnTypes, formatCell } from './cell-format';

const useStyles = makeStyles({
  // The grid scrolls inside its own region, so a 320 px side panel never scrolls sideways.
  scroller: {
    overflow: 'auto',
    maxWidth: '100%',
    maxHeight: '60vh',
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    ':focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
    },
  },
  busy: { opacity: 0.6 },
  // Fluent's table is fixed-layout by default; auto lets each column take its header's width.
  table: { tableLayout: 'auto', width: 'max-content', minWidth: '100%' },
  head: {
    position: 'sticky',
    top: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  headerCell: { whiteSpace: 'nowrap', minWidth: '96px' },
  nameCell: { minWidth: '160px' },
  number: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  cell: { whiteSpace: 'nowrap' },
});

export interface RowsGridProps {
  label: string;
  columns: ColumnName[];
  rows: Partial<OutputRow>[];
  sort?: ColumnName;
  order?: SortOrder;
  /** Without it the headers are plain (the preview); with it every header sorts on click, Enter or Space. */
  onSort?: (column: ColumnName) => void;
  busy?: boolean;
  testId?: string;
}

/**
 * A table of output rows. Sortable headers are real buttons (Fluent's sortable table) with
 * `aria-sort`, so the keyboard and screen readers get sorting for free.
 */
export function RowsGrid({ label, columns, rows, sort, order, onSort, busy, testId }: RowsGridProps) {
  const styles = useStyles();
  const { t, format } = useI18n();
  const direction = order === 'asc' ? 'ascending' : 'descending';
  return (
    <div
      className={mergeClasses(styles.scroller, busy && styles.busy)}
      role="region"
      aria-label={label}
      aria-busy={busy ? 'true' : undefined}
      // The region scrolls, so keyboard users need to be able to focus it to scroll with arrows.
      tabIndex={0}
      data-testid={testId}
    >
      <Table className={styles.table} size="small" sortable={!!onSort} aria-label={label}>
        <TableHeader className={styles.head}>
          <TableRow>
            {columns.map((column) => (
              <TableHeaderCell
                key={column}
                className={mergeClasses(styles.headerCell, column === 'AccountName' && styles.nameCell)}
                data-column={column}
                {...(onSort
                  ? {
                      sortDirection: sort === column ? direction : undefined,
                      onClick: () => onSort(column),
                    }
                  : {})}
              >
                {columnLabel(t, column)}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row, index) => (
            <TableRow key={`${row.AccountId ?? index}|${row.AggregationStartDate ?? ''}|${index}`} data-account-id={row.AccountId}>
              {columns.map((column) => (
                <TableCell
                  key={column}
                  data-column={column}
                  className={mergeClasses(styles.cell, columnTypes[column] === 'number' && styles.number)}
                >
                  {formatCell(t, format, column, row[column])}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
