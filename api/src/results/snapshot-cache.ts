import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { resultRows, type DuckDbPool } from '../platform/duckdb/duckdb-pool';
import { AppError } from '../platform/errors/app-error';
import { DAYS_COLUMNS, SNAPSHOT_SCHEMA_VERSION, type SnapshotFacts } from '../snapshots/snapshot-schema';
import type { SnapshotsStore } from '../snapshots/snapshots.store';

/**
 * Published snapshots loaded into this process's DuckDB, most recently used first, within a
 * memory budget.
 *
 * A snapshot is loaded the first time a request needs it: its chunks are read from MongoDB by
 * key, written to a temporary file and copied into two in-memory tables, `s<n>_year` (one row
 * per account) and `s<n>_periods` (the Week and Month rows, in level, period and account
 * order), so that every query on the default scope reads 100,000 rows instead of 650,000. They
 * live in DuckDB's main in-memory database: a query on an attached database pays for a
 * transaction in that database too (measured: twice the CPU and ten times the latency of the
 * same query on a main-database table). The temporary file is removed at once. Its size
 * is what DuckDB reports for in-memory tables before and after the load (loads run one at a
 * time, so the difference is this snapshot's), and the least recently used snapshots nobody is
 * reading are dropped once the total passes the budget.
 *
 * Each loaded snapshot also carries `memo`: values derived from an immutable run (its period
 * lists, row counts, score medians), computed once by DuckDB and kept with it.
 */

/** Null days-since means "never": filters on "more than N days" read this column instead, where never is the largest number. */
export const NEVER = 2_147_483_647;
export const neverColumn = (column: string): string => `never_${column}`;

export interface LoadedSnapshot {
  readonly alias: string;
  readonly tenantId: string;
  readonly runId: string;
  readonly facts: SnapshotFacts;
  /** Table names, for SQL. */
  readonly year: string;
  readonly periods: string;
  readonly sizeBytes: number;
  readonly loadMs: number;
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

interface Entry {
  key: string;
  loading: Promise<LoadedSnapshot>;
  loaded: LoadedSnapshot | null;
  pins: number;
  usedAt: number;
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
    this.tempDir = options.tempDir ?? os.tmpdir();
  }

  private static key(tenantId: string, runId: string): string {
    return `${tenantId}:${runId}`;
  }

  /**
   * Runs `work` with the run's snapshot loaded and pinned (never detached while `work` runs).
   * Callers check first that the run is the current or a kept run of the tenant's enrichment.
   */
  async use<T>(tenantId: string, runId: string, work: (s: LoadedSnapshot) => Promise<T>): Promise<T> {
    const entry = this.entry(tenantId, runId);
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

  /** Starts loading a run's snapshot now (after a publish) so the first reader does not wait for it. */
  prewarm(tenantId: string, runId: string): void {
    const entry = this.entry(tenantId, runId);
    entry.loading.catch((e: unknown) => this.options.logger.warn({ runId, err: e instanceof Error ? e.message : String(e) }, 'snapshot prewarm failed'));
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

  private entry(tenantId: string, runId: string): Entry {
    const key = SnapshotCache.key(tenantId, runId);
    let entry = this.entries.get(key);
    if (!entry) {
      const created: Entry = { key, loading: Promise.resolve(null as never), loaded: null, pins: 0, usedAt: Date.now() };
      // One load at a time: the memory difference measured around a load is then that load's.
      const loading = this.loadChain.then(() => this.load(tenantId, runId));
      this.loadChain = loading.catch(() => undefined);
      created.loading = loading.then((s) => {
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

  private async load(tenantId: string, runId: string): Promise<LoadedSnapshot> {
    const started = performance.now();
    const stored = await this.store.read(tenantId, runId);
    if (!stored) throw new AppError('not-found', 'The published result is no longer stored (a newer run replaced it); reload the page.');
    if (stored.facts.schemaVersion > SNAPSHOT_SCHEMA_VERSION) {
      throw new AppError('internal', `This result was written by a newer build (snapshot schema ${stored.facts.schemaVersion}); deploy the newer build.`);
    }
    const pool = await this.pool();
    const alias = `s${++this.sequence}`;
    const dir = fs.mkdtempSync(path.join(this.tempDir, 'snapshot-load-'));
    const file = path.join(dir, `${alias}.parquet`);
    try {
      await fs.promises.writeFile(file, stored.bytes);
      const source = `read_parquet('${file.replace(/'/g, "''")}')`;
      const derived = DAYS_COLUMNS.map((c) => `coalesce(${c}, ${NEVER}) AS ${neverColumn(c)}`).join(', ');
      const sizeBytes = await pool.withConnection(async (c) => {
        const before = await inMemoryBytes(c.query.bind(c));
        try {
          await c.run(`CREATE TABLE ${alias}_year AS SELECT *, ${derived} FROM ${source} WHERE AggregationLevel = 'Year'`);
          await c.run(`CREATE TABLE ${alias}_periods AS SELECT *, ${derived} FROM ${source} WHERE AggregationLevel <> 'Year'`);
        } catch (e) {
          await dropTables(c.run.bind(c), alias);
          throw e;
        }
        return Math.max(0, (await inMemoryBytes(c.query.bind(c))) - before);
      });
      const memo = new Map<string, Promise<unknown>>();
      const loadMs = Math.round(performance.now() - started);
      this.options.logger.debug({ runId, alias, sizeBytes, loadMs }, 'snapshot loaded');
      return {
        alias,
        tenantId,
        runId,
        facts: stored.facts,
        year: `${alias}_year`,
        periods: `${alias}_periods`,
        sizeBytes,
        loadMs,
        memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
          let p = memo.get(key) as Promise<T> | undefined;
          if (!p) {
            p = compute();
            memo.set(key, p);
            p.catch(() => memo.delete(key));
          }
          return p;
        },
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Drops the least recently used unpinned snapshots while the total is over the budget. */
  private async evict(): Promise<void> {
    const loaded = [...this.entries.values()].filter((e) => e.loaded).sort((a, b) => a.usedAt - b.usedAt);
    let total = loaded.reduce((a, e) => a + e.loaded!.sizeBytes, 0);
    for (const e of loaded) {
      if (total <= this.options.budgetBytes) break;
      // The newest snapshot stays even alone over the budget: a process must be able to serve it.
      if (e.pins > 0 || e === loaded[loaded.length - 1]) continue;
      this.entries.delete(e.key);
      total -= e.loaded!.sizeBytes;
      const alias = e.loaded!.alias;
      const pool = await this.pool();
      pool.forget(`${alias}_`);
      await pool.withConnection((c) => dropTables(c.run.bind(c), alias)).catch((err: unknown) => this.options.logger.warn({ alias, err: err instanceof Error ? err.message : String(err) }, 'snapshot drop failed'));
      this.options.logger.debug({ runId: e.loaded!.runId, alias }, 'snapshot evicted');
    }
  }
}

async function dropTables(run: (sql: string) => Promise<unknown>, alias: string): Promise<void> {
  await run(`DROP TABLE IF EXISTS ${alias}_year`);
  await run(`DROP TABLE IF EXISTS ${alias}_periods`);
}

async function inMemoryBytes(query: (sql: string) => Promise<import('@duckdb/node-api').DuckDBMaterializedResult>): Promise<number> {
  const rows = resultRows(await query(`SELECT coalesce(sum(memory_usage_bytes), 0)::BIGINT FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'`));
  return Number(rows[0]?.[0] ?? 0);
}
