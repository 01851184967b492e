import {
  Caption1,
  Button,
  Link,
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
import { ChevronDownRegular, ChevronRightRegular } from '@fluentui/react-icons';
import { Fragment, useState } from 'react';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { ColumnName, GridRow, Level, OutputRow, SortOrder } from '../../platform/api/contracts';
import { ScoreBandBadge } from '../score-badges';
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
  narrowTable: { tableLayout: 'auto', width: '100%' },
  head: {
    position: 'sticky',
    top: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  headerCell: { whiteSpace: 'nowrap', minWidth: '96px' },
  narrowHeaderCell: { minWidth: 0 },
  nameCell: { minWidth: '160px' },
  number: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  cell: { whiteSpace: 'nowrap' },
  // Words wrap whole (a name never breaks mid-word unless one word alone is wider than the column).
  wrap: { whiteSpace: 'normal', overflowWrap: 'break-word' },
  toggleCell: { width: '40px' },
  details: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, max-content) minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXXS,
    margin: 0,
    paddingBlock: tokens.spacingVerticalXS,
  },
  term: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  value: { margin: 0, overflowWrap: 'anywhere' },
  pair: { display: 'contents' },
  withheld: { color: tokens.colorNeutralForeground2, fontStyle: 'italic' },
  withheldName: { display: 'flex', flexDirection: 'column', minWidth: 0 },
});

/** The columns computed from a row's items (every number and date but the period): empty on a withheld row (privacy threshold). */
const withheldColumns = new Set<ColumnName>((Object.keys(columnTypes) as ColumnName[]).filter((c) => columnTypes[c] !== 'string' && c !== 'AggregationStartDate'));

export interface RowsGridProps {
  label: string;
  columns: ColumnName[];
  rows: GridRow[];
  /** The privacy threshold k the rows were published with: a withheld row says "fewer than k colleagues involved". */
  privacyThreshold?: number | null;
  /** The rows' level, so a period reads "Week of 24 Nov 2025" or "November 2025". */
  level?: Level;
  sort?: ColumnName;
  order?: SortOrder;
  /** Without it the headers are plain (the preview); with it every header sorts on click, Enter or Space. */
  onSort?: (column: ColumnName) => void;
  /** Makes every account name a link to its customer card. */
  onOpenAccount?: (row: Partial<OutputRow>) => void;
  /**
   * The narrow layout (a phone or the Teams side panel): the account, its score and this one
   * column; the other columns are one tap away in each row's details.
   */
  narrowColumn?: ColumnName | null;
  busy?: boolean;
  testId?: string;
}

/**
 * A table of output rows. Sortable headers are real buttons (Fluent's sortable table) with
 * `aria-sort`, so the keyboard and screen readers get sorting for free.
 */
export function RowsGrid({ label, columns, rows, privacyThreshold, level = 'Year', sort, order, onSort, onOpenAccount, narrowColumn, busy, testId }: RowsGridProps) {
  const styles = useStyles();
  const { t, format } = useI18n();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const direction = order === 'asc' ? 'ascending' : 'descending';
  const narrow = narrowColumn !== undefined;
  const shown = narrow
    ? columns.filter((c) => c === 'AccountName' || c === 'EngagementScore' || c === narrowColumn)
    : columns;
  const hidden = narrow ? columns.filter((c) => !shown.includes(c)) : [];
  const withheldText = privacyThreshold ? t('privacy.withheld', { k: privacyThreshold }) : t('privacy.withheldUnknown');
  const cell = (row: GridRow, column: ColumnName) => {
    // A withheld row's figures were never published: say so in each of its cells, never "0" or "never".
    if (row.CountsWithheld && withheldColumns.has(column)) {
      return (
        <span className={styles.withheld} title={withheldText} data-withheld="true">
          {t('privacy.withheldCell')}
        </span>
      );
    }
    if (row.CountsWithheld && column === 'AccountName') {
      return (
        <span className={styles.withheldName}>
          {accountName(row)}
          <Caption1 className={styles.withheld} data-testid="row-withheld">
            {withheldText}
          </Caption1>
        </span>
      );
    }
    return accountName(row, column);
  };
  const accountName = (row: GridRow, column: ColumnName = 'AccountName') => {
    // The score with its band, as in the customer list and the card.
    if (column === 'EngagementScore' && typeof row.EngagementScore === 'number') return <ScoreBandBadge score={row.EngagementScore} compact={narrow} />;
    const text = formatCell(t, format, column, row[column], level);
    if (column === 'AccountName' && onOpenAccount && row.AccountId) {
      return (
        <Link as="button" inline onClick={() => onOpenAccount(row)} data-testid="open-account">
          {text}
        </Link>
      );
    }
    return text;
  };
  const rowKey = (row: GridRow, index: number) => `${row.AccountId ?? index}|${row.AggregationStartDate ?? ''}|${index}`;
  const toggle = (key: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  return (
    <div
      className={mergeClasses(styles.scroller, busy && styles.busy)}
      role="region"
      aria-label={label}
      aria-busy={busy ? 'true' : undefined}
      // The region scrolls, so keyboard users need to be able to focus it to scroll with arrows.
      tabIndex={0}
      data-testid={testId}
      data-layout={narrow ? 'narrow' : 'wide'}
    >
      <Table className={narrow ? styles.narrowTable : styles.table} size="small" sortable={!!onSort} aria-label={label}>
        <TableHeader className={styles.head}>
          <TableRow>
            {shown.map((column) => (
              <TableHeaderCell
                key={column}
                className={mergeClasses(
                  narrow ? styles.narrowHeaderCell : styles.headerCell,
                  column === 'AccountName' && !narrow && styles.nameCell,
                  narrow && styles.wrap,
                )}
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
            {hidden.length > 0 ? <TableHeaderCell className={styles.toggleCell} aria-label={t('grid.details')} /> : null}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row, index) => {
            const key = rowKey(row, index);
            const expanded = open.has(key);
            const detailsId = `${testId ?? 'rows'}-details-${index}`;
            return (
              <Fragment key={key}>
                <TableRow data-account-id={row.AccountId}>
                  {shown.map((column) => (
                    <TableCell
                      key={column}
                      data-column={column}
                      className={mergeClasses(
                        narrow && column === 'AccountName' ? styles.wrap : styles.cell,
                        columnTypes[column] === 'number' && styles.number,
                      )}
                    >
                      {cell(row, column)}
                    </TableCell>
                  ))}
                  {hidden.length > 0 ? (
                    <TableCell className={styles.toggleCell}>
                      <Button
                        appearance="subtle"
                        size="small"
                        icon={expanded ? <ChevronDownRegular /> : <ChevronRightRegular />}
                        aria-expanded={expanded}
                        aria-controls={expanded ? detailsId : undefined}
                        aria-label={t('grid.detailsOf', { name: row.AccountName ?? row.AccountId ?? '' })}
                        onClick={() => toggle(key)}
                        data-testid="row-details"
                      />
                    </TableCell>
                  ) : null}
                </TableRow>
                {expanded ? (
                  <TableRow id={detailsId} data-testid="row-details-panel">
                    <TableCell colSpan={shown.length + 1}>
                      <dl className={styles.details}>
                        {hidden.map((column) => (
                          <div key={column} className={styles.pair} data-column={column}>
                            <dt className={styles.term}>{columnLabel(t, column)}</dt>
                            <dd className={styles.value}>{row.CountsWithheld && withheldColumns.has(column) ? t('privacy.withheldCell') : formatCell(t, format, column, row[column], level)}</dd>
                          </div>
                        ))}
                      </dl>
                    </TableCell>
                  </TableRow>
                ) : null}
              </Fragment>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
