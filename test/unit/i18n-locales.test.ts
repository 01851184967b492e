import { beforeAll, describe, expect, it } from 'vitest';
import {
  createFormatters,
  createTranslator,
  localeOverrideFromSearch,
  matchUiLocale,
  loadMessages,
  resolveLocale,
  supportedUiLocales,
} from '../../addin/src/platform/i18n/i18n';
import { stringsEn, type StringKey } from '../../addin/src/platform/i18n/strings-en';

/**
 * The tab's translations: every locale has exactly the English keys, keeps each string's
 * `{placeholders}`, and the Teams/browser locale picks the right table.
 */

const translated = ['fr', 'pl', 'sv', 'id', 'zh-HK'] as const;
const englishKeys = Object.keys(stringsEn).sort();
/** The parameters a string uses, plain `{name}` or as a plural block's count, once each. */
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)(?:\}|\s*,\s*plural\s*,)/g)].map((m) => m[1]!))].sort();

describe('string tables', () => {
  it('when the catalogue is listed, then English and the five required translations are offered', () => {
    expect([...supportedUiLocales].sort()).toEqual(['en', ...translated].sort());
  });

  it.each(translated)('when %s is compared with English, then it has exactly the same keys', async (locale) => {
    const messages = await loadMessages(locale);
    expect(messages, `${locale} table`).not.toBe(stringsEn);
    expect(Object.keys(messages).sort()).toEqual(englishKeys);
  });

  it.each(translated)('when %s is compared with English, then every string keeps the same placeholders', async (locale) => {
    const messages = await loadMessages(locale);
    const mismatches = englishKeys
      .map((key) => key as StringKey)
      .filter((key) => placeholders(messages[key]).join(',') !== placeholders(stringsEn[key]).join(','))
      .map((key) => `${key}: ${JSON.stringify(placeholders(stringsEn[key]))} vs ${JSON.stringify(placeholders(messages[key]))}`);
    expect(mismatches).toEqual([]);
  });

  it.each(translated)('when %s is read, then no string is empty and most are really translated', async (locale) => {
    const messages = await loadMessages(locale);
    const keys = englishKeys.map((key) => key as StringKey);
    expect(keys.filter((key) => !messages[key].trim())).toEqual([]);
    // Brand names, ids and symbols legitimately stay as in English; anything near half would
    // mean a table was filled by copying English.
    const same = keys.filter((key) => messages[key] === stringsEn[key]);
    expect(same.length / keys.length).toBeLessThan(0.1);
    // Navigation is always translated.
    for (const key of ['nav.customers', 'nav.enrichments', 'state.loading'] as const) {
      expect(messages[key], `${locale} ${key}`).not.toBe(stringsEn[key]);
    }
  });

  it('when French is read, then a no-break space comes before every colon, semicolon, question and exclamation mark', async () => {
    const messages = await loadMessages('fr');
    // Placeholders and the ⌘C key name are not prose; what remains must follow French typography.
    const prose = (text: string) => text.replace(/\{[^{}]*\}/g, 'x').replace(/⌘C/g, '');
    const wrong = englishKeys
      .map((key) => [key, prose(messages[key as StringKey])] as const)
      .filter(([, text]) => /(^|[^\u00a0\u202f])[:;?!](\s|$)/.test(text))
      .map(([key]) => key);
    expect(wrong).toEqual([]);
  });

  it('when Hong Kong Chinese is read, then colons are full-width, never an ASCII ": "', async () => {
    const messages = await loadMessages('zh-HK');
    expect(englishKeys.filter((key) => /: /.test(messages[key as StringKey]))).toEqual([]);
  });
});

describe('matchUiLocale', () => {
  it.each([
    ['fr-FR', 'fr'],
    ['fr-CA', 'fr'],
    ['fr', 'fr'],
    ['pl-PL', 'pl'],
    ['sv-SE', 'sv'],
    ['sv-FI', 'sv'],
    ['id-ID', 'id'],
    ['in-ID', 'id'],
    ['zh-HK', 'zh-HK'],
    ['zh-hk', 'zh-HK'],
    ['zh-TW', 'zh-HK'],
    ['zh-MO', 'zh-HK'],
    ['zh-Hant', 'zh-HK'],
    ['zh-Hant-TW', 'zh-HK'],
    ['en-GB', 'en'],
  ])('when the locale is %s, then the %s table is used', (tag, expected) => {
    expect(matchUiLocale(tag)).toBe(expected);
  });

  it.each(['zh-CN', 'zh-Hans', 'zh-Hans-HK', 'zh', 'nb-NO', 'da-DK', 'de-DE', 'not a locale!'])(
    'when the locale is %s, then no table matches it',
    (tag) => {
      expect(matchUiLocale(tag)).toBeNull();
    },
  );
});

describe('resolveLocale with translations', () => {
  it('when Teams says fr-FR, then French strings and French formatting are used', () => {
    expect(resolveLocale(['fr-FR', 'en-US'])).toEqual({ uiLocale: 'fr', formatLocale: 'fr-FR' });
  });

  it('when Teams says zh-TW, then the Traditional Chinese table is used and Taiwan formatting kept', () => {
    expect(resolveLocale(['zh-TW'])).toEqual({ uiLocale: 'zh-HK', formatLocale: 'zh-TW' });
  });

  it('when the first locale has no table, then a later one that has is used for strings only', () => {
    expect(resolveLocale(['zh-CN', 'sv-SE'])).toEqual({ uiLocale: 'sv', formatLocale: 'zh-CN' });
    expect(resolveLocale(['de-DE', 'nb-NO'])).toEqual({ uiLocale: 'en', formatLocale: 'de-DE' });
  });
});

describe('localeOverrideFromSearch', () => {
  it('when the URL has ?locale=, then its trimmed value is returned, otherwise null', () => {
    expect(localeOverrideFromSearch('?page=customers&locale=zh-HK')).toBe('zh-HK');
    expect(localeOverrideFromSearch('?locale=%20fr-FR%20')).toBe('fr-FR');
    expect(localeOverrideFromSearch('?locale=')).toBeNull();
    expect(localeOverrideFromSearch('?page=customers')).toBeNull();
  });
});

describe('loadMessages', () => {
  it('when the locale has no table, then English is returned', async () => {
    expect(await loadMessages('de')).toBe(stringsEn);
    expect(await loadMessages('en')).toBe(stringsEn);
  });
});

describe('translated formatting', () => {
  beforeAll(async () => {
    // createTranslator reads the loaded table; load the ones these cases use.
    await Promise.all(translated.map((locale) => loadMessages(locale)));
  });

  it('when French is used, then strings are French and numbers in them use French grouping', () => {
    const locale = { uiLocale: 'fr', formatLocale: 'fr-FR' };
    const t = createTranslator(locale);
    expect(t('customers.total', { count: 12345 })).toBe(`${new Intl.NumberFormat('fr-FR').format(12345)} clients`);
    expect(t('customers.total', { count: 12345 })).toMatch(/^12\s345 clients$/u);
    expect(createFormatters(locale).date('2026-03-02T09:30:00Z')).toBe('2 mars 2026');
  });

  it('when Hong Kong Chinese is used, then strings are Chinese and dates follow zh-HK', () => {
    const locale = { uiLocale: 'zh-HK', formatLocale: 'zh-HK' };
    expect(createTranslator(locale)('nav.customers')).toBe('客戶');
    expect(createTranslator(locale)('grid.page', { page: 2, pages: 1200 })).toBe('第 2 頁，共 1,200 頁');
    expect(createFormatters(locale).date('2026-03-02T09:30:00Z')).toBe('2026年3月2日');
  });

  it('when Polish or Swedish is used, then region names come in that language', () => {
    expect(createFormatters({ uiLocale: 'pl', formatLocale: 'pl-PL' }).region('SE')).toBe('Szwecja');
    expect(createFormatters({ uiLocale: 'sv', formatLocale: 'sv-SE' }).region('PL')).toBe('Polen');
  });
});
