import { makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import { ChartFrame } from './chart-frame';
import type { ChartBar } from './chart-types';

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    // Labels get up to 40 % and wrap; the bar takes the rest; the value sits at the end.
    gridTemplateColumns: 'minmax(0, max-content) minmax(48px, 1fr) max-content',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalS,
    alignItems: 'center',
  },
  // Each item spans the list's columns (subgrid), so labels, bars and values line up and it stays a list item.
  item: { display: 'grid', gridColumn: '1 / -1', gridTemplateColumns: 'subgrid', alignItems: 'center' },
  label: { ...typographyStyles.body1, overflowWrap: 'anywhere', maxWidth: '40vw' },
  track: { height: '16px', borderRadius: tokens.borderRadiusSmall, backgroundColor: tokens.colorNeutralBackground3 },
  fill: {
    height: '100%',
    borderRadius: tokens.borderRadiusSmall,
    backgroundColor: tokens.colorBrandBackground,
    // In forced colours a filled box would vanish; an outline keeps the bar visible.
    '@media (forced-colors: active)': { backgroundColor: 'CanvasText' },
  },
  value: { ...typographyStyles.body1Strong, fontVariantNumeric: 'tabular-nums', textAlign: 'end' },
});

/**
 * A measure per category (an industry, a country) as horizontal bars, largest first: plain
 * HTML, so every label is shown in full (wrapping, never clipped), each bar carries its value
 * in text, and a screen reader reads the list as "label, value".
 */
export function RankedBars({ title, bars, headingLevel = 3 }: { title: string; bars: ChartBar[]; headingLevel?: 2 | 3 }) {
  const styles = useStyles();
  const sorted = [...bars].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const max = Math.max(0, ...sorted.map((bar) => bar.value));
  return (
    <ChartFrame title={title} headingLevel={headingLevel}>
      {(titleId) => (
        <ol className={styles.list} aria-labelledby={titleId} data-testid="ranked-bars">
          {sorted.map((bar) => (
            <li key={bar.label} className={styles.item} data-label={bar.label} data-value={bar.value}>
              <span className={styles.label}>{bar.label}</span>
              <span className={styles.track} aria-hidden>
                <span className={styles.fill} style={{ display: 'block', width: `${max > 0 ? Math.max(0, (bar.value / max) * 100) : 0}%` }} />
              </span>
              <span className={styles.value} data-testid="bar-value">
                {bar.valueText}
              </span>
            </li>
          ))}
        </ol>
      )}
    </ChartFrame>
  );
}
