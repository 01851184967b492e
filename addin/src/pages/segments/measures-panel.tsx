import {
  Caption1,
  Field,
  ProgressBar,
  Select,
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
import { ChartMultipleRegular, NumberSymbolRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { RankedBars } from '../../components/charts/ranked-bars';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { Aggregate, ColumnName, Level, MeasureRequest, Segment } from '../../platform/api/contracts';
import { levels } from '../../platform/api/view-queries';
import { useLatestResource } from '../../platform/api/use-api-resource';
import { useInsightsApi } from '../../platform/api/use-insights-api';
import { attributeLabel, attributeValue } from '../../components/results/account-attributes';
import { columnLabel, columnTypes, durationColumns } from '../../components/results/cell-format';
import { segmentName } from './segment-names';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    maxWidth: '960px',
    minWidth: 0,
  },
  heading: { margin: 0 },
  controls: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(160px, 1fr))',
    gap: tokens.spacingHorizontalM,
  },
  fill: { width: '100%', minWidth: 0 },
  value: { fontSize: tokens.fontSizeHero800, lineHeight: tokens.lineHeightHero800, fontWeight: tokens.fontWeightSemibold },
  display: { display: 'flex', gap: tokens.spacingHorizontalXS },
  number: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  scroller: { overflow: 'auto', maxHeight: '50vh', maxWidth: '100%' },
  progress: { minHeight: tokens.strokeWidthThicker },
  busy: { opacity: 0.6 },
});

const aggregates: Aggregate[] = ['count', 'sum', 'avg', 'median', 'min', 'max'];
const numberColumns = (Object.keys(columnTypes) as ColumnName[]).filter((c) => columnTypes[c] === 'number');

/**
 * Measures: count, sum, average, median, min or max of a column over all accounts or a segment,
 * optionally per account attribute (e.g. industry), as one number or bars sorted largest
 * first with their values. Only the answer to the latest choice is shown.
 */
export function MeasuresPanel({ enrichmentId, segments, attributes }: { enrichmentId: string; segments: Segment[]; attributes: string[] }) {
  const styles = useStyles();
  const { t, format, locale } = useI18n();
  const api = useInsightsApi();
  const [aggregate, setAggregate] = useState<Aggregate>('count');
  const [column, setColumn] = useState<ColumnName>('EngagementScore');
  const [level, setLevel] = useState<Level>('Year');
  const [segmentId, setSegmentId] = useState('');
  const [groupBy, setGroupBy] = useState('');
  const [display, setDisplay] = useState<'chart' | 'table'>('chart');

  const request: MeasureRequest = { aggregate, level };
  if (aggregate !== 'count') request.column = column;
  if (segmentId) request.segmentId = segmentId;
  if (groupBy) request.groupBy = groupBy;
  const key = JSON.stringify(request);
  const latest = useLatestResource((signal) => api.measure(enrichmentId, request, signal), [api, enrichmentId, key]);
  // While a newer choice loads, the previous answer stays (dimmed) rather than a skeleton.
  const shown = latest.status === 'ready' ? latest.data : latest.previous;
  const updating = latest.status === 'loading' && shown !== undefined;
  const decimals = new Intl.NumberFormat(locale.formatLocale, { maximumFractionDigits: 2 });
  // Counts are counts; durations follow the one duration rule; anything else as a number.
  const measured: ColumnName | null = shown?.aggregate === 'count' || !shown?.column ? null : (shown.column as ColumnName);
  // A figure over rows that are all withheld (privacy threshold) is withheld itself: say so rather than "no value".
  const valueText = (v: number | null, withheld = false) =>
    withheld ? t('privacy.withheldCell') : v === null ? t('measures.noValue') : measured && durationColumns.has(measured) ? format.duration(v) : decimals.format(v);
  const groupedBy = shown?.groupBy ?? '';
  const groupLabel = (k: string | null) => (k === null ? t('measures.missingAttribute') : attributeValue(format, groupedBy, k));
  const sortedGroups = shown?.groups ? [...shown.groups].sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity)) : null;
  const title = t('measures.resultTitle', {
    aggregate: t(`measures.aggregate.${aggregate}`),
    column: aggregate === 'count' ? t('measures.accounts') : columnLabel(t, column),
  });

  return (
    <section className={styles.root} aria-labelledby="measures-heading" data-testid="measures">
      <Subtitle2 as="h2" id="measures-heading" className={styles.heading}>
        {t('measures.title')}
      </Subtitle2>
      <div className={styles.controls}>
        <Field label={t('measures.aggregate')}>
          <Select className={styles.fill} value={aggregate} onChange={(_, d) => setAggregate(d.value as Aggregate)} data-testid="measure-aggregate">
            {aggregates.map((a) => (
              <option key={a} value={a}>
                {t(`measures.aggregate.${a}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('measures.column')}>
          <Select className={styles.fill} value={column} disabled={aggregate === 'count'} onChange={(_, d) => setColumn(d.value as ColumnName)} data-testid="measure-column">
            {numberColumns.map((c) => (
              <option key={c} value={c}>
                {columnLabel(t, c)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('measures.scope')}>
          <Select className={styles.fill} value={segmentId} onChange={(_, d) => setSegmentId(d.value)} data-testid="measure-scope">
            <option value="">{t('measures.allAccounts')}</option>
            {segments.map((s) => (
              <option key={s.id} value={s.id}>
                {segmentName(t, s)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('measures.groupBy')}>
          <Select className={styles.fill} value={groupBy} onChange={(_, d) => setGroupBy(d.value)} data-testid="measure-group-by">
            <option value="">{t('measures.noGrouping')}</option>
            {attributes.map((a) => (
              <option key={a} value={a}>
                {attributeLabel(t, a)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('segments.level')}>
          <Select className={styles.fill} value={level} disabled={!!segmentId} onChange={(_, d) => setLevel(d.value as Level)}>
            {levels.map((l) => (
              <option key={l} value={l}>
                {t(`level.${l}`)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className={styles.progress}>
        {updating ? <ProgressBar thickness="medium" aria-label={t('grid.updating')} data-testid="measure-progress" /> : null}
      </div>
      {latest.status === 'error' ? (
        <ErrorState problem={latest.problem} onRetry={latest.retry} />
      ) : !shown ? (
        <LoadingState label={t('state.loading')} lines={2} />
      ) : !sortedGroups ? (
        <div aria-live="polite" className={updating ? styles.busy : undefined} aria-busy={updating || undefined}>
          <div className={styles.value} data-testid="measure-value">
            {valueText(shown.value, shown.withheld)}
          </div>
          <Caption1>{t('measures.over', { title, count: shown.count })}</Caption1>
          {shown.withheld ? (
            <Caption1 data-testid="measure-withheld">{t('privacy.measureWithheld')}</Caption1>
          ) : shown.withheldRows > 0 && shown.aggregate !== 'count' ? (
            <Caption1 data-testid="measure-rows-withheld">{t('privacy.measureRowsLeftOut', { count: shown.withheldRows })}</Caption1>
          ) : null}
        </div>
      ) : (
        <div className={updating ? styles.busy : undefined} aria-busy={updating || undefined}>
          <div className={styles.display} role="group" aria-label={t('card.display')}>
            <ToggleButton size="small" icon={<ChartMultipleRegular />} checked={display === 'chart'} onClick={() => setDisplay('chart')}>
              {t('card.display.chart')}
            </ToggleButton>
            <ToggleButton size="small" icon={<NumberSymbolRegular />} checked={display === 'table'} onClick={() => setDisplay('table')} data-testid="measure-table-toggle">
              {t('card.display.table')}
            </ToggleButton>
          </div>
          {display === 'chart' ? (
            <RankedBars
              title={t('measures.byAttribute', { title, attribute: attributeLabel(t, groupedBy) })}
              bars={sortedGroups.map((g) => ({ label: groupLabel(g.key), value: g.value ?? 0, valueText: valueText(g.value, g.withheld) }))}
            />
          ) : (
            <div className={styles.scroller}>
              <Table size="small" aria-label={title} data-testid="measure-groups">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>{attributeLabel(t, groupedBy)}</TableHeaderCell>
                    <TableHeaderCell className={styles.number}>{title}</TableHeaderCell>
                    <TableHeaderCell className={styles.number}>{t('measures.accounts')}</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {sortedGroups.map((g) => (
                    <TableRow key={g.key ?? '\u0000'}>
                      <TableCell>{groupLabel(g.key)}</TableCell>
                      <TableCell className={styles.number}>{valueText(g.value, g.withheld)}</TableCell>
                      <TableCell className={styles.number}>{format.number(g.count)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
