import { Skeleton, SkeletonItem } from '@fluentui/react-components';
import { Suspense, lazy, useCallback } from 'react';
import { useI18n } from '../../platform/i18n/i18n-context';
import { ChartFrame } from './chart-frame';
import type { BarChartProps, ChartGroup, GroupedBarChartProps } from './chart-types';

export type { BarChartProps, ChartBar, ChartGroup, ChartSeries, GroupedBarChartProps } from './chart-types';

// The chart library (d3 and friends) is the heaviest code in the tab: it loads in its own
// chunk the first time a chart is shown, never with the seller's first page.
const LazyBarChart = lazy(() => import('./bar-charts').then((m) => ({ default: m.BarChart })));
const LazyGroupedBarChart = lazy(() => import('./bar-charts').then((m) => ({ default: m.GroupedBarChart })));

function ChartLoading({ height }: { height: number }) {
  const { t } = useI18n();
  return (
    <Skeleton aria-label={t('charts.loading')} role="progressbar" aria-busy="true">
      <SkeletonItem style={{ height: `${height}px` }} />
    </Skeleton>
  );
}

// The chart chunk gets the formatting locale as a prop rather than importing the i18n context,
// which would change how the bundler splits the first page's chunks.
export function BarChart(props: BarChartProps) {
  const { locale } = useI18n();
  return (
    <ChartFrame title={props.title} headingLevel={props.headingLevel}>
      {() => (
        <Suspense fallback={<ChartLoading height={props.height ?? 220} />}>
          <LazyBarChart {...props} culture={locale.formatLocale} />
        </Suspense>
      )}
    </ChartFrame>
  );
}

export function GroupedBarChart(props: GroupedBarChartProps) {
  const { t, locale } = useI18n();
  const groupName = useCallback(
    (group: ChartGroup, index: number, total: number) => t('charts.groupName', { period: group.description ?? group.label, index: index + 1, total }),
    [t],
  );
  return (
    <ChartFrame title={props.title} headingLevel={props.headingLevel}>
      {() => (
        <Suspense fallback={<ChartLoading height={props.height ?? 240} />}>
          <LazyGroupedBarChart groupName={groupName} legendsName={t('charts.legends')} {...props} culture={locale.formatLocale} />
        </Suspense>
      )}
    </ChartFrame>
  );
}
