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
  /** The header row, in column order (the reader's words: a spreadsheet user never sees the cells' technical names). */
  columns: readonly string[];
  /** Cells in column order; read one row at a time, never all at once. */
  rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>;
}

/** The byte order mark: without it Excel reads a CSV in the machine's ANSI code page and mangles every accent. */
export const UTF8_BOM = '\uFEFF';

/**
 * `attachment` with the file name twice, as RFC 6266 asks: `filename*` in UTF-8 (RFC 8187
 * percent-encoding) for every browser today, and a plain ASCII `filename` for older readers.
 */
export function attachmentDisposition(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * The product's one CSV writer: streams rows as an RFC 4180 attachment in UTF-8 with a byte
 * order mark (CRLF, quoted where needed), every header and cell through `safeCsvCell`, with
 * backpressure from the response.
 */
export async function sendCsv(res: Response, file: CsvFile): Promise<void> {
  res.status(200);
  res.setHeader('Content-Disposition', attachmentDisposition(file.name));
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  const source = file.rows;
  const cells = Readable.from(
    (async function* () {
      for await (const row of source) yield row.map(safeCsvCell);
    })(),
  );
  res.write(UTF8_BOM);
  await pipeline(cells, stringify({ header: true, columns: file.columns.map((c) => String(safeCsvCell(c))), record_delimiter: 'windows' }), res);
}
