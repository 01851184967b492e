import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import type { StringKey } from '../../platform/i18n/strings-en';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { Run } from '../../platform/api/contracts';
import { formatDateTime, formatDuration, runDurationMs } from './run-format';

const useStyles = makeStyles({
  title: { ...typographyStyles.subtitle2, margin: 0 },
  // The table keeps its columns readable and scrolls inside this box at 320 px; the page does not.
  scroller: { overflowX: 'auto', maxWidth: '100%', minWidth: 0 },
  table: { minWidth: '640px' },
  number: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
});

/** Every run of the enrichment, newest first, with the figures it published. */
export function RunHistoryTable({ runs }: { runs: Run[] }) {
  const styles = useStyles();
  const { t, format, locale } = useI18n();
  const dash = t('runs.notYet');
  const numberOrDash = (n: number | undefined) => (n === undefined ? dash : format.number(n));
  return (
    <section className={styles.section} aria-labelledby="run-history-title">
      <h2 id="run-history-title" className={styles.title}>
        {t('runs.historyTitle')}
      </h2>
      {/* Focusable so keyboard users can scroll it sideways at narrow widths. */}
      <div className={styles.scroller} tabIndex={0} role="region" aria-label={t('runs.historyLabel')}>
        <Table size="small" className={styles.table} data-testid="run-history">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('runs.col.state')}</TableHeaderCell>
              <TableHeaderCell>{t('runs.col.trigger')}</TableHeaderCell>
              <TableHeaderCell>{t('runs.col.asOf')}</TableHeaderCell>
              <TableHeaderCell>{t('runs.col.duration')}</TableHeaderCell>
              <TableHeaderCell className={styles.number}>{t('runs.col.accounts')}</TableHeaderCell>
              <TableHeaderCell className={styles.number}>{t('runs.col.emails')}</TableHeaderCell>
              <TableHeaderCell className={styles.number}>{t('runs.col.meetings')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {runs.map((run) => {
              const duration = runDurationMs(run);
              return (
                <TableRow key={run.id} data-testid="run-history-row" data-run-id={run.id} data-state={run.state}>
                  <TableCell data-column="state">{t(`run.state.${run.state}` as StringKey)}</TableCell>
                  <TableCell data-column="trigger">{t(`runs.trigger.${run.trigger}` as StringKey)}</TableCell>
                  <TableCell data-column="asOf">{formatDateTime(run.asOf, locale.formatLocale)}</TableCell>
                  <TableCell data-column="duration">{duration === null ? dash : formatDuration(duration, locale.formatLocale)}</TableCell>
                  <TableCell data-column="accounts" className={styles.number}>{numberOrDash(run.summary?.accountsEnriched)}</TableCell>
                  <TableCell data-column="emails" className={styles.number}>{numberOrDash(run.summary?.emailsProcessed)}</TableCell>
                  <TableCell data-column="meetings" className={styles.number}>{numberOrDash(run.summary?.meetingsProcessed)}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
    </section>
  );
}
