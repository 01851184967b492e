import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, DuckDBTimestampTZValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { resultRows } from '../platform/duckdb/duckdb-pool';
import { quoteIdentifier } from '../platform/duckdb/duckdb-pool';
import { attributeColumn, COUNTS_WITHHELD_COLUMN, COUNTS_WITHHELD_SINCE_SCHEMA, DOMAINS_COLUMN, DOUBLE_COLUMNS, INSTANT_COLUMNS, INTEGER_COLUMNS, SCORE_PART_KEYS, scorePartColumn, type OutputRow } from './snapshot-schema';

/**
 * Whole-file reads of a snapshot, outside the request path: the engine's summary after a
 * retried finalize and the tests' view of a published result. Each call uses a DuckDB of its own
 * and removes its temporary file.
 */

/** An instant (TIMESTAMPTZ, or epoch milliseconds) as the ISO string the API has always returned (milliseconds, Z). */
export function isoOf(value: DuckDBValue): string | null {
  if (value === null) return null;
  if (typeof value === 'number') return new Date(value).toISOString();
  if (value instanceof DuckDBTimestampTZValue) return new Date(Number(value.micros / 1000n)).toISOString();
  throw new Error(`Not an instant: ${String(value)}`);
}

/** The output entity's columns plus the score parts, in the order `rowOf` reads them. */
export const ROW_SELECT = ['AccountId', 'AccountName', 'AggregationLevel', ...INSTANT_COLUMNS, ...INTEGER_COLUMNS, ...DOUBLE_COLUMNS, ...SCORE_PART_KEYS.map(scorePartColumn)];

export function rowOf(values: readonly DuckDBValue[]): OutputRow {
  let k = 0;
  const next = () => values[k++] ?? null;
  const row: Record<string, unknown> = { AccountId: next(), AccountName: next(), AggregationLevel: next() };
  for (const c of INSTANT_COLUMNS) row[c] = isoOf(next());
  for (const c of INTEGER_COLUMNS) row[c] = next();
  for (const c of DOUBLE_COLUMNS) row[c] = next();
  const parts: Record<string, number | null> = {};
  for (const p of SCORE_PART_KEYS) parts[p] = next() as number | null;
  row.ScoreParts = parts;
  return row as unknown as OutputRow;
}

/** Runs `work` against the snapshot's bytes written to a temporary file (`source` is a SQL table expression). */
export async function withSnapshotFile<T>(bytes: Uint8Array, work: (connection: DuckDBConnection, source: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-read-'));
  const file = path.join(dir, 'snapshot.parquet');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  try {
    fs.writeFileSync(file, bytes);
    const connection = await instance.connect();
    try {
      return await work(connection, `read_parquet('${file.replace(/'/g, "''")}')`);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every row of a snapshot, in the file's order. */
export function readSnapshotRows(bytes: Uint8Array): Promise<OutputRow[]> {
  return withSnapshotFile(bytes, async (c, source) => resultRows(await c.run(`SELECT ${ROW_SELECT.join(', ')} FROM ${source}`)).map(rowOf));
}

/** What the run summary takes from the Year rows: accounts with anything counted, and the earliest counted item. */
export function yearFiguresOf(bytes: Uint8Array): Promise<{ accountsEnriched: number; earliest: number | null }> {
  return withSnapshotFile(bytes, async (c, source) => {
    const [row] = resultRows(
      await c.run(
        `SELECT count(*) FILTER (WHERE NoOfEmails_ToAccount + NoOfEmails_FromAccount + NoOfMeetings_ToAccount + NoOfMeetings_FromAccount > 0), min(EngagementStartDate) FROM ${source} WHERE AggregationLevel = 'Year'`,
      ),
    );
    const earliest = isoOf(row?.[1] ?? null);
    return { accountsEnriched: Number(row?.[0] ?? 0), earliest: earliest === null ? null : Date.parse(earliest) };
  });
}

/**
 * The output entity as data teams want it, written to `file`: the spec's columns, the score
 * parts, the account's domains and the dataset's attributes under their own names (one that
 * clashes with a column, DuckDB names ignoring case, gets a suffix), without the readers'
 * internal columns (search key, ordinal). Rows by level, period and account.
 */
export function exportEntityParquet(bytes: Uint8Array, facts: { attributes: readonly string[]; schemaVersion: number }, file: string): Promise<void> {
  const attributes = facts.attributes;
  return withSnapshotFile(bytes, async (c, source) => {
    const fixed = ['AccountId', 'AccountName', 'AggregationLevel', 'AggregationStartDate', ...INTEGER_COLUMNS.filter((x) => x !== 'EngagementScore'), 'EngagementStartDate', ...DOUBLE_COLUMNS, 'EngagementScore', ...SCORE_PART_KEYS.map(scorePartColumn), DOMAINS_COLUMN];
    const taken = new Set([...fixed, COUNTS_WITHHELD_COLUMN].map((x) => x.toLowerCase()));
    // Withheld rows (privacy threshold) are NULL in the file already; the flag says why. Older files have no flag: nothing was withheld.
    const withheld = facts.schemaVersion >= COUNTS_WITHHELD_SINCE_SCHEMA ? quoteIdentifier(COUNTS_WITHHELD_COLUMN) : `FALSE AS ${quoteIdentifier(COUNTS_WITHHELD_COLUMN)}`;
    const named = attributes.map((name, i) => {
      let alias = name.trim() || `attribute_${i + 1}`;
      while (taken.has(alias.toLowerCase())) alias = `${alias} (attribute)`;
      taken.add(alias.toLowerCase());
      return `${attributeColumn(i)} AS ${quoteIdentifier(alias)}`;
    });
    const order = `CASE AggregationLevel WHEN 'Year' THEN 0 WHEN 'Month' THEN 1 ELSE 2 END, AggregationStartDate, AccountId`;
    await c.run(`COPY (SELECT ${[...fixed.map(quoteIdentifier), withheld, ...named].join(', ')} FROM ${source} ORDER BY ${order}) TO '${file.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd)`);
  });
}

/** One account's Year row as account alerts compare it (api/src/alerts), with one dataset attribute (the owner column). */
export interface YearAlertRow {
  accountId: string;
  name: string;
  attribute: string | null;
  daysSinceLastEmail: number | null;
  daysSinceLastMeeting: number | null;
  score: number | null;
  withheld: boolean;
}

/** Every Year row's alert figures; `attributeIndex` names the attribute to carry (null: none). */
export function yearAlertRowsOf(bytes: Uint8Array, facts: { schemaVersion: number; attributes: readonly string[] }, attributeIndex: number | null): Promise<YearAlertRow[]> {
  const attribute = attributeIndex !== null && attributeIndex >= 0 && attributeIndex < facts.attributes.length ? quoteIdentifier(attributeColumn(attributeIndex)) : 'NULL';
  const withheld = facts.schemaVersion >= COUNTS_WITHHELD_SINCE_SCHEMA ? `coalesce(${quoteIdentifier(COUNTS_WITHHELD_COLUMN)}, FALSE)` : 'FALSE';
  return withSnapshotFile(bytes, async (c, source) =>
    resultRows(await c.run(`SELECT AccountId, AccountName, ${attribute}, DaysSinceLastEmail, DaysSinceLastMeeting, EngagementScore, ${withheld} FROM ${source} WHERE AggregationLevel = 'Year'`)).map(
      ([id, name, attr, email, meeting, score, hidden]) => ({
        accountId: String(id),
        name: String(name),
        attribute: typeof attr === 'string' && attr.trim() ? attr.trim() : null,
        daysSinceLastEmail: email === null ? null : Number(email),
        daysSinceLastMeeting: meeting === null ? null : Number(meeting),
        score: score === null ? null : Number(score),
        withheld: hidden === true,
      }),
    ),
  );
}
