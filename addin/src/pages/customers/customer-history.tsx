import {
  Caption1,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  ToggleButton,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ChartMultipleRegular, TableRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { GroupedBarChart, type ChartSeries } from '../../components/charts/lazy-charts';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { HistoryPoint } from '../../platform/api/contracts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  controls: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  group: { display: 'flex', gap: tokens.spacingHorizontalXS },
  heading: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
  scroller: {
    overflow: 'auto',
    maxHeight: '50vh',
    maxWidth: '100%',
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  table: { tableLayout: 'auto', width: 'max-content', minWidth: '100%' },
  number: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
});

type Grain = 'week' | 'month';
type Display = 'chart' | 'table';

/**
 * Emails (to and from the account) and meetings (by each side) per week or month, as charts
 * whose bars take focus and show a tooltip, or as a table of the same numbers.
 */
export function CustomerHistory({ history }: { history: { week: HistoryPoint[]; month: HistoryPoint[] } }) {
  const styles = useStyles();
  const { t, format, locale } = useI18n();
  const [grain, setGrain] = useState<Grain>('month');
  const [display, setDisplay] = useState<Display>('chart');
  const points = history[grain];
  // Axis ticks: a month is its name with the year ("Dec 2025", never "Dec 25", which reads as a
  // date); a week is the date it starts, with the year, since the history spans two years.
  const tick = new Intl.DateTimeFormat(
    locale.formatLocale,
    grain === 'month' ? { month: 'short', year: 'numeric', timeZone: 'UTC' } : { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' },
  );
  const periodLabel = (start: string) => tick.format(new Date(start));
  // What a focused bar and the table say: "November 2025", "Week of 24 Nov 2025".
  const periodDescription = (start: string) => format.period(grain === 'month' ? 'Month' : 'Week', start);

  const emailSeries: ChartSeries[] = [
    { key: 'emailsToAccount', legend: t('card.emailsToAccount') },
    { key: 'emailsFromAccount', legend: t('card.emailsFromAccount') },
  ];
  const meetingSeries: ChartSeries[] = [
    { key: 'meetingsByOrganisation', legend: t('card.meetingsByOrganisation') },
    { key: 'meetingsByAccount', legend: t('card.meetingsByAccount') },
  ];
  const groups = (series: ChartSeries[]) =>
    points.map((p) => {
      const values: Record<string, number> = {};
      const valueTexts: Record<string, string> = {};
      for (const s of series) {
        // A withheld period (privacy threshold) has no figures: an empty bar that says so, never a zero.
        const v = p[s.key as keyof HistoryPoint] as number | null;
        values[s.key] = v ?? 0;
        valueTexts[s.key] = v === null ? t('privacy.withheldCell') : format.number(v);
      }
      return { label: periodLabel(p.start), description: periodDescription(p.start), values, valueTexts };
    });

  return (
    <section className={styles.root} aria-labelledby="history-heading" data-testid="customer-history">
      <Subtitle2 as="h2" id="history-heading" className={styles.heading}>
        {t('card.historyTitle')}
      </Subtitle2>
      <div className={styles.controls}>
        <div className={styles.group} role="group" aria-label={t('card.grain')}>
          {(['week', 'month'] as const).map((g) => (
            <ToggleButton key={g} size="small" checked={grain === g} onClick={() => setGrain(g)} data-testid={`history-${g}`}>
              {t(`card.grain.${g}`)}
            </ToggleButton>
          ))}
        </div>
        <div className={styles.group} role="group" aria-label={t('card.display')}>
          <ToggleButton size="small" icon={<ChartMultipleRegular />} checked={display === 'chart'} onClick={() => setDisplay('chart')} data-testid="history-chart">
            {t('card.display.chart')}
          </ToggleButton>
          <ToggleButton size="small" icon={<TableRegular />} checked={display === 'table'} onClick={() => setDisplay('table')} data-testid="history-table">
            {t('card.display.table')}
          </ToggleButton>
        </div>
      </div>
      {points.some((p) => p.withheld) ? (
        <Caption1 className={styles.muted} data-testid="history-withheld-note">
          {t('privacy.historyNote')}
        </Caption1>
      ) : null}
      {display === 'chart' ? (
        <>
          <GroupedBarChart
            title={grain === 'month' ? t('card.emailsPerMonth') : t('card.emailsPerWeek')}
            series={emailSeries}
            groups={groups(emailSeries)}
            integer
          />
          <GroupedBarChart
            title={grain === 'month' ? t('card.meetingsPerMonth') : t('card.meetingsPerWeek')}
            series={meetingSeries}
            groups={groups(meetingSeries)}
            integer
          />
        </>
      ) : (
        <div className={styles.scroller} role="region" aria-label={t('card.historyTable')} tabIndex={0}>
          <Table size="small" className={styles.table} aria-label={t('card.historyTable')} data-testid="history-table-view">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('card.grain')}</TableHeaderCell>
                {[...emailSeries, ...meetingSeries].map((s) => (
                  <TableHeaderCell key={s.key}>{s.legend}</TableHeaderCell>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {points.map((p) => (
                <TableRow key={p.start} data-withheld={p.withheld || undefined}>
                  <TableCell>{periodDescription(p.start)}</TableCell>
                  <TableCell className={styles.number}>{p.emailsToAccount === null ? t('privacy.withheldCell') : format.number(p.emailsToAccount)}</TableCell>
                  <TableCell className={styles.number}>{p.emailsFromAccount === null ? t('privacy.withheldCell') : format.number(p.emailsFromAccount)}</TableCell>
                  <TableCell className={styles.number}>{p.meetingsByOrganisation === null ? t('privacy.withheldCell') : format.number(p.meetingsByOrganisation)}</TableCell>
                  <TableCell className={styles.number}>{p.meetingsByAccount === null ? t('privacy.withheldCell') : format.number(p.meetingsByAccount)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
