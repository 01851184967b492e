import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  INTEGER,
  LIST,
  listValue,
  UTINYINT,
  VARCHAR,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBType,
} from '@duckdb/node-api';
import {
  ACCOUNT_ORDINAL_COLUMN,
  attributeColumn,
  COUNT_COLUMNS,
  COUNTS_WITHHELD_COLUMN,
  DAYS_COLUMNS,
  DOMAINS_COLUMN,
  DOUBLE_COLUMNS,
  INTEGER_COLUMNS,
  KV_ATTRIBUTES,
  KV_PRIVACY_THRESHOLD,
  KV_RUN,
  KV_SCHEMA_VERSION,
  LEVEL_NAMES,
  NULLABLE_SCORE_PART_KEYS,
  SCORE_PART_KEYS,
  scorePartColumn,
  SEARCH_KEY_COLUMN,
  searchKeyOf,
  SNAPSHOT_SCHEMA_VERSION,
  type SnapshotFacts,
} from './snapshot-schema';
import type { ActivityRow, ScoreParts } from './output-entity';

/**
 * Turns a run's rows into one Parquet file (zstd) with a short-lived embedded DuckDB.
 *
 * The rows travel from JavaScript into DuckDB as whole columns: numbers are copied into typed
 * arrays and handed to DuckDB a data chunk (2,048 rows) at a time, with nulls as sentinels
 * (−1 for whole numbers that are never negative, NaN for the rest) that SQL turns back into
 * NULL. Text is sent once per account, not once per row: rows carry the account's ordinal and
 * the file is assembled by a join. Measured against the alternatives (row-by-row appending,
 * writing CSV or NDJSON and letting DuckDB parse it) this moves the fewest JavaScript values:
 * see docs/results-storage.md.
 */

export interface SnapshotAccount {
  id: string;
  name: string;
  domains: readonly string[];
  attributes: Readonly<Record<string, string>>;
}

export interface WrittenSnapshot {
  path: string;
  bytes: number;
  facts: SnapshotFacts;
}

const CHUNK = 2048;
/** DuckDB's memory limit for a snapshot's write unless `open` is given one (see `open`). */
export const SNAPSHOT_WRITER_MEMORY_LIMIT = '192MB';
/** The column order `add` writes in, field by field: it must be the schema's. */
const ADD_ORDER = [
  'NoOfEmails_ToAccount', 'NoOfEmails_FromAccount', 'NoOfMeetings_FromAccount', 'NoOfMeetings_ToAccount',
  'NoOfContactsInvolved_Emails', 'NoOfContactsInvolved_Meetings', 'NoOfAccountContactsInvolved_Emails', 'NoOfAccountContactsInvolved_Meetings',
  'DaysSinceLastEmail', 'DaysSinceLastMeeting', 'EngagementScore', 'AverageDuration_Of_Meetings', 'AverageDuration_Of_AccountEmailReplies',
];
if (JSON.stringify(ADD_ORDER) !== JSON.stringify([...INTEGER_COLUMNS, ...DOUBLE_COLUMNS])) throw new Error('SnapshotWriter.add no longer follows the snapshot schema\'s columns.');
const NULL_INT = -1;
const LEVEL_CODE: Record<string, number> = Object.fromEntries(LEVEL_NAMES.map((l, i) => [l, i]));

interface Staging {
  acc: Int32Array;
  level: Uint8Array;
  withheld: Uint8Array;
  start: Float64Array;
  first: Float64Array;
  ints: Int32Array[];
  doubles: Float64Array[];
  parts: Float64Array[];
  n: number;
}

const newStaging = (): Staging => ({
  acc: new Int32Array(CHUNK),
  level: new Uint8Array(CHUNK),
  withheld: new Uint8Array(CHUNK),
  start: new Float64Array(CHUNK),
  first: new Float64Array(CHUNK),
  ints: INTEGER_COLUMNS.map(() => new Int32Array(CHUNK)),
  doubles: DOUBLE_COLUMNS.map(() => new Float64Array(CHUNK)),
  parts: SCORE_PART_KEYS.map(() => new Float64Array(CHUNK)),
  n: 0,
});

const ROW_TYPES: DuckDBType[] = [INTEGER, UTINYINT, UTINYINT, DOUBLE, DOUBLE, ...INTEGER_COLUMNS.map(() => INTEGER), ...DOUBLE_COLUMNS.map(() => DOUBLE), ...SCORE_PART_KEYS.map(() => DOUBLE)];

/** Numeric vectors of the node API expose their values as a typed array that `flush` copies to DuckDB. */
interface NumericVector {
  items: Int32Array | Uint8Array | Float64Array;
  flush(): void;
}
interface TextVector {
  setItem(index: number, value: unknown): void;
  flush(): void;
}

export class SnapshotWriter {
  private readonly accountIndex = new Map<string, number>();
  private lastAccount = '';
  private lastOrdinal: number | undefined;
  private accountBuffer: Array<SnapshotAccount> = [];
  private accountsWritten = 0;
  private staging = newStaging();
  /** One native chunk reused for every flush of rows (see flushRows). */
  private readonly rowChunk = DuckDBDataChunk.create(ROW_TYPES, CHUNK);
  private readonly instants = new Map<string, number>();
  private rows = 0;
  private yearRows = 0;
  /** Rows whose score `scoresInOrder` gave (null: the scores `add` was given stand). */
  private scored: number | null = null;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly rowAppender: DuckDBAppender,
    private readonly accountAppender: DuckDBAppender,
    private readonly scoreAppender: DuckDBAppender,
    private readonly dir: string,
    readonly attributes: readonly string[],
  ) {}

  /**
   * `attributes`: the dataset's account attribute names, in the order their columns get.
   *
   * DuckDB runs inside the worker process, whose whole budget is 1 GB (issue 13), so it gets a
   * small share and one thread: beyond 192 MB the staged rows and the final sort go to its
   * temporary directory. With DuckDB's defaults here (1 GB, two threads) writing a 2,500-mailbox
   * tenant's snapshot (670,000 rows) took 500+ MB of native memory on top of what the worker
   * already held, which made the worker's peak. Written alone (`npm run bench:snapshot-memory --
   * <limit>`, three runs each): 256 MB peaked at 477-481 MiB in 1.8-1.9 s, 192 MB at 383-386 MiB
   * in 1.7-2.4 s, 160 MB at 362 MiB. 192 MB was tried before in the 2,500-mailbox bench, when the
   * worker's heap still held the merge's garbage while DuckDB wrote, and it lowered neither the
   * peak nor the time then; once the heap was collected and held tight during the merge, DuckDB's
   * write was the worker's peak (870 MiB), and its limit the next thing to lower. 128 MB spills
   * even alone. With two threads DuckDB's Parquet writer refused limits this low ("Out of Memory").
   */
  static async open(options: { attributes: readonly string[]; threads?: number; workDir?: string; memoryLimit?: string }): Promise<SnapshotWriter> {
    const dir = fs.mkdtempSync(path.join(options.workDir ?? os.tmpdir(), 'snapshot-'));
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(options.threads ?? 1),
      memory_limit: options.memoryLimit ?? SNAPSHOT_WRITER_MEMORY_LIMIT,
      temp_directory: dir,
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    try {
      const connection = await instance.connect();
      await connection.run(
        `CREATE TABLE stage (acc INTEGER, lvl UTINYINT, wh UTINYINT, start_ms DOUBLE, first_ms DOUBLE, ${INTEGER_COLUMNS.map((c) => `${c} INTEGER`).join(', ')}, ${DOUBLE_COLUMNS.map((c) => `${c} DOUBLE`).join(', ')}, ${SCORE_PART_KEYS.map((k) => `${scorePartColumn(k)} DOUBLE`).join(', ')})`,
      );
      await connection.run(
        `CREATE TABLE accounts (acc INTEGER, AccountId VARCHAR, AccountName VARCHAR, ${DOMAINS_COLUMN} VARCHAR[], ${SEARCH_KEY_COLUMN} VARCHAR${options.attributes.map((_, i) => `, ${attributeColumn(i)} VARCHAR`).join('')})`,
      );
      await connection.run('CREATE TABLE scores (score INTEGER)');
      const rows = await connection.createAppender('stage');
      const accounts = await connection.createAppender('accounts');
      return new SnapshotWriter(instance, connection, rows, accounts, await connection.createAppender('scores'), dir, [...options.attributes]);
    } catch (e) {
      instance.closeSync();
      fs.rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Registers an account (its rows may follow in any order). Accounts without rows are kept out of the file. */
  account(a: SnapshotAccount): void {
    if (this.accountIndex.has(a.id)) return;
    this.accountIndex.set(a.id, this.accountsWritten + this.accountBuffer.length);
    this.accountBuffer.push(a);
    if (this.accountBuffer.length === CHUNK) this.flushAccounts();
  }

  /**
   * One row, its score parts included, with the rank scoring gave it; `withheld`: its counts are
   * withheld (privacy threshold). A caller that knows the ranks only once every row is added
   * passes 0 here and the ranks to `scoresInOrder` afterwards.
   */
  add(r: ActivityRow & { ScoreParts: ScoreParts }, score: number, withheld = false): void {
    if (this.scored !== null) throw new Error('SnapshotWriter: a row was added after the scores were given.');
    const parts = r.ScoreParts;
    // An account's rows usually come one after another: look its ordinal up once.
    let acc = r.AccountId === this.lastAccount ? this.lastOrdinal : this.accountIndex.get(r.AccountId);
    if (acc === undefined) {
      // Every row's account should have been registered; one that was not still gets its name.
      this.account({ id: r.AccountId, name: r.AccountName, domains: [], attributes: {} });
      acc = this.accountIndex.get(r.AccountId)!;
    }
    this.lastAccount = r.AccountId;
    this.lastOrdinal = acc;
    const s = this.staging;
    const i = s.n;
    const level = LEVEL_CODE[r.AggregationLevel];
    if (level === undefined) throw new Error(`Unknown aggregation level ${String(r.AggregationLevel)}.`);
    s.acc[i] = acc;
    s.level[i] = level;
    s.withheld[i] = withheld ? 1 : 0;
    s.start[i] = this.instant(r.AggregationStartDate);
    s.first[i] = r.EngagementStartDate === null ? NaN : Date.parse(r.EngagementStartDate);
    // Written out field by field (650,000 rows × 13 values: a property read by a variable name
    // costs several times more); the order is INTEGER_COLUMNS' and DOUBLE_COLUMNS', checked below.
    const n = s.ints;
    n[0]![i] = r.NoOfEmails_ToAccount;
    n[1]![i] = r.NoOfEmails_FromAccount;
    n[2]![i] = r.NoOfMeetings_FromAccount;
    n[3]![i] = r.NoOfMeetings_ToAccount;
    n[4]![i] = r.NoOfContactsInvolved_Emails;
    n[5]![i] = r.NoOfContactsInvolved_Meetings;
    n[6]![i] = r.NoOfAccountContactsInvolved_Emails;
    n[7]![i] = r.NoOfAccountContactsInvolved_Meetings;
    n[8]![i] = r.DaysSinceLastEmail ?? NULL_INT;
    n[9]![i] = r.DaysSinceLastMeeting ?? NULL_INT;
    n[10]![i] = score;
    s.doubles[0]![i] = r.AverageDuration_Of_Meetings ?? NaN;
    s.doubles[1]![i] = r.AverageDuration_Of_AccountEmailReplies ?? NaN;
    for (let k = 0; k < SCORE_PART_KEYS.length; k++) s.parts[k]![i] = parts[SCORE_PART_KEYS[k]!] ?? NaN;
    s.n++;
    this.rows++;
    if (level === 0) this.yearRows++;
    if (s.n === CHUNK) this.flushRows();
  }

  /**
   * Every row's EngagementScore, in the order the rows were added, replacing what `add` was
   * given: the engine ranks a period only after all its rows are known, and this way the rows go
   * to DuckDB as they are built instead of being held until then. Call it once, after the last
   * `add`, with exactly one score per row.
   */
  scoresInOrder(scores: Iterable<number>): void {
    if (this.scored !== null) throw new Error('SnapshotWriter: the scores were already given.');
    this.flushRows();
    const chunk = DuckDBDataChunk.create([INTEGER], CHUNK);
    const values = new Int32Array(CHUNK);
    let n = 0;
    let count = 0;
    const flush = () => {
      chunk.reset();
      chunk.rowCount = n;
      const vector = chunk.getColumnVector(0) as unknown as NumericVector;
      vector.items.set(values.subarray(0, n));
      vector.flush();
      this.scoreAppender.appendDataChunk(chunk);
      n = 0;
    };
    for (const score of scores) {
      values[n++] = score;
      count++;
      if (n === CHUNK) flush();
    }
    if (n > 0) flush();
    if (count !== this.rows) throw new Error(`SnapshotWriter: ${count} scores for ${this.rows} rows.`);
    this.scored = count;
  }

  /** Period starts repeat across accounts: parse each distinct one once. */
  private instant(iso: string): number {
    let v = this.instants.get(iso);
    if (v === undefined) {
      v = Date.parse(iso);
      if (Number.isNaN(v)) throw new Error(`Not an ISO instant: ${iso}`);
      this.instants.set(iso, v);
    }
    return v;
  }

  private flushRows(): void {
    const s = this.staging;
    if (s.n === 0) return;
    const chunk = this.rowChunk;
    chunk.reset();
    chunk.rowCount = s.n;
    const columns: Array<Int32Array | Uint8Array | Float64Array> = [s.acc, s.level, s.withheld, s.start, s.first, ...s.ints, ...s.doubles, ...s.parts];
    columns.forEach((values, k) => {
      const vector = chunk.getColumnVector(k) as unknown as NumericVector;
      vector.items.set(values.subarray(0, s.n) as never);
      vector.flush();
    });
    this.rowAppender.appendDataChunk(chunk);
    s.n = 0;
  }

  private flushAccounts(): void {
    const list = this.accountBuffer;
    if (list.length === 0) return;
    const types: DuckDBType[] = [INTEGER, VARCHAR, VARCHAR, LIST(VARCHAR), VARCHAR, ...this.attributes.map(() => VARCHAR)];
    const chunk = DuckDBDataChunk.create(types, list.length);
    const ordinal = chunk.getColumnVector(0) as unknown as NumericVector;
    const textColumns = [1, 2, 4, ...this.attributes.map((_, k) => 5 + k)];
    const text = textColumns.map((c) => chunk.getColumnVector(c) as unknown as TextVector);
    list.forEach((a, i) => {
      ordinal.items[i] = this.accountsWritten + i;
      text[0]!.setItem(i, a.id);
      text[1]!.setItem(i, a.name);
      text[2]!.setItem(i, searchKeyOf(a));
      this.attributes.forEach((name, k) => text[3 + k]!.setItem(i, a.attributes[name]?.trim() || null));
    });
    ordinal.flush();
    for (const t of text) t.flush();
    // Domains are a list per account, set through the chunk's generic path (once per account, not per row).
    chunk.setColumnValues(3, list.map((a) => (a.domains.length ? listValue([...a.domains]) : null)));
    this.accountAppender.appendDataChunk(chunk);
    this.accountsWritten += list.length;
    this.accountBuffer = [];
  }

  /** Writes the Parquet file; the writer cannot be used afterwards (call `close`). */
  async finish(run: { runId: string; asOf: Date; privacyThreshold?: number | null }): Promise<WrittenSnapshot> {
    this.flushRows();
    this.flushAccounts();
    this.rowAppender.closeSync();
    this.accountAppender.closeSync();
    this.scoreAppender.closeSync();
    const file = path.join(this.dir, 'snapshot.parquet');
    const instant = (column: string) => `make_timestamptz((${column} * 1000)::BIGINT)`;
    // A withheld row's figures never reach the file: every column computed from its items is NULL.
    const shown = (expression: string, name: string) => `CASE WHEN s.wh = 1 THEN NULL ELSE ${expression} END AS ${name}`;
    const columns = [
      'a.AccountId',
      'a.AccountName',
      `CASE s.lvl ${LEVEL_NAMES.map((l, i) => `WHEN ${i} THEN '${l}'`).join(' ')} END AS AggregationLevel`,
      `${instant('s.start_ms')} AS AggregationStartDate`,
      ...COUNT_COLUMNS.map((c) => shown(`s.${c}`, c)),
      shown(`CASE WHEN isnan(s.first_ms) THEN NULL ELSE ${instant('s.first_ms')} END`, 'EngagementStartDate'),
      ...DAYS_COLUMNS.map((c) => shown(`nullif(s.${c}, ${NULL_INT})`, c)),
      ...DOUBLE_COLUMNS.map((c) => shown(`CASE WHEN isnan(s.${c}) THEN NULL ELSE s.${c} END`, c)),
      shown(this.scored === null ? 's.EngagementScore' : 's.score', 'EngagementScore'),
      ...SCORE_PART_KEYS.map((k) => shown(NULLABLE_SCORE_PART_KEYS.has(k) ? `CASE WHEN isnan(s.${scorePartColumn(k)}) THEN NULL ELSE s.${scorePartColumn(k)} END` : `s.${scorePartColumn(k)}`, scorePartColumn(k))),
      `s.wh = 1 AS ${COUNTS_WITHHELD_COLUMN}`,
      `(a.ord - 1)::INTEGER AS ${ACCOUNT_ORDINAL_COLUMN}`,
      `a.${DOMAINS_COLUMN}`,
      `CASE WHEN s.lvl = 0 THEN a.${SEARCH_KEY_COLUMN} END AS ${SEARCH_KEY_COLUMN}`,
      ...this.attributes.map((_, i) => `a.${attributeColumn(i)}`),
    ];
    // Text from a dataset (attribute names) and ids never enter SQL: the metadata values are
    // base64 (letters, digits, + / =).
    const b64 = (v: string) => Buffer.from(v, 'utf8').toString('base64');
    const kv = `{'${KV_SCHEMA_VERSION}': '${SNAPSHOT_SCHEMA_VERSION}', '${KV_ATTRIBUTES}': '${b64(JSON.stringify(this.attributes))}', '${KV_RUN}': '${b64(JSON.stringify({ runId: run.runId, asOf: run.asOf.toISOString() }))}', '${KV_PRIVACY_THRESHOLD}': '${b64(JSON.stringify(run.privacyThreshold ?? null))}'}`;
    await this.connection.run(
      `COPY (SELECT ${columns.join(', ')} FROM ${this.scored === null ? 'stage s' : '(SELECT * FROM stage POSITIONAL JOIN scores) s'} JOIN (SELECT *, row_number() OVER (ORDER BY AccountId) AS ord FROM accounts) a USING (acc) ORDER BY s.lvl <> 0, a.ord, s.lvl, s.start_ms)
       TO '${file.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880, KV_METADATA ${kv})`,
    );
    return {
      path: file,
      bytes: fs.statSync(file).size,
      facts: { schemaVersion: SNAPSHOT_SCHEMA_VERSION, rows: this.rows, yearRows: this.yearRows, attributes: [...this.attributes], runId: run.runId, asOf: run.asOf.toISOString(), privacyThreshold: run.privacyThreshold ?? null },
    };
  }

  /** Releases DuckDB and removes the working directory (and the file: read it before). */
  close(): void {
    try {
      this.connection.closeSync();
      this.instance.closeSync();
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
