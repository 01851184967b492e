import {
  Caption1,
  Field,
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
import { BarChart } from '../../components/charts/lazy-charts';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { Aggregate, ColumnName, Level, MeasureRequest, Segment } from '../../platform/insights-api-types';
import { levels } from '../../platform/insights-api-types';
import { useApiResource } from '../../platform/use-api-resource';
import { useInsightsApi } from '../../platform/use-insights-api';
import { columnLabel, columnTypes } from '../results/cell-format';

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
});

const aggregates: Aggregate[] = ['count', 'sum', 'avg', 'median', 'min', 'max'];
const numberColumns = (Object.keys(columnTypes) as ColumnName[]).filter((c) => columnTypes[c] === 'number');

/**
 * Measures: count, sum, average, median, min or max of a column over all accounts or a segment,
 * optionally per account attribute (e.g. industry), as one number or a bar chart.
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
  const result = useApiResource((signal) => api.measure(enrichmentId, request, signal), [api, enrichmentId, key]);
  const decimals = new Intl.NumberFormat(locale.formatLocale, { maximumFractionDigits: 2 });
  const valueText = (v: number | null) => (v === null ? t('measures.noValue') : decimals.format(v));
  const groupLabel = (k: string | null) => (k === null ? t('measures.missingAttribute') : k);
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
                {s.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('measures.groupBy')}>
          <Select className={styles.fill} value={groupBy} onChange={(_, d) => setGroupBy(d.value)} data-testid="measure-group-by">
            <option value="">{t('measures.noGrouping')}</option>
            {attributes.map((a) => (
              <option key={a} value={a}>
                {a}
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
      {result.status === 'loading' ? (
        <LoadingState label={t('state.loading')} lines={2} />
      ) : result.status === 'error' ? (
        <ErrorState problem={result.problem} onRetry={result.retry} />
      ) : !result.data.groups ? (
        <div aria-live="polite">
          <div className={styles.value} data-testid="measure-value">
            {valueText(result.data.value)}
          </div>
          <Caption1>{t('measures.over', { title, count: result.data.count })}</Caption1>
        </div>
      ) : (
        <>
          <div className={styles.display} role="group" aria-label={t('card.display')}>
            <ToggleButton size="small" icon={<ChartMultipleRegular />} checked={display === 'chart'} onClick={() => setDisplay('chart')}>
              {t('card.display.chart')}
            </ToggleButton>
            <ToggleButton size="small" icon={<NumberSymbolRegular />} checked={display === 'table'} onClick={() => setDisplay('table')} data-testid="measure-table-toggle">
              {t('card.display.table')}
            </ToggleButton>
          </div>
          {display === 'chart' ? (
            <BarChart
              horizontal
              title={title}
              valueLabel={title}
              bars={result.data.groups.map((g) => ({ label: groupLabel(g.key), value: g.value ?? 0, valueText: valueText(g.value) }))}
            />
          ) : (
            <div className={styles.scroller}>
              <Table size="small" aria-label={title} data-testid="measure-groups">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>{groupBy}</TableHeaderCell>
                    <TableHeaderCell className={styles.number}>{title}</TableHeaderCell>
                    <TableHeaderCell className={styles.number}>{t('measures.accounts')}</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {result.data.groups.map((g) => (
                    <TableRow key={g.key ?? '\u0000'}>
                      <TableCell>{groupLabel(g.key)}</TableCell>
                      <TableCell className={styles.number}>{valueText(g.value)}</TableCell>
                      <TableCell className={styles.number}>{format.number(g.count)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
