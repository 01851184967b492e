import { Badge, Caption1, makeStyles, mergeClasses, tokens, type BadgeProps } from '@fluentui/react-components';
import { useI18n } from '../platform/i18n/i18n-context';
import { scoreBand, trendWording } from './score-wording';

const useStyles = makeStyles({
  band: { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  trend: { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  up: { color: tokens.colorPaletteGreenForeground1 },
  down: { color: tokens.colorPaletteRedForeground1 },
  other: { color: tokens.colorNeutralForeground2 },
});

/**
 * Fluent's own badge colours (theme tokens): they keep their contrast in the dark and
 * high-contrast themes, and the band is written out, so colour is never the only cue.
 */
const bandColor: Record<ReturnType<typeof scoreBand>, BadgeProps['color']> = { high: 'success', medium: 'warning', low: 'danger', none: 'subtle' };

/**
 * A score with its band: "82 · High", announced as "Engagement score 82, High". `compact` (a
 * 320 px grid) shows the number alone in the band's colour, and still announces the band.
 */
export function ScoreBandBadge({ score, compact, testId }: { score: number; compact?: boolean; testId?: string }) {
  const styles = useStyles();
  const { t, format } = useI18n();
  const band = scoreBand(score);
  const label = t(`band.${band}`);
  return (
    <Badge
      className={styles.band}
      appearance="tint"
      shape="rounded"
      color={bandColor[band]}
      aria-label={t('band.badgeLabel', { score, band: label })}
      title={compact ? t('band.badgeLabel', { score, band: label }) : undefined}
      data-band={band}
      data-testid={testId}
    >
      {compact ? format.number(score) : `${format.number(score)} · ${label}`}
    </Badge>
  );
}

/** The change since the previous run: "▲ 12", "▼ 5", "New"; nothing before a second run. */
export function ScoreChangeText({ change, previousAsOf, testId }: { change: number | null; previousAsOf: string | null; testId?: string }) {
  const styles = useStyles();
  const { t, format } = useI18n();
  const w = trendWording(t, format, change, previousAsOf);
  if (w.direction === 'first') return null;
  return (
    <Caption1
      className={mergeClasses(styles.trend, w.direction === 'up' ? styles.up : w.direction === 'down' ? styles.down : styles.other)}
      aria-label={w.label}
      title={w.label}
      data-direction={w.direction}
      data-testid={testId}
    >
      {w.text}
    </Caption1>
  );
}
