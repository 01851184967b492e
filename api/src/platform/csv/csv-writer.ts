import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';

/**
 * Text a spreadsheet would evaluate instead of show: a formula or DDE trigger (= + - @ |, or
 * their full-width forms ＝ ＋ － ＠ that Excel folds to ASCII) as the first character after any
 * leading whitespace, or a cell starting with a tab, carriage return or line feed.
 */
const FORMULA_TRIGGER = /^(?:[\t\r\n]|\s*[=+\-@|\uFF1D\uFF0B\uFF0D\uFF20])/u;

/**
 * One CSV cell, safe to open in a spreadsheet: dangerous text gets a leading apostrophe, so it
 * is shown as typed and never run. Numbers stay numbers (a negative number is data, not a
 * formula); null and undefined are empty cells.
 */
export function safeCsvCell(value: unknown): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value : '';
  const text = String(value);
  return FORMULA_TRIGGER.test(text) ? `'${text}` : text;
}

export interface CsvFile {
  /** The download's file name (sent in Content-Disposition, encoded as RFC 6266 says). */
  name: string;
  columns: readonly string[];
  /** Cells in column order; read one row at a time, never all at once. */
  rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>;
}

/**
 * The product's one CSV writer: streams rows as an RFC 4180 attachment (CRLF, quoted where
 * needed), every header and cell through `safeCsvCell`, with backpressure from the response.
 */
export async function sendCsv(res: Response, file: CsvFile): Promise<void> {
  res.status(200).attachment(file.name);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  const source = file.rows;
  const cells = Readable.from(
    (async function* () {
      for await (const row of source) yield row.map(safeCsvCell);
    })(),
  );
  await pipeline(cells, stringify({ header: true, columns: file.columns.map((c) => String(safeCsvCell(c))), record_delimiter: 'windows' }), res);
}
