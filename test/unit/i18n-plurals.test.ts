import { beforeAll, describe, expect, it } from 'vitest';
import { createTranslator, loadMessages, pluralBlocks, supportedUiLocales, type PluralBlock } from '../../addin/src/platform/i18n/i18n';
import { stringsEn, type Messages, type StringKey } from '../../addin/src/platform/i18n/strings-en';

/**
 * Plural forms in the tab's strings: every plural block of every table has exactly the CLDR
 * categories of its language (as the platform's Intl.PluralRules lists them), the translator
 * picks the right one, and counts stay formatted for the formatting locale.
 */

const tables = new Map<string, Messages>();
beforeAll(async () => {
  for (const locale of supportedUiLocales) tables.set(locale, await loadMessages(locale));
});

/** Every plural block of a string, including blocks nested in another block's branches. */
function allBlocks(template: string): PluralBlock[] {
  return pluralBlocks(template).flatMap((block) => [block, ...Object.values(block.forms).flatMap(allBlocks)]);
}

const keys = Object.keys(stringsEn) as StringKey[];
const pluralKeys = (messages: Messages) => keys.filter((key) => pluralBlocks(messages[key]).length > 0).sort();
const categoriesOf = (locale: string) => [...new Intl.PluralRules(locale).resolvedOptions().pluralCategories].sort();

describe('plural blocks in the string tables', () => {
  it('when the platform lists the categories, then Polish needs four and Indonesian and Chinese only one', () => {
    expect(categoriesOf('pl')).toEqual(['few', 'many', 'one', 'other']);
    expect(categoriesOf('id')).toEqual(['other']);
    expect(categoriesOf('zh-HK')).toEqual(['other']);
  });

  it.each(supportedUiLocales)('when the %s table is read, then every plural block has exactly its language’s categories', (locale) => {
    const messages = tables.get(locale)!;
    const expected = categoriesOf(locale);
    const wrong = keys.flatMap((key) =>
      allBlocks(messages[key])
        .filter((block) => Object.keys(block.forms).sort().join() !== expected.join())
        .map((block) => `${key} {${block.name}}: ${Object.keys(block.forms).join('/')}`),
    );
    expect(wrong).toEqual([]);
    expect(pluralKeys(messages).length).toBeGreaterThan(30);
  });

  it.each(supportedUiLocales.filter((l) => l !== 'en'))('when %s is compared with English, then the same strings count with plural forms', (locale) => {
    expect(pluralKeys(tables.get(locale)!)).toEqual(pluralKeys(stringsEn));
  });

  it('when an English string names a number of things, then that number picks a plural form', () => {
    // Counts that stand alone ("Mailbox errors (3)", "(now 3)", "Added 3.") or share the noun
    // of a plural total ("3 of 40 accounts") need no form of their own.
    const standalone = /\((?:now )?\{count\}\)|Added \{count\}\.|\{count\} of /g;
    const countNames = ['count', 'accounts', 'contacts', 'mailboxes', 'days', 'hours', 'rows', 'columns'];
    const plain = keys.filter((key) => {
      const outside = pluralBlocks(stringsEn[key]).reduceRight(
        (text, block) => text.slice(0, block.start) + text.slice(block.end),
        stringsEn[key] as string,
      );
      return countNames.some((name) => outside.replace(standalone, '').includes(`{${name}}`));
    });
    expect(plain).toEqual([]);
  });
});

describe('pluralBlocks', () => {
  it('when a template has several blocks with placeholders inside, then each block and its branches are found', () => {
    const template = 'A {a, plural, one {# x} other {# xs of {total}}} and {b, plural, other {#}}.';
    const blocks = pluralBlocks(template);
    expect(blocks.map((b) => [b.name, b.forms])).toEqual([
      ['a', { one: '# x', other: '# xs of {total}' }],
      ['b', { other: '#' }],
    ]);
    expect(template.slice(blocks[0]!.start, blocks[0]!.end)).toBe('{a, plural, one {# x} other {# xs of {total}}}');
  });

  it.each([
    ['{n, plural, one {# x}}', /without "other"/],
    ['{n, plural, one {# x} other {# xs}', /Malformed/],
    ['{n, plural, one {# x} one {# y} other {# z}}', /Malformed/],
    ['{n, plural, one # x other {# xs}}', /Malformed/],
  ])('when the block is %s, then it is refused', (template, message) => {
    expect(() => pluralBlocks(template)).toThrow(message);
  });
});

describe('translating counts', () => {
  const t = (uiLocale: string, formatLocale = uiLocale) => createTranslator({ uiLocale, formatLocale }, tables.get(uiLocale)!);

  it('when Polish counts 1, 2, 5, 22 and 25 accounts, then one, few, many, few and many are used', () => {
    const pl = t('pl', 'pl-PL');
    expect([1, 2, 5, 22, 25].map((n) => new Intl.PluralRules('pl').select(n))).toEqual(['one', 'few', 'many', 'few', 'many']);
    expect([1, 2, 5, 22, 25].map((n) => pl('wizard.review.datasetCounts', { accounts: n, contacts: n }))).toEqual([
      '1 konto, 1 kontakt',
      '2 konta, 2 kontakty',
      '5 kont, 5 kontaktów',
      '22 konta, 22 kontakty',
      '25 kont, 25 kontaktów',
    ]);
    expect(pl('card.daysAgo', { days: 1 })).toBe('1 dzień temu');
    expect(pl('card.daysAgo', { days: 3 })).toBe('3 dni temu');
    expect(pl('schedule.intervalHours', { hours: 1 })).toBe('Co godzinę');
    expect(pl('schedule.intervalHours', { hours: 12 })).toBe('Co 12 godzin');
  });

  it('when English counts one or more, then singular and plural nouns follow and numbers use the format locale', () => {
    expect(t('en')('customers.total', { count: 1 })).toBe('1 customer');
    expect(t('en')('customers.total', { count: 0 })).toBe('0 customers');
    expect(t('en', 'de-DE')('customers.total', { count: 12345 })).toBe('12.345 customers');
    expect(t('en')('wizard.mailboxes.count', { count: 1 })).toBe('1 unique mailbox');
    expect(t('en', 'en-US')('wizard.mapping.usable', { usable: 1, total: 1234 })).toBe('1 of 1,234 contacts has a usable address');
    expect(t('en')('wizard.mailboxes.withinLimits', { min: 2, max: 2500 })).toBe('Within the limit of 2 to 2,500 mailboxes.');
  });

  it('when French counts 0, 1, 2 and a million, then French takes the singular for 0 and 1 and “de” for millions', () => {
    const fr = t('fr', 'fr-FR');
    const n = (v: number) => new Intl.NumberFormat('fr-FR').format(v);
    expect(fr('customers.total', { count: 0 })).toBe('0 client');
    expect(fr('customers.total', { count: 1 })).toBe('1 client');
    expect(fr('customers.total', { count: 2 })).toBe('2 clients');
    expect(fr('customers.total', { count: 1_000_000 })).toBe(`${n(1_000_000)} de clients`);
  });

  it('when Swedish, Indonesian or Chinese count, then their forms are used with the locale’s digits grouping', () => {
    expect(t('sv', 'sv-SE')('card.daysAgo', { days: 1 })).toBe('för 1 dag sedan');
    expect(t('sv', 'sv-SE')('card.daysAgo', { days: 2 })).toBe('för 2 dagar sedan');
    expect(t('id', 'id-ID')('customers.total', { count: 1 })).toBe('1 pelanggan');
    expect(t('id', 'id-ID')('customers.total', { count: 1200 })).toBe('1.200 pelanggan');
    expect(t('zh-HK')('customers.total', { count: 1200 })).toBe('1,200 位客戶');
  });

  it('when the strings are Polish but numbers are formatted for another locale, then the Polish rules still pick the form', () => {
    expect(t('pl', 'en-US')('wizard.review.datasetCounts', { accounts: 1022, contacts: 1 })).toBe('1,022 konta, 1 kontakt');
  });

  it('when a count arrives already formatted as text, then the general form is used rather than a wrong singular', () => {
    expect(t('en')('customers.total', { count: '1,000' })).toBe('1,000 customers');
    expect(t('en')('customers.total', { count: '1' })).toBe('1 customer');
  });

  it('when a value contains braces or #, then it is shown as typed and never read as a placeholder', () => {
    expect(t('en')('customers.noMatches', { search: '{count} #1' })).toBe('No customers match “{count} #1”.');
  });
});
