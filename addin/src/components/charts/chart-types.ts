/** Data the chart components take: already labelled and formatted by the page for its locale. */
export interface ChartBar {
  /** Axis label, e.g. a formatted date or an industry. */
  label: string;
  value: number;
  /** The value as the locale writes it, for the tooltip. */
  valueText: string;
}

export interface ChartSeries {
  key: string;
  legend: string;
}

export interface ChartGroup {
  /** Short axis label, e.g. "3 Mar". */
  label: string;
  /**
   * The period in full for the tooltip and for screen readers, e.g. "Week of 3 March 2025":
   * a bar's accessible name must make sense without the axis beside it.
   */
  description?: string;
  values: Record<string, number>;
  valueTexts: Record<string, string>;
}

interface ChartCommon {
  /** Shown above the chart as its heading, and the chart's accessible name. */
  title: string;
  /** The heading level of the title in the page's outline (3 inside a section, 2 on its own). */
  headingLevel?: 2 | 3;
  /** Counts (emails, meetings, accounts): the value axis ticks only at whole numbers. */
  integer?: boolean;
  height?: number;
}

export interface BarChartProps extends ChartCommon {
  bars: ChartBar[];
  /** What a bar counts, for the tooltip (e.g. "Accounts enriched"). */
  valueLabel: string;
}

export interface GroupedBarChartProps extends ChartCommon {
  series: ChartSeries[];
  groups: ChartGroup[];
  /**
   * How a period's group of bars is announced, e.g. "March 2025, 1 of 13" (the chart library
   * would say it in English); given by the page, which has the strings.
   */
  groupName?: (group: ChartGroup, index: number, total: number) => string;
  /** The name of the legend list, in the reader's language (the library's own is English). */
  legendsName?: string;
}
