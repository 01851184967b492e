import { describe, expect, it } from 'vitest';
import { safeCsvCell } from '../../api/src/platform/csv/csv-writer';

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
