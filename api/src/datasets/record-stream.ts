import { StringDecoder } from 'node:string_decoder';
import { Transform, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { AppError } from '../platform/errors/app-error';
import type { RawRecord } from './dataset-rows';

/** Upload formats the import accepts, by media type. */
export const UPLOAD_MEDIA_TYPES = ['text/csv', 'application/json', 'application/x-ndjson'] as const;
export type UploadFormat = 'csv' | 'json' | 'ndjson';

/** Uploads larger than this are refused (100,000 contacts with a dozen columns are ~20 MB). */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
const MAX_JSON_ELEMENT_CHARS = 1024 * 1024;
/**
 * Shape limits, checked while reading so a hostile file costs linear time and is refused early:
 * columns per file, bytes of the CSV header row, characters of one row (CSV) or element (JSON).
 */
export const MAX_COLUMNS = 1000;
export const MAX_HEADER_BYTES = 64 * 1024;
export const MAX_ROW_CHARS = 1024 * 1024;

/** One parsed row: `record` is undefined when the row itself is malformed (wrong shape). */
export interface ParsedRow {
  row: number;
  record?: RawRecord;
  problem?: string;
}

export function uploadFormatOf(contentType: string | undefined): UploadFormat {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv' || type === 'application/csv') return 'csv';
  if (type === 'application/json') return 'json';
  if (type === 'application/x-ndjson' || type === 'application/ndjson') return 'ndjson';
  throw new AppError(
    'unsupported-media-type',
    `Send the file as text/csv, application/json (an array of objects) or application/x-ndjson; got ${type || 'no Content-Type'}.`,
  );
}

/**
 * Reads records from a body stream one at a time, never holding the whole file: CSV through
 * csv-parse, JSON arrays through a small element splitter, NDJSON line by line. The first
 * record's columns (CSV header, or the union of keys seen) are reported through `columns`.
 */
export async function* readRecords(body: Readable, format: UploadFormat, columns: Set<string>): AsyncGenerator<ParsedRow> {
  if (format === 'csv') yield* csvRecords(body, columns);
  else if (format === 'json') yield* jsonArrayRecords(limitBytes(body), columns);
  else yield* ndjsonRecords(limitBytes(body), columns);
}

/** The checks every chunk of every upload gets: the size limit, and no NUL byte. */
function guardChunk(seen: { bytes: number }, buf: Buffer): void {
  seen.bytes += buf.length;
  if (seen.bytes > MAX_UPLOAD_BYTES) {
    throw new AppError('payload-too-large', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; split it or remove unused columns.`);
  }
  // No text format we read contains a NUL byte: this is a binary file (a spreadsheet, an image…).
  if (buf.includes(0)) {
    throw new AppError('validation', 'The file contains NUL bytes: it is binary (an Excel workbook, an image…) or UTF-16 text. Send CSV, JSON or NDJSON encoded as UTF-8.');
  }
}

const asBuffer = (chunk: unknown): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));

async function* limitBytes(body: Readable): AsyncGenerator<Buffer> {
  const seen = { bytes: 0 };
  // Not destroyed when the reader stops early (a refused upload, a preview): the request must
  // stay usable so the response can still be sent.
  for await (const chunk of body.iterator({ destroyOnReturn: false })) {
    const buf = asBuffer(chunk);
    guardChunk(seen, buf);
    yield buf;
  }
}

/**
 * The body is piped through the chunk guard into csv-parse (backpressure by pipe) while records
 * are pulled from the parser. When the reader stops early (a refusal, a preview) the body is
 * unpiped at once, so nothing waits for bytes a client may still be holding back.
 */
async function* csvRecords(body: Readable, columns: Set<string>): AsyncGenerator<ParsedRow> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: false, max_record_size: MAX_ROW_CHARS });
  const seen = { bytes: 0 };
  const watchHeader = headerWatch();
  const guard = new Transform({
    transform(chunk, _encoding, done) {
      try {
        const buf = asBuffer(chunk);
        guardChunk(seen, buf);
        watchHeader(buf);
        done(null, buf);
      } catch (e) {
        done(e as Error);
      }
    },
  });
  const fail = (e: Error) => parser.destroy(e);
  body.on('error', fail);
  guard.on('error', fail);
  body.pipe(guard).pipe(parser);
  let header: string[] | undefined;
  let row = 0;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = checkedHeader(fields);
        header.forEach((h) => columns.add(h));
        continue;
      }
      row++;
      if (fields.length !== header.length) {
        yield { row, problem: `The row has ${fields.length} fields but the header has ${header.length}.` };
        continue;
      }
      const record: RawRecord = {};
      for (let i = 0; i < header.length; i++) record[header[i]!] = fields[i]!;
      yield { row, record };
    }
  } catch (e) {
    if (e instanceof CsvError) throw unreadableCsv(e);
    throw e;
  } finally {
    // Stop reading here without destroying the body: the response must still get through.
    body.unpipe(guard);
    body.off('error', fail);
    guard.destroy();
  }
  if (!header) throw new AppError('validation', 'The CSV file is empty; it needs a header row and at least one data row.');
}

const tooManyColumns = (count: string) =>
  new AppError('validation', `The CSV header has ${count} columns; at most ${MAX_COLUMNS.toLocaleString('en-US')} columns are accepted. Remove the columns you do not need.`);
const headerTooLarge = (size: string) =>
  new AppError('validation', `The CSV header row is ${size}; at most ${MAX_HEADER_BYTES / 1024} KB are accepted. Shorten the column names.`);

/**
 * Watches the raw bytes of the header line as they arrive, before csv-parse builds a field for
 * each column: a header with too many columns or bytes is refused after reading just past the
 * limit (a byte scan, commas and newlines outside quotes), however long it is.
 */
function headerWatch(): (buf: Buffer) => void {
  let done = false;
  let quoted = false;
  let bytes = 0;
  let columns = 1;
  return (buf) => {
    for (let i = 0; i < buf.length && !done; i++) {
      const c = buf[i]!;
      if (c === 0x22 /* " */) quoted = !quoted;
      else if (!quoted && (c === 0x0a || c === 0x0d)) {
        // Blank lines before the header are skipped, as the parser does.
        if (bytes > 0) done = true;
        continue;
      } else if (!quoted && c === 0x2c /* , */ && ++columns > MAX_COLUMNS) {
        throw tooManyColumns(`more than ${MAX_COLUMNS.toLocaleString('en-US')}`);
      }
      if (++bytes > MAX_HEADER_BYTES) throw headerTooLarge(`more than ${MAX_HEADER_BYTES / 1024} KB`);
    }
  };
}

/**
 * The header row as parsed, checked in linear time: a column limit first (before anything is
 * built from it), then size, blank and duplicate names.
 */
function checkedHeader(fields: string[]): string[] {
  if (fields.length > MAX_COLUMNS) throw tooManyColumns(fields.length.toLocaleString('en-US'));
  const bytes = fields.reduce((n, f) => n + Buffer.byteLength(f) + 1, 0);
  if (bytes > MAX_HEADER_BYTES) throw headerTooLarge(`${Math.ceil(bytes / 1024)} KB`);
  const header = fields.map((h) => h.trim());
  const seen = new Set<string>();
  for (let i = 0; i < header.length; i++) {
    const name = header[i]!;
    if (!name) throw new AppError('validation', `The CSV header's column ${i + 1} has no name; every column needs one.`);
    if (seen.has(name)) throw new AppError('validation', `The CSV header names the column "${name}" twice.`);
    seen.add(name);
  }
  return header;
}

/** What csv-parse could not read, said so a person can find and fix it. */
function unreadableCsv(e: CsvError): AppError {
  const where = `near line ${(e as CsvError & { lines?: number }).lines ?? '?'}`;
  const what: Record<string, string> = {
    INVALID_OPENING_QUOTE: 'a field contains a double quote (") but does not start with one. Put the whole field in double quotes and write each quote inside it twice ("")',
    CSV_INVALID_CLOSING_QUOTE: 'a quoted field goes on after its closing quote. Write each double quote inside a quoted field twice ("")',
    CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted field goes on after its closing quote. Write each double quote inside a quoted field twice ("")',
    CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed. Check for a missing closing double quote',
    CSV_MAX_RECORD_SIZE: `a row is longer than ${MAX_ROW_CHARS / 1024 / 1024} MB of text. Check for a missing closing double quote, or split the file`,
    CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'a row has a different number of fields than the header',
  };
  const detail = what[e.code] ?? `the file is not valid CSV (${e.code})`;
  return new AppError('validation', `The CSV file cannot be read ${where}: ${detail}.`, { cause: e });
}

/** Flattens one JSON element into a record of strings, or says why it cannot be. */
function toRecord(value: unknown, columns: Set<string>): { record?: RawRecord; problem?: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'The element is not a JSON object.' };
  const record: RawRecord = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || v === undefined) record[k] = '';
    else if (typeof v === 'string') record[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') record[k] = String(v);
    else return { problem: `The field "${k}" holds a nested object or array; only flat values are accepted.` };
    if (!columns.has(k)) {
      if (columns.size >= MAX_COLUMNS) throw new AppError('validation', `The file has more than ${MAX_COLUMNS.toLocaleString('en-US')} different fields; remove the fields you do not need.`);
      columns.add(k);
    }
  }
  return { record };
}

async function* ndjsonRecords(chunks: AsyncIterable<Buffer>, columns: Set<string>): AsyncGenerator<ParsedRow> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let row = 0;
  const parseLine = (line: string): ParsedRow | undefined => {
    const text = line.replace(/^\uFEFF/, '').trim();
    if (!text) return undefined;
    row++;
    try {
      return { row, ...toRecord(JSON.parse(text), columns) };
    } catch {
      return { row, problem: 'The line is not valid JSON.' };
    }
  };
  for await (const chunk of chunks) {
    pending += decoder.write(chunk);
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const parsed = parseLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      if (parsed) yield parsed;
    }
    if (pending.length > MAX_JSON_ELEMENT_CHARS) throw new AppError('validation', `Line ${row + 1} is longer than 1 MB.`);
  }
  const last = parseLine(pending + decoder.end());
  if (last) yield last;
}

/**
 * Splits a top-level JSON array into its elements as they arrive, tracking only nesting depth
 * and string state, and parses each element on its own.
 */
async function* jsonArrayRecords(chunks: AsyncIterable<Buffer>, columns: Set<string>): AsyncGenerator<ParsedRow> {
  const decoder = new StringDecoder('utf8');
  let state: 'before' | 'between' | 'element' | 'after' = 'before';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let pieces: string[] = [];
  let pieceChars = 0;
  let row = 0;
  let position = 0;
  const fail = (message: string) => new AppError('validation', `The JSON body is not valid at character ${position}: ${message}`);

  const feed = function* (text: string): Generator<ParsedRow> {
    let start = state === 'element' ? 0 : -1;
    for (let i = 0; i < text.length; i++, position++) {
      const c = text[i]!;
      if (state === 'element') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
          continue;
        }
        if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') {
          depth--;
          if (depth === 0) {
            pieces.push(text.slice(start, i + 1));
            const source = pieces.join('');
            pieces = [];
            pieceChars = 0;
            state = 'between';
            row++;
            let value: unknown;
            try {
              value = JSON.parse(source);
            } catch {
              throw fail(`element ${row} is not valid JSON.`);
            }
            yield { row, ...toRecord(value, columns) };
          }
        }
        continue;
      }
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\uFEFF') continue;
      if (state === 'before') {
        if (c !== '[') throw fail('the body must be a JSON array of objects.');
        state = 'between';
      } else if (state === 'between') {
        if (c === ',') continue;
        if (c === ']') state = 'after';
        else if (c === '{') {
          state = 'element';
          depth = 1;
          start = i;
        } else throw fail(`element ${row + 1} is not a JSON object.`);
      } else {
        throw fail('unexpected content after the closing bracket.');
      }
    }
    if (state === 'element') {
      const rest = text.slice(start);
      pieces.push(rest);
      pieceChars += rest.length;
      if (pieceChars > MAX_JSON_ELEMENT_CHARS) throw fail(`element ${row + 1} is larger than 1 MB.`);
    }
  };

  for await (const chunk of chunks) yield* feed(decoder.write(chunk));
  yield* feed(decoder.end());
  const final = state as string;
  if (final !== 'after') throw fail(final === 'before' ? 'the body is empty; send a JSON array of objects.' : 'the array is not closed.');
}
