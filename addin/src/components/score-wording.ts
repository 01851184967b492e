import type { Formatters, Translate } from '../platform/i18n/i18n';
import type { CustomerCard, ScoreBand } from '../platform/api/contracts';

/**
 * The card's score in words: each part in its natural unit set against the typical (median)
 * active account, what the band means, and the change since the previous run. Pure functions of
 * the API's card and a translator, so the wording is tested without a browser.
 */

type Explanation = CustomerCard['score']['explanation'][number];

/** The band of a score (spec: High 70–100, Medium 40–69, Low 1–39; 0 is no engagement). */
export function scoreBand(score: number): ScoreBand {
  return score >= 70 ? 'high' : score >= 40 ? 'medium' : score >= 1 ? 'low' : 'none';
}

/** A median as a reader takes it: whole numbers stay whole, a half stays (2.5 meetings), no more digits. */
function typical(median: number): number {
  return Math.round(median * 10) / 10;
}

/** "9 meetings in the last 90 days — typical active account: 2", "Last contact 88 days ago — typical: 12 days". */
export function partSentence(t: Translate, item: Explanation): string {
  return t(`card.explain.${item.part}`, { value: item.value, median: typical(item.median) });
}

/** Whether the part helped, held back or made no difference; a part equal to the typical value is never "raised" or "lowered". */
export function partEffect(item: Explanation): Explanation['effect'] {
  return item.value === item.median ? 'neutral' : item.effect;
}

export function bandMeaning(t: Translate, score: number): string {
  return t(`card.band.${scoreBand(score)}`);
}

export interface TrendWording {
  direction: 'up' | 'down' | 'same' | 'new' | 'first';
  /** Short: "▲ 12", "▼ 5", "New". */
  text: string;
  /** Whole, for assistive technology and the tooltip: "Up 12 points since 23 Feb 2026". */
  label: string;
}

/** The change since the previous run in words; `previousAsOf` null means there is no previous run. */
export function trendWording(t: Translate, format: Formatters, change: number | null, previousAsOf: string | null): TrendWording {
  if (!previousAsOf) return { direction: 'first', text: '', label: t('trend.first') };
  const date = format.date(previousAsOf);
  if (change === null) return { direction: 'new', text: t('trend.new'), label: t('trend.newLabel', { date }) };
  if (change > 0) return { direction: 'up', text: t('trend.up', { change }), label: t('trend.upLabel', { change, date }) };
  if (change < 0) return { direction: 'down', text: t('trend.down', { change: -change }), label: t('trend.downLabel', { change: -change, date }) };
  return { direction: 'same', text: t('trend.same'), label: t('trend.sameLabel', { date }) };
}
