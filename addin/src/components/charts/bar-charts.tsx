import { makeStyles, tokens } from '@fluentui/react-components';
// Named imports of individual charts only: the package is side-effect free, so the bundler
// drops every other chart (and DeclarativeChart's heavy dependencies) from this chunk.
import {
  DataVizPalette,
  GroupedVerticalBarChart,
  getColorFromToken,
  HorizontalBarChartWithAxis,
  VerticalBarChart,
  type GroupedVerticalBarChartData,
  type HorizontalBarChartWithAxisDataPoint,
  type VerticalBarChartDataPoint,
} from '@fluentui/react-charts';
import type { BarChartProps, ChartBar, GroupedBarChartProps } from './chart-types';
import { useElementWidth } from './use-element-width';

const useStyles = makeStyles({
  root: {
    width: '100%',
    minWidth: 0,
    overflow: 'hidden',
    color: tokens.colorNeutralForeground1,
  },
});

// Data-visualisation palette tokens, resolved to the light or dark variant of the theme the
// chart sits in (SVG fills cannot take CSS variables, so the theme is read from the element).
const seriesTokens = [DataVizPalette.color1, DataVizPalette.color2, DataVizPalette.color3, DataVizPalette.color5];

/** A dark or high-contrast theme writes light text: that is how the chart tells the themes apart. */
function writesLightText(el: HTMLElement | null): boolean {
  if (!el) return false;
  const parts = getComputedStyle(el).color.match(/[\d.]+/g)?.slice(0, 3).map(Number) ?? [0, 0, 0];
  const [r = 0, g = 0, b = 0] = parts;
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 > 0.5;
}

/** `culture` is the formatting locale for the axis ticks, which the chart formats itself. */
type WithCulture<P> = P & { culture?: string };

/**
 * A key that changes whenever the set of drawn bars changes. The library's arrow-key group
 * remembers the last focused bar; once that bar is gone (other periods, a value now zero),
 * Tab stopped before the chart instead of entering it (seen in Chromium). Remounting the
 * chart when its bars change gives it a fresh group that starts at the first bar.
 */
function barsKey(labels: string[], drawn: boolean[]): string {
  return labels.map((label, i) => `${label}:${drawn[i] ? 1 : 0}`).join('|');
}

/**
 * What a bar shows whichever way the chart is drawn: its tooltip (category and value) and
 * the accessible name a focused bar is announced with.
 */
function barPoint(bar: ChartBar, valueLabel: string, color: string) {
  return {
    legend: bar.label,
    color,
    xAxisCalloutData: bar.label,
    yAxisCalloutData: bar.valueText,
    callOutAccessibilityData: { ariaLabel: `${bar.label}: ${bar.valueText} ${valueLabel}` },
  };
}

/** One value per category (runs over time, a measure by attribute). Bars take keyboard focus and show their tooltip. */
export function BarChart({ title, bars, valueLabel, height = 220, horizontal = false, culture }: WithCulture<BarChartProps>) {
  const styles = useStyles();
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const colour = getColorFromToken(DataVizPalette.color1, writesLightText(ref.current));
  if (horizontal) {
    const data: HorizontalBarChartWithAxisDataPoint[] = bars.map((bar) => ({ x: bar.value, y: bar.label, ...barPoint(bar, valueLabel, colour) }));
    return (
      <div ref={ref} className={styles.root} role="figure" aria-label={title}>
        <HorizontalBarChartWithAxis
          key={barsKey(bars.map((bar) => bar.label), bars.map((bar) => bar.value !== 0))}
          culture={culture}
          data={data}
          width={width}
          height={Math.max(height, bars.length * 32 + 40)}
          hideLegend
          chartTitle={title}
          useSingleColor
        />
      </div>
    );
  }
  const data: VerticalBarChartDataPoint[] = bars.map((bar) => ({ x: bar.label, y: bar.value, ...barPoint(bar, valueLabel, colour) }));
  return (
    <div ref={ref} className={styles.root} role="figure" aria-label={title}>
      <VerticalBarChart
        key={barsKey(bars.map((bar) => bar.label), bars.map((bar) => bar.value !== 0))}
        culture={culture}
        data={data}
        width={width}
        height={height}
        hideLegend
        chartTitle={title}
        useSingleColor
        maxBarWidth={32}
        hideTickOverlap
        wrapXAxisLables
      />
    </div>
  );
}

/** Several values per period (emails to/from, meetings by side), one bar each, with a legend. */
export function GroupedBarChart({ title, series, groups, height = 240, culture }: WithCulture<GroupedBarChartProps>) {
  const styles = useStyles();
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const dark = writesLightText(ref.current);
  const data: GroupedVerticalBarChartData[] = groups.map((group) => {
    const period = group.description ?? group.label;
    return {
      name: group.label,
      series: series.map((s, i) => ({
        key: s.key,
        legend: s.legend,
        data: group.values[s.key] ?? 0,
        color: getColorFromToken(seriesTokens[i % seriesTokens.length]!, dark),
        xAxisCalloutData: period,
        yAxisCalloutData: group.valueTexts[s.key] ?? '',
        callOutAccessibilityData: { ariaLabel: `${period}, ${s.legend}: ${group.valueTexts[s.key] ?? ''}` },
      })),
    };
  });
  return (
    <div ref={ref} className={styles.root} role="figure" aria-label={title}>
      <GroupedVerticalBarChart
        key={barsKey(
          groups.flatMap((group) => series.map((s) => `${group.label}/${s.key}`)),
          groups.flatMap((group) => series.map((s) => (group.values[s.key] ?? 0) !== 0)),
        )}
        culture={culture}
        data={data}
        width={width}
        height={height}
        chartTitle={title}
        hideTickOverlap
        maxBarWidth={16}
      />
    </div>
  );
}
