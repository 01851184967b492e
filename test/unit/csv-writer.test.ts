import { describe, expect, it } from 'vitest';
import { attachmentDisposition, safeCsvCell } from '../../api/src/platform/csv/csv-writer';
import { exportFileName } from '../../api/src/results/export-file-name';
import { fileNameFromDisposition } from '../../addin/src/platform/api/api-client';
import { uiLocaleFromAcceptLanguage } from '../../common/i18n/ui-locale';

describe('safeCsvCell', () => {
  it('when text starts with a formula or DDE trigger, also after blanks or in full-width form, then it gets a leading apostrophe', () => {
    const dangerous = [
      '=HYPERLINK("http://x.example", "rej")',
      "=cmd|' /C calc'!A0",
      '+1-1@@bad',
      '-2+3',
      '@SUM(A1)',
      '|cmd',
      ' =1+1',
      '   +1',
      '\t=1+1',
      '\r=1',
      '\n=1',
      '\tplain after a tab',
      ' \t @x',
      '\u3000=1',
      '\uFF1D1+1',
      '\uFF0B1',
      '\uFF0D1',
      '\uFF20SUM(A1)',
      '  \uFF1D1',
    ];
    for (const text of dangerous) expect(safeCsvCell(text), JSON.stringify(text)).toBe(`'${text}`);
  });

  it('when text is ordinary, or a number (negative ones too), then it is written as is', () => {
    for (const text of ['Contoso', 'a=b', 'x+1', 'mail@x.example', 'Ünïcode', '', ' leading blank', '1-2']) expect(safeCsvCell(text)).toBe(text);
    expect(safeCsvCell(-5)).toBe(-5);
    expect(safeCsvCell(3.5)).toBe(3.5);
    expect(safeCsvCell(null)).toBe('');
    expect(safeCsvCell(undefined)).toBe('');
    expect(safeCsvCell(Number.NaN)).toBe('');
  });
});

describe('attachmentDisposition', () => {
  it('when a name has accents or another script, then filename* carries it in UTF-8 and filename an ASCII stand-in', () => {
    expect(attachmentDisposition('Office-Year-Accounts-2026-12-02.csv')).toBe(
      `attachment; filename="Office-Year-Accounts-2026-12-02.csv"; filename*=UTF-8''Office-Year-Accounts-2026-12-02.csv`,
    );
    expect(attachmentDisposition('Relancés-關注.csv')).toBe(`attachment; filename="Relances-__.csv"; filename*=UTF-8''Relanc%C3%A9s-%E9%97%9C%E6%B3%A8.csv`);
    // Quotes, backslashes and percent signs never reach the quoted name; RFC 8187 escapes ' ( ) * too.
    expect(attachmentDisposition(`a"b\\c%d'(e)*.csv`)).toBe(`attachment; filename="a_b_c_d'(e)*.csv"; filename*=UTF-8''a%22b%5Cc%25d%27%28e%29%2A.csv`);
  });

  it('when the tab reads the header back, then it gets the UTF-8 name, or the plain one when there is no filename*', () => {
    expect(fileNameFromDisposition(attachmentDisposition('Relancés-關注.csv'))).toBe('Relancés-關注.csv');
    expect(fileNameFromDisposition('attachment; filename="rejected-rows.csv"')).toBe('rejected-rows.csv');
    expect(fileNameFromDisposition(`attachment; filename="x.csv"; filename*=UTF-8''%E0%A4`)).toBe('x.csv');
    expect(fileNameFromDisposition(null)).toBeNull();
    expect(fileNameFromDisposition('attachment')).toBeNull();
  });
});

describe('exportFileName', () => {
  const asOf = new Date('2026-12-02T05:00:00Z');
  it('when a level and period are given, then the name says enrichment, level, period, rows and as-of date', () => {
    expect(exportFileName({ entityName: 'Office', level: 'Month', period: '2026-11-01T00:00:00.000Z', subject: 'Accounts', asOf })).toBe('Office-Month-2026-11-Accounts-2026-12-02.csv');
    expect(exportFileName({ entityName: 'Office', level: 'Week', period: '2026-11-23T00:00:00.000Z', subject: 'Accounts', asOf })).toBe('Office-Week-2026-11-23-Accounts-2026-12-02.csv');
    expect(exportFileName({ entityName: 'Office', level: 'Week', period: null, subject: 'Accounts', asOf })).toBe('Office-Week-all-Accounts-2026-12-02.csv');
    expect(exportFileName({ entityName: 'Office', level: 'Year', period: '2025-12-02T00:00:00.000Z', subject: 'Accounts', asOf })).toBe('Office-Year-Accounts-2026-12-02.csv');
  });

  it('when a segment name holds punctuation, slashes or dots, then only letters, digits, _ and inner dots stay', () => {
    expect(exportFileName({ entityName: 'Office', level: 'Year', period: null, subject: '../Comptes « chauds » : 關注 / Q4?', asOf })).toBe('Office-Year-Comptes-chauds-關注-Q4-2026-12-02.csv');
    expect(exportFileName({ entityName: 'Office', level: 'Year', period: null, subject: '***', asOf })).toBe('Office-Year-Accounts-2026-12-02.csv');
    expect(exportFileName({ entityName: 'Office', level: 'Year', period: null, subject: 'x'.repeat(300), asOf })).toBe(`Office-Year-${'x'.repeat(60)}-2026-12-02.csv`);
  });
});

describe('uiLocaleFromAcceptLanguage', () => {
  it('when the browser lists languages by weight, then the heaviest one the product speaks wins', () => {
    expect(uiLocaleFromAcceptLanguage('de-DE,de;q=0.9,fr;q=0.8,en;q=0.7')).toBe('fr');
    expect(uiLocaleFromAcceptLanguage('en;q=0.5, sv-SE')).toBe('sv');
    expect(uiLocaleFromAcceptLanguage('zh-TW')).toBe('zh-HK');
    expect(uiLocaleFromAcceptLanguage('zh-CN, pl;q=0.1')).toBe('pl');
    expect(uiLocaleFromAcceptLanguage('fr;q=0, de')).toBeNull();
    expect(uiLocaleFromAcceptLanguage('*')).toBeNull();
    expect(uiLocaleFromAcceptLanguage(undefined)).toBeNull();
  });
});
