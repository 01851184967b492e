import { Badge, Body1, Button, Caption1, MessageBar, MessageBarBody, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { TableRegular } from '@fluentui/react-icons';
import { BarChart } from '../../components/charts/lazy-charts';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { OutputRow, ResultsOverview as Overview, RunState } from '../../platform/api/contracts';
import { defaultGridColumns } from '../../components/results/cell-format';
import { RowsGrid } from '../../components/results/rows-grid';

const useStyles = makeStyles({
  unmatched: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS, overflowWrap: 'anywhere' },
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  figures: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))',
    gap: tokens.spacingHorizontalM,
    margin: 0,
    maxWidth: '960px',
  },
  figure: {
    display: 'flex',
    flexDirection: 'column-reverse',
    gap: tokens.spacingVerticalXXS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
  },
  figureLabel: { color: tokens.colorNeutralForeground2 },
  figureValue: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, overflowWrap: 'anywhere' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0, maxWidth: '960px' },
  heading: { margin: 0 },
  seeMore: { alignSelf: 'flex-start' },
});

const stateColour: Record<RunState, 'success' | 'danger' | 'informative' | 'warning' | 'subtle'> = {
  completed: 'success',
  failed: 'danger',
  queued: 'informative',
  running: 'informative',
  merging: 'informative',
  cancelled: 'warning',
};

/**
 * Overview of an enrichment's current result: headline figures, enriched accounts per run
 * (from the second run on: one bar alone compares nothing) and a preview whose account names
 * open the customer card.
 */
export function ResultsOverview({
  overview,
  onSeeMore,
  onOpenAccount,
  unmatched = null,
}: {
  overview: Overview;
  onSeeMore(): void;
  onOpenAccount(row: Partial<OutputRow>): void;
  /** Admins: the share of external email to domains that match no account, and the way to them. */
  unmatched?: { share: number; onOpen(): void } | null;
}) {
  const styles = useStyles();
  const { t, format, locale } = useI18n();
  const { summary, lastRun } = overview;
  const dateTime = (iso: string) =>
    new Intl.DateTimeFormat(locale.formatLocale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const figures: Array<{ key: string; label: string; value: string }> = summary
    ? [
        { key: 'accounts', label: t('results.accountsEnriched'), value: format.number(summary.accountsEnriched) },
        { key: 'emails', label: t('results.emailsProcessed'), value: format.number(summary.emailsProcessed) },
        { key: 'meetings', label: t('results.meetingsProcessed'), value: format.number(summary.meetingsProcessed) },
        { key: 'days', label: t('results.daysCovered'), value: format.number(summary.daysCovered) },
      ]
    : [];
  return (
    <div className={styles.root}>
      <dl className={styles.figures} data-testid="results-figures">
        {figures.map((f) => (
          <div key={f.key} className={styles.figure} data-figure={f.key}>
            <dd className={styles.figureValue}>{f.value}</dd>
            <dt className={styles.figureLabel}>{f.label}</dt>
          </div>
        ))}
        {lastRun ? (
          <div className={styles.figure} data-figure="last-run">
            <dd className={styles.figureValue}>
              <Body1>{dateTime(lastRun.endedAt ?? lastRun.createdAt)}</Body1>{' '}
              <Badge appearance="tint" color={stateColour[lastRun.state]} data-testid="last-run-state">
                {t(`run.state.${lastRun.state}`)}
              </Badge>
            </dd>
            <dt className={styles.figureLabel}>{t('results.lastRun')}</dt>
          </div>
        ) : null}
      </dl>
      {unmatched ? (
        <div className={styles.unmatched} data-testid="results-unmatched-share">
          <Body1>{t('domains.share', { share: new Intl.NumberFormat(locale.formatLocale, { style: 'percent', maximumFractionDigits: 0 }).format(unmatched.share) })}</Body1>
          <Button appearance="transparent" size="small" onClick={unmatched.onOpen} data-testid="results-open-unmatched">
            {t('domains.open')}
          </Button>
        </div>
      ) : null}
      {summary && !overview.yearComplete ? (
        <MessageBar intent="info" data-testid="year-incomplete">
          <MessageBarBody>{t('results.yearIncomplete', { days: summary.daysCovered })}</MessageBarBody>
        </MessageBar>
      ) : null}

      {overview.history.length >= 2 ? (
        <section className={styles.section} data-testid="results-history">
          <BarChart
            title={t('results.historyTitle')}
            headingLevel={2}
            valueLabel={t('results.accountsEnriched')}
            integer
            bars={overview.history.map((run) => ({
              label: format.date(run.endedAt),
              value: run.accountsEnriched,
              valueText: format.number(run.accountsEnriched),
            }))}
          />
        </section>
      ) : null}

      <section className={styles.section} aria-labelledby="results-preview-heading">
        <Subtitle2 as="h2" id="results-preview-heading" className={styles.heading}>
          {t('results.previewTitle')}
        </Subtitle2>
        <Caption1>{t('results.previewHint')}</Caption1>
        <RowsGrid
          label={t('results.previewTitle')}
          columns={defaultGridColumns}
          rows={overview.preview}
          privacyThreshold={overview.privacyThreshold}
          onOpenAccount={onOpenAccount}
          testId="results-preview"
        />
        <Button className={styles.seeMore} appearance="primary" icon={<TableRegular />} onClick={onSeeMore} data-testid="see-more">
          {t('results.seeMore')}
        </Button>
      </section>
    </div>
  );
}
