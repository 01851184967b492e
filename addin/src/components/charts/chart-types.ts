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

export interface BarChartProps {
  title: string;
  bars: ChartBar[];
  /** What a bar counts, for the tooltip (e.g. "Accounts enriched"). */
  valueLabel: string;
  height?: number;
  horizontal?: boolean;
}

export interface GroupedBarChartProps {
  title: string;
  series: ChartSeries[];
  groups: ChartGroup[];
  height?: number;
}
