import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { resultRows, type DuckDbPool, type PooledSession } from '../platform/duckdb/duckdb-pool';
import { AppError } from '../platform/errors/app-error';
import { ACCOUNT_ORDINAL_COLUMN, attributeColumn, COUNTS_WITHHELD_COLUMN, COUNTS_WITHHELD_SINCE_SCHEMA, DAYS_COLUMNS, INSTANT_COLUMNS, SNAPSHOT_SCHEMA_VERSION, type SnapshotFacts } from '../snapshots/snapshot-schema';
import type { SnapshotsStore } from '../snapshots/snapshots.store';

/**
 * Published snapshots loaded into this process's DuckDB, most recently used first, within a
 * memory budget.
 *
 * A snapshot is loaded the first time a request needs it: its chunks are read from MongoDB by
 * key and written to a temporary file, and readers are served at once through views over that
 * file (`s<n>_f`). Behind them its Year rows (one per account, in account order, indexed by
 * AccountId for the customer card) are copied into an in-memory database of their own
 * (`ATTACH ':memory:' AS s<n> (COMPRESS)`) and checkpointed, which compresses them; that is all
 * the grid, search, segment counts and measures on the default scope need. The Week and Month
 * rows (by account, level and period) follow into `s<n>_p` a second later (at once for a
 * prewarm). Each table replaces its view for the next queries; the file goes with the snapshot.
 * Readers compare numbers, not text, wherever they can: instants are epoch milliseconds
 * (DOUBLE), accounts are ordered and found by their ordinal (`acc`), a Week or Month period is one
 * integer (`scope`), and "more than N days" reads a days column where never is the largest number.
 *
 * Tables derived from a run (the Year rows in one sort order) are built once into databases of
 * their own and belong to the snapshot. Sizes are what DuckDB reports in use before and after each
 * load or build (they run one at a time, so the difference is that one's); the least recently
 * used snapshots nobody is reading are detached, with everything derived from them, once the
 * total passes the budget.
 *
 * Each loaded snapshot also carries `memo`: values derived from an immutable run (its period
 * lists, row counts, score medians), computed once by DuckDB and kept with it.
 */

/** Null days-since means "never": filters on "more than N days" read this column instead, where never is the largest number. */
export const NEVER = 2_147_483_647;
export const neverColumn = (column: string): string => `never_${column}`;
/** The account's ordinal (AccountId order) on every loaded row. */
export const ACC = 'acc';
/** One integer per Week or Month period on `periods` rows: level × 1,000,000 + the period's first day since 1970. */
export const SCOPE = 'scope';
export const LEVEL_CODE = 'lvl';
export const LEVEL_CODES = { Year: 0, Month: 1, Week: 2 } as const;
/** On loaded Year rows: attribute i's group code, its value's rank in ascending order (empty last), from 0. */
export const groupCodeColumn = (index: number): string => `gcode_${index + 1}`;
/** How long after its Year rows a snapshot's Week and Month rows load when nobody asked for them. */
const PERIODS_AFTER_MS = 1000;
export function scopeKey(level: 'Month' | 'Week', periodIso: string): number {
  return LEVEL_CODES[level] * 1_000_000 + Math.floor(Date.parse(periodIso) / 86_400_000);
}

export interface LoadedSnapshot {
  readonly alias: string;
  readonly tenantId: string;
  readonly runId: string;
  readonly facts: SnapshotFacts;
  /** The Year rows' table name, for SQL (loaded first: most reads need only it). */
  readonly year: string;
  /** The Week and Month rows' table name, once loaded (they load after the Year rows). */
  periods(): Promise<string>;
  /** Memory it holds, derived tables included. */
  readonly sizeBytes: number;
  readonly loadMs: number;
  /** A value derived from this (immutable) run, computed once. */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /**
   * A table derived from this run (e.g. the Year rows in one sort order), built once by `sql`
   * (given the name to create) in a compressed database of its own, counted in `sizeBytes` and
   * dropped with the snapshot. Returns its name.
   */
  derive(name: string, sql: (table: string) => string): Promise<string>;
  /** The derived table's name once `derive` has built it, else null (a reader that must not wait for the build). */
  derivedTable(name: string): string | null;
  /** Counts memory held outside DuckDB for this run (a structure built from it in JavaScript) in `sizeBytes`. */
  hold(bytes: number): void;
  /** Whether `year` is the in-memory table (with the attributes' group codes) rather than the view over the file. */
  readonly yearLoaded: boolean;
}

class Loaded implements LoadedSnapshot {
  private readonly values = new Map<string, Promise<unknown>>();
  private readonly built = new Map<string, string>();
  readonly derived: string[] = [];
  sizeBytes: number;
  /** Starts loading the Week and Month rows (set by the cache; runs once). */
  startPeriods: () => Promise<string> = () => Promise.reject(new Error('not loadable'));
  private periodsLoading: Promise<string> | null = null;
  /** Both tables are loaded (or their load failed): only then may the snapshot be evicted. */
  periodsSettled = false;
  /** Loaded for its Year rows only (an earlier kept run read for a trend): its Week and Month rows load only if asked for. */
  yearOnly = false;
  /** The in-memory tables once built; until then readers query the Parquet file through views. */
  yearLoaded = false;
  periodsLoaded = false;
  /** The Year table is built (or its build failed). */
  yearSettled = false;
  /** The temporary directory holding the snapshot's file (removed with the snapshot). */
  dir = '';

  /** Whether the cache may detach it: not while its tables are loading. */
  get detachable(): boolean {
    return this.periodsSettled || (this.yearOnly && this.yearSettled && this.periodsLoading === null);
  }

  constructor(
    readonly alias: string,
    readonly tenantId: string,
    readonly runId: string,
    readonly facts: SnapshotFacts,
    sizeBytes: number,
    readonly loadMs: number,
    private readonly build: (s: Loaded, name: string, sql: (table: string) => string) => Promise<string>,
  ) {
    this.sizeBytes = sizeBytes;
  }

  /** The database holding views over the snapshot's Parquet file, read until its tables are built. */
  get fileViews(): string {
    return `${this.alias}_f`;
  }

  get year(): string {
    return this.yearLoaded ? `${this.alias}.year` : `${this.fileViews}.year`;
  }

  periods(): Promise<string> {
    const loading = this.whenLoaded();
    return this.periodsLoaded ? loading : Promise.resolve(`${this.fileViews}.periods`);
  }

  /** Starts loading the Week and Month rows (once); settles with their table when loaded. */
  whenLoaded(): Promise<string> {
    this.periodsLoading ??= this.startPeriods();
    return this.periodsLoading;
  }

  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let p = this.values.get(key) as Promise<T> | undefined;
    if (!p) {
      p = compute();
      this.values.set(key, p);
      p.catch(() => this.values.delete(key));
    }
    return p;
  }

  derive(name: string, sql: (table: string) => string): Promise<string> {
    if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`Not a derived table name: ${name}`);
    return this.memo(`derived:${name}`, () =>
      this.build(this, name, sql).then((table) => {
        this.built.set(name, table);
        return table;
      }),
    );
  }

  derivedTable(name: string): string | null {
    return this.built.get(name) ?? null;
  }

  hold(bytes: number): void {
    this.sizeBytes += bytes;
  }
}

interface Entry {
  key: string;
  loading: Promise<Loaded>;
  loaded: Loaded | null;
  pins: number;
  usedAt: number;
}

const PROCESS_DIR_PREFIX = 'account-engagement-snapshots-';

/**
 * A cache's directory for the snapshot files it loads, named by its process's pid, created
 * empty. A process that ends without closing its caches (killed, crashed) leaves its files
 * behind; the next cache made removes the directories of processes that are gone, so they cannot
 * pile up in the temporary directory (they did: one directory per snapshot read).
 */
export function processTempDir(root: string, pid: number): string {
  for (const name of safeList(root)) {
    if (!name.startsWith(PROCESS_DIR_PREFIX)) continue;
    const owner = Number(name.slice(PROCESS_DIR_PREFIX.length).split('-')[0]);
    if (Number.isInteger(owner) && owner > 0 && owner !== pid && !isRunning(owner)) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
  return fs.mkdtempSync(path.join(root, `${PROCESS_DIR_PREFIX}${pid}-`));
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** Signal 0 asks whether the process exists: ESRCH says it does not (EPERM: it does, another user's). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export class SnapshotCache {
  private readonly entries = new Map<string, Entry>();
  private loadChain: Promise<unknown> = Promise.resolve();
  private sequence = 0;
  private readonly tempDir: string;

  constructor(
    private readonly store: SnapshotsStore,
    private readonly pool: () => Promise<DuckDbPool>,
    private readonly options: { budgetBytes: number; logger: Logger; tempDir?: string },
  ) {
    this.tempDir = options.tempDir ?? processTempDir(os.tmpdir(), process.pid);
  }

  private static key(tenantId: string, runId: string): string {
    return `${tenantId}:${runId}`;
  }

  /**
   * Runs `work` with the run's snapshot loaded and pinned (never detached while `work` runs).
   * Callers check first that the run is the current or a kept run of the tenant's enrichment.
   */
  async use<T>(tenantId: string, runId: string, work: (s: LoadedSnapshot) => Promise<T>, options: { yearOnly?: boolean } = {}): Promise<T> {
    const entry = this.entry(tenantId, runId, options.yearOnly === true);
    entry.pins++;
    try {
      const loaded = await entry.loading;
      entry.usedAt = Date.now();
      return await work(loaded);
    } finally {
      entry.pins--;
      if (entry.pins === 0) void this.evict();
    }
  }

  /**
   * Starts loading a run's snapshot now (after a publish) so the first reader does not wait for
   * it; settles once all of it (Year, Week and Month rows) is loaded.
   */
  prewarm(tenantId: string, runId: string): Promise<void> {
    const entry = this.entry(tenantId, runId);
    const done = entry.loading.then((s) => s.whenLoaded()).then(() => undefined);
    done.catch((e: unknown) => this.options.logger.warn({ runId, err: e instanceof Error ? e.message : String(e) }, 'snapshot prewarm failed'));
    return done;
  }

  /** What is loaded now (for the tests and the bench). */
  loaded(): Array<{ runId: string; sizeBytes: number; pins: number }> {
    return [...this.entries.values()].filter((e) => e.loaded).map((e) => ({ runId: e.loaded!.runId, sizeBytes: e.loaded!.sizeBytes, pins: e.pins }));
  }

  totalBytes(): number {
    let total = 0;
    for (const e of this.entries.values()) total += e.loaded?.sizeBytes ?? 0;
    return total;
  }

  /** `yearOnly`: a snapshot loaded now does not load its Week and Month rows unless asked (earlier runs read for trends). */
  private entry(tenantId: string, runId: string, yearOnly = false): Entry {
    const key = SnapshotCache.key(tenantId, runId);
    let entry = this.entries.get(key);
    if (!entry) {
      const created: Entry = { key, loading: Promise.resolve(null as never), loaded: null, pins: 0, usedAt: Date.now() };
      // The DuckDB part of loads runs one at a time (`measured`): the memory difference measured around it is then this load's.
      created.loading = this.load(tenantId, runId, yearOnly).then((s) => {
        created.loaded = s;
        void this.evict();
        return s;
      });
      created.loading.catch(() => {
        if (this.entries.get(key) === created) this.entries.delete(key);
      });
      this.entries.set(key, created);
      entry = created;
    }
    return entry;
  }

  /** Runs `work` after every load or build before it, measuring what DuckDB holds before and after. */
  private measured<T>(work: (c: PooledSession) => Promise<T>): Promise<{ value: T; bytes: number }> {
    const run = this.loadChain.then(async () => {
      const pool = await this.pool();
      return pool.withConnection(async (c) => {
        const before = await usedBytes(c.query.bind(c));
        const value = await work(c);
        return { value, bytes: Math.max(0, (await usedBytes(c.query.bind(c))) - before) };
      });
    });
    this.loadChain = run.catch(() => undefined);
    return run;
  }

  /** Builds a derived table of a loaded snapshot in a compressed in-memory database of its own. */
  private async buildDerived(s: Loaded, name: string, sql: (table: string) => string): Promise<string> {
    const db = `${s.alias}_${name}`;
    const { bytes } = await this.measured(async (c) => {
      await c.run(`ATTACH ':memory:' AS ${db} (COMPRESS)`);
      try {
        await c.run(sql(`${db}.t`));
        await c.run(`CHECKPOINT ${db}`);
      } catch (e) {
        await c.run(`DETACH ${db}`).catch(() => undefined);
        throw e;
      }
    });
    s.derived.push(db);
    s.sizeBytes += bytes;
    void this.evict();
    if (!this.entries.has(SnapshotCache.key(s.tenantId, s.runId))) {
      // Evicted while it was being built: nobody will drop it later.
      await this.detach([db]);
    }
    return `${db}.t`;
  }

  private async load(tenantId: string, runId: string, yearOnly: boolean): Promise<Loaded> {
    const started = performance.now();
    const stored = await this.store.read(tenantId, runId);
    if (!stored) throw new AppError('not-found', 'The published result is no longer stored (a newer run replaced it); reload the page.');
    if (stored.facts.schemaVersion > SNAPSHOT_SCHEMA_VERSION) {
      throw new AppError('internal', `This result was written by a newer build (snapshot schema ${stored.facts.schemaVersion}); deploy the newer build.`);
    }
    const alias = `s${++this.sequence}`;
    const dir = fs.mkdtempSync(path.join(this.tempDir, 'snapshot-load-'));
    const file = path.join(dir, `${alias}.parquet`);
    let handedOver = false;
    try {
      await fs.promises.writeFile(file, stored.bytes);
      const source = `read_parquet('${file.replace(/'/g, "''")}')`;
      const hasFlag = stored.facts.schemaVersion >= COUNTS_WITHHELD_SINCE_SCHEMA;
      const withheldFlag = hasFlag ? COUNTS_WITHHELD_COLUMN : 'FALSE';
      const levelCode = `CASE AggregationLevel ${Object.entries(LEVEL_CODES).map(([l, k]) => `WHEN '${l}' THEN ${k}`).join(' ')} END`;
      const select = [
        `* REPLACE (${INSTANT_COLUMNS.map((c) => `epoch_ms(${c})::DOUBLE AS ${c}`).join(', ')})`,
        `${ACCOUNT_ORDINAL_COLUMN} AS ${ACC}`,
        `${levelCode}::UTINYINT AS ${LEVEL_CODE}`,
        `(${levelCode} * 1000000 + epoch_ms(AggregationStartDate) // 86400000)::INTEGER AS ${SCOPE}`,
        // Never is the largest number, except on a withheld row (privacy threshold): it matches no bound at all.
        ...DAYS_COLUMNS.map((c) => `CASE WHEN ${withheldFlag} THEN NULL ELSE coalesce(${c}, ${NEVER}) END AS ${neverColumn(c)}`),
        ...(hasFlag ? [] : [`FALSE AS ${COUNTS_WITHHELD_COLUMN}`]),
      ].join(', ');
      // The file holds the Year rows first, by account, then the others by account, level and period.
      const table = async (c: PooledSession, db: string, name: string, where: string) => {
        await c.run(`ATTACH ':memory:' AS ${db} (COMPRESS)`);
        try {
          // Year rows also get each attribute's group code (its rank among the attribute's values, empty last):
          // grouping by a small integer is a perfect-hash aggregation, ≈ 4× cheaper than grouping by text.
          const codes = name === 'year' ? stored.facts.attributes.map((_, i) => `, (dense_rank() OVER (ORDER BY ${attributeColumn(i)} ASC NULLS LAST) - 1)::INTEGER AS ${groupCodeColumn(i)}`).join('') : '';
          await c.run(`CREATE TABLE ${db}.${name} AS SELECT ${select}${codes} FROM ${source} WHERE ${where}${codes ? ` ORDER BY ${ACC}` : ''}`);
          await c.run(`CHECKPOINT ${db}`);
          if (name === 'year') await c.run(`CREATE INDEX ${db}_account ON ${db}.year (AccountId)`);
        } catch (e) {
          await c.run(`DETACH ${db}`).catch(() => undefined);
          throw e;
        }
      };
      // Readers start at once on views over the file (DuckDB reads only the columns and row groups
      // a query needs, and the file's row-group statistics skip the rest); the in-memory tables,
      // which answer faster, are built behind them and replace them when ready.
      const views = `${alias}_f`;
      await (await this.pool()).withConnection(async (c) => {
        await c.run(`ATTACH ':memory:' AS ${views}`);
        await c.run(`CREATE VIEW ${views}.year AS SELECT ${select} FROM ${source} WHERE AggregationLevel = 'Year'`);
        await c.run(`CREATE VIEW ${views}.periods AS SELECT ${select} FROM ${source} WHERE AggregationLevel <> 'Year'`);
      });
      const loadMs = Math.round(performance.now() - started);
      const loaded = new Loaded(alias, tenantId, runId, stored.facts, 0, loadMs, (s, name, sql) => this.buildDerived(s, name, sql));
      loaded.dir = dir;
      loaded.derived.push(views);
      this.options.logger.debug({ runId, alias, loadMs }, 'snapshot file ready');
      const dropBroken = (what: string) => (e: unknown) => {
        this.options.logger.warn({ runId, err: e instanceof Error ? e.message : String(e) }, `loading ${what} failed`);
        loaded.periodsSettled = true;
        // A snapshot that cannot serve its rows goes: the next reader loads it again.
        const key = SnapshotCache.key(tenantId, runId);
        if (this.entries.get(key)?.loaded === loaded) this.entries.delete(key);
        void this.drop(loaded);
      };
      // The Year rows first (the grid, search, counts and measures need nothing else)…
      const yearTable = this.measured((c) => table(c, alias, 'year', `AggregationLevel = 'Year'`)).then(({ bytes }) => {
        loaded.sizeBytes += bytes;
        loaded.yearLoaded = true;
        this.options.logger.debug({ runId, alias, sizeBytes: bytes, ms: Math.round(performance.now() - started) }, 'snapshot Year rows loaded');
      });
      // …then the Week and Month rows, when first awaited (a prewarm) or a moment later anyway.
      const periodsDb = `${alias}_p`;
      loaded.startPeriods = () => {
        const p = yearTable
          .then(() => this.measured((c) => table(c, periodsDb, 'periods', `AggregationLevel <> 'Year'`)))
          .then(({ bytes }) => {
            loaded.derived.push(periodsDb);
            loaded.sizeBytes += bytes;
            loaded.periodsLoaded = true;
            return `${periodsDb}.periods`;
          })
          .finally(() => {
            loaded.periodsSettled = true;
            void this.evict();
          });
        p.catch(dropBroken('Week and Month rows'));
        return p;
      };
      loaded.yearOnly = yearOnly;
      yearTable.then(
        () => {
          loaded.yearSettled = true;
          if (!yearOnly) setTimeout(() => void loaded.whenLoaded().catch(() => undefined), PERIODS_AFTER_MS).unref();
        },
        (e: unknown) => {
          // Nobody else waits on the Year table: settle the rest so that the snapshot can go.
          loaded.yearSettled = true;
          loaded.startPeriods = () => Promise.reject(e instanceof Error ? e : new Error(String(e)));
          dropBroken('Year rows')(e);
        },
      );
      handedOver = true;
      return loaded;
    } finally {
      if (!handedOver) {
        await (await this.pool()).run(`DETACH DATABASE IF EXISTS ${alias}_f`).catch(() => undefined);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }

  /** Detaches everything a snapshot holds in DuckDB, then removes its file. */
  private async drop(s: Loaded): Promise<void> {
    await this.detach([...(s.yearLoaded ? [s.alias] : []), ...s.derived]);
    if (s.dir) fs.rmSync(s.dir, { recursive: true, force: true });
  }

  /** Removes the files of every loaded snapshot (at shutdown, once DuckDB is closed). */
  removeFiles(): void {
    for (const e of this.entries.values()) if (e.loaded?.dir) fs.rmSync(e.loaded.dir, { recursive: true, force: true });
    // This process's own directory (not one a caller named).
    if (!this.options.tempDir) fs.rmSync(this.tempDir, { recursive: true, force: true });
  }

  /** Detaches the least recently used unpinned snapshots while the total is over the budget. */
  private async evict(): Promise<void> {
    const loaded = [...this.entries.values()].filter((e) => e.loaded).sort((a, b) => a.usedAt - b.usedAt);
    let total = loaded.reduce((a, e) => a + e.loaded!.sizeBytes, 0);
    for (const e of loaded) {
      if (total <= this.options.budgetBytes) break;
      // The newest snapshot stays even alone over the budget: a process must be able to serve it.
      // One whose Week and Month rows are still loading is left for the next round.
      if (e.pins > 0 || e === loaded[loaded.length - 1] || !e.loaded!.detachable) continue;
      this.entries.delete(e.key);
      total -= e.loaded!.sizeBytes;
      await this.drop(e.loaded!);
      this.options.logger.debug({ runId: e.loaded!.runId, alias: e.loaded!.alias }, 'snapshot evicted');
    }
  }

  /**
   * Detaches in the same line as loads and builds: a detach running during a load would shrink
   * what DuckDB holds while that load is measured, and the load would count as (almost) nothing.
   */
  private detach(databases: string[]): Promise<void> {
    const run = this.loadChain.then(async () => {
      const pool = await this.pool();
      for (const db of databases) {
        pool.forget(`${db}.`);
        await pool.run(`DETACH ${db}`).catch((err: unknown) => this.options.logger.warn({ db, err: err instanceof Error ? err.message : String(err) }, 'snapshot detach failed'));
      }
    });
    this.loadChain = run.catch(() => undefined);
    return run;
  }
}

/** What DuckDB holds for tables and indexes (not what running queries use). */
async function usedBytes(query: (sql: string) => Promise<import('@duckdb/node-api').DuckDBMaterializedResult>): Promise<number> {
  const rows = resultRows(await query(`SELECT coalesce(sum(memory_usage_bytes), 0)::BIGINT FROM duckdb_memory() WHERE tag IN ('IN_MEMORY_TABLE', 'ART_INDEX', 'BASE_TABLE')`));
  return Number(rows[0]?.[0] ?? 0);
}
