import { makeStyles, tokens } from '@fluentui/react-components';
// Named imports of individual charts only: the package is side-effect free, so the bundler
// drops every other chart (and DeclarativeChart's heavy dependencies) from this chunk.
import {
  DataVizPalette,
  GroupedVerticalBarChart,
  getColorFromToken,
  VerticalBarChart,
  type GroupedVerticalBarChartData,
  type VerticalBarChartDataPoint,
} from '@fluentui/react-charts';
import { useCallback, useEffect, useMemo } from 'react';
import type { BarChartProps, ChartBar, GroupedBarChartProps } from './chart-types';
import { useElementWidth } from './use-element-width';

const useStyles = makeStyles({
  root: {
    width: '100%',
    minWidth: 0,
    overflow: 'hidden',
    color: tokens.colorNeutralForeground1,
    // Legends read exactly as the locale's strings write them: the library capitalises every
    // word ("E-Mails Vers Le Compte"), which is wrong in most languages.
    '& .fui-legend__legend': { textTransform: 'none' },
    '& .fui-legend__text': { textTransform: 'none' },
  },
});

/**
 * Value-axis settings for counts: ticks at whole numbers only. With small maxima (a meeting or
 * two) the library's four default ticks land on 0.75 and 1.5; asking for at most as many
 * ticks as the maximum keeps d3's steps at 1 or more, and the format drops anything else.
 */
function integerAxis(max: number, culture: string | undefined) {
  const top = Math.max(1, Math.ceil(max));
  const number = new Intl.NumberFormat(culture, { maximumFractionDigits: 0 });
  return {
    yMaxValue: top,
    yAxisTickCount: Math.min(4, top),
    yAxisTickFormat: (value: number) => (Number.isInteger(value) ? number.format(value) : ''),
  };
}

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

/** The library's groups of bars, and its legend list and legend overflow menu (both named "Legends"). */
const BAR_GROUPS = 'g[role="listbox"][aria-label]';
const LEGEND_LISTS = '[aria-label="Legends"]';

/**
 * The chart library names its groups of bars and its legend list in English ("Mar 2025,
 * category 1 of 13, with 2 bars", "1 series and 2 bars", "Legends") with no way to pass words
 * in. Once drawn, and whenever it redraws, each element `selector` finds gets the name `nameOf`
 * gives for the library's own (undefined keeps it).
 */
function useGroupNames(container: React.RefObject<HTMLDivElement | null>, nameOf: (libraryName: string) => string | undefined, selector = BAR_GROUPS): void {
  useEffect(() => {
    const root = container.current;
    if (!root) return undefined;
    const rename = () => {
      for (const g of root.querySelectorAll(selector)) {
        const current = g.getAttribute('aria-label') ?? '';
        const name = nameOf(current);
        if (name && current !== name) g.setAttribute('aria-label', name);
      }
    };
    rename();
    const observer = new MutationObserver(rename);
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
    return () => observer.disconnect();
  }, [container, nameOf, selector]);
}

/** One value per category (runs over time). Bars take keyboard focus and show their tooltip. */
export function BarChart({ title, bars, valueLabel, height = 220, integer, culture }: WithCulture<BarChartProps>) {
  const styles = useStyles();
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const colour = getColorFromToken(DataVizPalette.color1, writesLightText(ref.current));
  // One group holds every bar: it is the chart itself, named by its title.
  useGroupNames(ref, useCallback(() => title, [title]));
  const data: VerticalBarChartDataPoint[] = bars.map((bar) => ({ x: bar.label, y: bar.value, ...barPoint(bar, valueLabel, colour) }));
  return (
    <div ref={ref} className={styles.root}>
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
        // The library describes the chart in English; its title says what it shows.
        svgProps={{ 'aria-label': title }}
        {...(integer ? integerAxis(Math.max(0, ...bars.map((b) => b.value)), culture) : {})}
      />
    </div>
  );
}

/** Several values per period (emails to/from, meetings by side), one bar each, with a legend. */
export function GroupedBarChart({ title, series, groups, height = 240, integer, groupName, legendsName, culture }: WithCulture<GroupedBarChartProps>) {
  const styles = useStyles();
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const names = useMemo(
    () => new Map(groupName ? groups.map((group, index) => [group.label, groupName(group, index, groups.length)] as const) : []),
    [groups, groupName],
  );
  // The library's name starts with the group's axis label: "Mar 2025, category 1 of 13, …".
  useGroupNames(ref, useCallback((libraryName: string) => names.get(libraryName.split(', category ')[0] ?? ''), [names]));
  useGroupNames(ref, useCallback(() => legendsName, [legendsName]), LEGEND_LISTS);
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
  const max = Math.max(0, ...groups.flatMap((group) => series.map((s) => group.values[s.key] ?? 0)));
  return (
    <div ref={ref} className={styles.root}>
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
        // A year of weeks is 106 bars: numbers over each would overlap. Values are in each
        // bar's tooltip and in the table view.
        hideLabels
        enabledLegendsWrapLines
        svgProps={{ 'aria-label': title }}
        {...(integer ? integerAxis(max, culture) : {})}
      />
    </div>
  );
}
