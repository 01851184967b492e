import { Caption1, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import type { Run } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { StringKey } from '../../platform/i18n/strings-en';
import { differenceShare, formatDateTime, formatDifference, formatDuration } from './run-format';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, minWidth: 0 },
  title: { ...typographyStyles.body1Strong, margin: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
  // The table keeps its four columns and scrolls inside this box at 320 px; the pane does not.
  scroller: { overflowX: 'auto', maxWidth: '100%', minWidth: 0 },
  table: { minWidth: '420px' },
  number: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
});

/** Whether the run's summary can set its estimate beside what it did: a completed full run queued with an estimate. */
export function comparesWithEstimate(run: Run): run is Run & { estimate: NonNullable<Run['estimate']>; summary: NonNullable<Run['summary']> } {
  return run.state === 'completed' && run.mode === 'full' && run.estimate !== null && run.summary !== null;
}

/**
 * A completed full run's estimate (frozen when it was queued) beside what it read and how long
 * it took, with the difference in per cent: how far the admin can trust the next estimate.
 */
export function RunEstimateComparison({ run }: { run: Run & { estimate: NonNullable<Run['estimate']>; summary: NonNullable<Run['summary']> } }) {
  const styles = useStyles();
  const { t, format, locale } = useI18n();
  const e = run.estimate;
  const duration = (ms: number) => formatDuration(ms, locale.formatLocale);
  const rows: Array<{ id: string; label: StringKey; estimated: number; actual: number; show(v: number): string }> = [
    { id: 'messages', label: 'estimate.compare.messages', estimated: e.messages, actual: run.counters.messagesRead, show: format.number },
    { id: 'events', label: 'estimate.compare.events', estimated: e.events, actual: run.counters.eventsRead, show: format.number },
    { id: 'duration', label: 'estimate.compare.duration', estimated: e.firstRunSeconds * 1000, actual: run.summary.durationMs, show: duration },
  ];
  return (
    <section className={styles.section} aria-labelledby="run-estimate-title" data-testid="run-estimate-compare">
      <h3 id="run-estimate-title" className={styles.title}>
        {t('estimate.run.title')}
      </h3>
      <div className={styles.scroller} tabIndex={0} role="region" aria-labelledby="run-estimate-title">
        <Table size="small" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('estimate.compare.what')}</TableHeaderCell>
              <TableHeaderCell className={styles.number}>{t('estimate.compare.estimated')}</TableHeaderCell>
              <TableHeaderCell className={styles.number}>{t('estimate.compare.actual')}</TableHeaderCell>
              <TableHeaderCell className={styles.number}>{t('estimate.compare.difference')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => {
              const share = differenceShare(r.estimated, r.actual);
              return (
                <TableRow key={r.id} data-testid="run-estimate-row" data-figure={r.id}>
                  <TableCell>{t(r.label)}</TableCell>
                  <TableCell className={styles.number} data-column="estimated">{r.show(r.estimated)}</TableCell>
                  <TableCell className={styles.number} data-column="actual">{r.show(r.actual)}</TableCell>
                  <TableCell className={styles.number} data-column="difference">{share === null ? t('runs.notYet') : formatDifference(share, locale.formatLocale)}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
      <Caption1 className={styles.muted}>
        {t(e.source === 'draft' ? 'estimate.run.basisDraft' : 'estimate.run.basis', { date: formatDateTime(e.asOf, locale.formatLocale), mailboxes: e.mailboxes })}
      </Caption1>
    </section>
  );
}
