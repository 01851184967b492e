import { beforeAll, describe, expect, it } from 'vitest';
import { bandMeaning, partEffect, partSentence, scoreBand, trendWording } from '../../addin/src/components/score-wording';
import { createFormatters, createTranslator, loadMessages, supportedUiLocales, type Translate } from '../../addin/src/platform/i18n/i18n';
import type { Messages } from '../../addin/src/platform/i18n/strings-en';

/**
 * The card's score in words: each part in its unit against the typical active account, the
 * band's meaning, the change since the previous run, in English and the other tables.
 */

const tables = new Map<string, Messages>();
beforeAll(async () => {
  for (const locale of supportedUiLocales) tables.set(locale, await loadMessages(locale));
});
const translator = (uiLocale: string): Translate => createTranslator({ uiLocale, formatLocale: uiLocale === 'en' ? 'en-GB' : uiLocale }, tables.get(uiLocale)!);
const format = createFormatters({ uiLocale: 'en', formatLocale: 'en-GB' });
const item = (part: 'recentEmails' | 'recentMeetings' | 'people' | 'daysSinceLastContact', value: number, median: number, effect: 'raised' | 'lowered' | 'neutral' = 'neutral') => ({ part, value, median, effect });

describe('score wording', () => {
  it('when a part is explained, then it reads in its unit against the typical active account', () => {
    const t = translator('en');
    expect(partSentence(t, item('recentMeetings', 9, 2))).toBe('9 meetings in the last 90 days — typical active account: 2');
    expect(partSentence(t, item('recentEmails', 1, 12.25))).toBe('1 email in the last 90 days — typical active account: 12.3');
    expect(partSentence(t, item('daysSinceLastContact', 88, 12))).toBe('Last contact 88 days ago — typical: 12 days');
    expect(partSentence(t, item('daysSinceLastContact', 1, 1))).toBe('Last contact 1 day ago — typical: 1 day');
    expect(partSentence(t, item('people', 7, 2))).toBe('7 of their people involved — typical: 2');
    expect(partSentence(t, item('recentMeetings', 1500, 2.5))).toBe('1,500 meetings in the last 90 days — typical active account: 2.5');
  });

  it('when a part equals the typical value, then it is never said to raise or lower the score', () => {
    expect(partEffect(item('people', 2, 2, 'raised'))).toBe('neutral');
    expect(partEffect(item('people', 3, 2, 'raised'))).toBe('raised');
    expect(partEffect(item('daysSinceLastContact', 40, 12, 'lowered'))).toBe('lowered');
  });

  it('when a score is banded, then the bands are the spec’s and each says what it means', () => {
    expect([100, 70, 69, 40, 39, 1, 0].map(scoreBand)).toEqual(['high', 'high', 'medium', 'medium', 'low', 'low', 'none']);
    const t = translator('en');
    expect(bandMeaning(t, 84)).toBe('High (70–100): among the most engaged accounts.');
    expect(bandMeaning(t, 40)).toMatch(/^Medium \(40–69\)/);
    expect(bandMeaning(t, 12)).toMatch(/^Low \(1–39\)/);
    expect(bandMeaning(t, 0)).toMatch(/^No engagement \(0\)/);
  });

  it('when the score changed since the previous run, then it reads ▲ / ▼ with the points, "New" for a new account, nothing on a first run', () => {
    const t = translator('en');
    const previous = '2026-02-23T00:00:00.000Z';
    expect(trendWording(t, format, 12, previous)).toEqual({ direction: 'up', text: '▲ 12', label: 'Up 12 points since 23 Feb 2026' });
    expect(trendWording(t, format, -1, previous)).toEqual({ direction: 'down', text: '▼ 1', label: 'Down 1 point since 23 Feb 2026' });
    expect(trendWording(t, format, 0, previous)).toMatchObject({ direction: 'same', text: 'No change' });
    expect(trendWording(t, format, null, previous)).toMatchObject({ direction: 'new', text: 'New' });
    expect(trendWording(t, format, null, null)).toMatchObject({ direction: 'first', text: '' });
  });

  it('when the how-is-it-calculated text is read, then it is two sentences naming the half-life', () => {
    const t = translator('en');
    const body = t('card.how.body', { days: 30 });
    expect(body).toContain('every 30 days of age (the half-life)');
    expect(body.split(/(?<=\.)\s/)).toHaveLength(2);
    expect(t('card.how.body', { days: 1 })).toContain('every 1 day of age');
  });

  it('when another language reads the parts, then its plurals and units follow the count', () => {
    expect(partSentence(translator('fr'), item('recentMeetings', 1, 2))).toBe('1 réunion sur les 90 derniers jours — compte actif type\u00a0: 2');
    expect(partSentence(translator('pl'), item('recentMeetings', 5, 2))).toBe('5 spotkań w ostatnich 90 dniach — typowe aktywne konto: 2');
    expect(partSentence(translator('pl'), item('daysSinceLastContact', 2, 12.5))).toBe('Ostatni kontakt 2 dni temu — typowo: 12,5 dnia');
    expect(partSentence(translator('zh-HK'), item('recentEmails', 3, 2))).toBe('過去 90 日有 3 封電郵——一般活躍客戶帳戶：2');
    for (const locale of supportedUiLocales) {
      const t = translator(locale);
      for (const part of ['recentEmails', 'recentMeetings', 'people', 'daysSinceLastContact'] as const) {
        const sentence = partSentence(t, item(part, 4, 2));
        expect(sentence, `${locale} ${part}`).toContain('4');
        expect(sentence, `${locale} ${part}`).not.toMatch(/[{}#]/);
      }
    }
  });
});
