/**
 * One CSV cell, safe to open in a spreadsheet: text starting with a formula trigger
 * (= + - @, tab, carriage return) gets a leading apostrophe so it is shown, not evaluated.
 * Numbers stay numbers (a negative number is data, not a formula); null is an empty cell.
 */
export function csvCell(value: unknown): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  const s = String(value);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
