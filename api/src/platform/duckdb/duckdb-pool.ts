import {
  DuckDBInstance,
  type DuckDBConnection,
  type DuckDBDataChunk,
  type DuckDBMaterializedResult,
  type DuckDBPreparedStatement,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';

/**
 * One embedded DuckDB per process, shared through a small pool of connections. A connection
 * runs one statement at a time, so the pool size bounds how many queries run at once (the
 * native work happens on libuv's thread pool); a request that finds every connection busy
 * waits in line rather than oversubscribing two cores.
 *
 * Statements are prepared once per connection and kept by their SQL text (SQL here is built
 * only from fixed fragments and catalogue names, values are always bound), so a repeated query
 * costs binding and execution only. `forget` drops every cached statement whose text mentions a
 * name, for when an attached database goes away.
 *
 * Only what the npm binary carries built in is used (parquet, json, icu); `autoinstall` and
 * `autoload` of extensions are off, so nothing is ever downloaded at run time.
 */

export interface DuckDbPoolOptions {
  /** DuckDB worker threads for the whole instance (1: a query runs on the thread that asked). */
  threads: number;
  /** Connections (queries at once). */
  connections: number;
  /** DuckDB's own memory ceiling, in MiB. */
  memoryLimitMb: number;
  /** Where DuckDB may spill when a query needs more than its memory. */
  tempDirectory?: string;
  /** Cached prepared statements per connection. */
  statementsPerConnection?: number;
  /** Further DuckDB settings for the instance (name → value). */
  settings?: Record<string, string>;
}

export type SqlParam = DuckDBValue;
export interface BoundParam {
  value: SqlParam;
  type?: DuckDBType;
}

interface PooledConnection {
  connection: DuckDBConnection;
  statements: Map<string, DuckDBPreparedStatement>;
}

export class DuckDbPool {
  private readonly idle: PooledConnection[] = [];
  private readonly waiting: Array<{ resolve: (c: PooledConnection) => void; reject: (e: Error) => void }> = [];
  private readonly all: PooledConnection[] = [];
  private closed = false;
  private closing: Promise<void> | null = null;
  private allIdle: (() => void) | null = null;

  private constructor(
    readonly instance: DuckDBInstance,
    private readonly options: DuckDbPoolOptions,
  ) {}

  static async create(options: DuckDbPoolOptions): Promise<DuckDbPool> {
    const config: Record<string, string> = {
      threads: String(options.threads),
      memory_limit: `${options.memoryLimitMb}MB`,
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    if (options.tempDirectory) config.temp_directory = options.tempDirectory;
    const instance = await DuckDBInstance.create(':memory:', config);
    // Global settings some builds only accept once the database is open (set as SQL, values from this code only).
    const setup = await instance.connect();
    for (const [name, value] of Object.entries(options.settings ?? {})) {
      if (!/^[a-z_]+$/.test(name)) throw new Error(`Not a DuckDB setting name: ${name}`);
      await setup.run(`SET GLOBAL ${name} = '${value.replace(/'/g, "''")}'`);
    }
    setup.closeSync();
    const pool = new DuckDbPool(instance, options);
    for (let i = 0; i < options.connections; i++) {
      const c: PooledConnection = { connection: await instance.connect(), statements: new Map() };
      pool.all.push(c);
      pool.idle.push(c);
    }
    return pool;
  }

  private acquire(): Promise<PooledConnection> {
    if (this.closed) return Promise.reject(new Error('The DuckDB pool is closed.'));
    const c = this.idle.pop();
    if (c) return Promise.resolve(c);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(c: PooledConnection): void {
    const next = this.waiting.shift();
    if (next) next.resolve(c);
    else this.idle.push(c);
    if (this.closed && this.idle.length === this.all.length) this.allIdle?.();
  }

  /** Runs `work` on a pooled connection (for several statements that belong together). */
  async withConnection<T>(work: (c: PooledSession) => Promise<T>): Promise<T> {
    const c = await this.acquire();
    try {
      return await work(new PooledSession(c, this.options.statementsPerConnection ?? 256));
    } finally {
      this.release(c);
    }
  }

  /** One prepared, bound statement on any free connection; the result is fully materialized. */
  query(sql: string, params: readonly BoundParam[] = []): Promise<DuckDBMaterializedResult> {
    return this.withConnection((s) => s.query(sql, params));
  }

  /** A statement without parameters and without caching (DDL, ATTACH, COPY). */
  run(sql: string): Promise<DuckDBMaterializedResult> {
    return this.withConnection((s) => s.run(sql));
  }

  /** A connection of its own, outside the pool, for long streams (exports); the caller closes it. */
  dedicated(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  /** Drops cached statements that mention `name` (an attached database about to be detached). */
  forget(name: string): void {
    for (const c of this.all) {
      for (const [sql, st] of c.statements) {
        if (sql.includes(name)) {
          st.destroySync();
          c.statements.delete(sql);
        }
      }
    }
  }

  /**
   * Closes the connections and the instance once the statements running on them have finished.
   * Closing a connection under a running statement leaves that statement's thread waiting for
   * itself when it ends, and the process can then never exit (it joins that thread).
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      for (const w of this.waiting.splice(0)) w.reject(new Error('The DuckDB pool is closed.'));
      if (this.idle.length < this.all.length) await new Promise<void>((resolve) => (this.allIdle = resolve));
      for (const c of this.all) {
        for (const st of c.statements.values()) st.destroySync();
        c.statements.clear();
        c.connection.closeSync();
      }
      this.instance.closeSync();
    })();
    return this.closing;
  }
}

/** A connection lent by the pool for the duration of one `withConnection` call. */
export class PooledSession {
  constructor(
    private readonly c: PooledConnection,
    private readonly maxStatements: number,
  ) {}

  get connection(): DuckDBConnection {
    return this.c.connection;
  }

  async query(sql: string, params: readonly BoundParam[] = []): Promise<DuckDBMaterializedResult> {
    let st = this.c.statements.get(sql);
    if (st) {
      // Most recently used last: the bound evicts the least recently used statement.
      this.c.statements.delete(sql);
      this.c.statements.set(sql, st);
    } else {
      st = await this.c.connection.prepare(sql);
      this.c.statements.set(sql, st);
      while (this.c.statements.size > this.maxStatements) {
        const [oldest, old] = this.c.statements.entries().next().value as [string, DuckDBPreparedStatement];
        old.destroySync();
        this.c.statements.delete(oldest);
      }
    }
    st.clearBindings();
    params.forEach((p, i) => {
      if (p.value === null) st.bindNull(i + 1);
      else st.bindValue(i + 1, p.value, p.type);
    });
    return st.run();
  }

  run(sql: string): Promise<DuckDBMaterializedResult> {
    return this.c.connection.run(sql);
  }
}

/** The rows of a materialized result as arrays of DuckDB values, read without extra async hops. */
export function resultRows(result: DuckDBMaterializedResult): DuckDBValue[][] {
  const out: DuckDBValue[][] = [];
  const chunks = result.chunkCount;
  for (let k = 0; k < chunks; k++) for (const row of chunkRows(result.getChunk(k))) out.push(row);
  return out;
}

/** The rows of one data chunk as arrays of DuckDB values. */
export function chunkRows(chunk: DuckDBDataChunk): DuckDBValue[][] {
  const n = chunk.rowCount;
  const columns: DuckDBValue[][] = [];
  for (let c = 0; c < chunk.columnCount; c++) {
    const v = chunk.getColumnVector(c);
    const values: DuckDBValue[] = new Array<DuckDBValue>(n);
    for (let i = 0; i < n; i++) values[i] = v.getItem(i);
    columns.push(values);
  }
  const out: DuckDBValue[][] = new Array<DuckDBValue[]>(n);
  for (let i = 0; i < n; i++) {
    const row: DuckDBValue[] = new Array<DuckDBValue>(columns.length);
    for (let c = 0; c < columns.length; c++) row[c] = columns[c]![i]!;
    out[i] = row;
  }
  return out;
}

/** Quotes an identifier for DuckDB (only ever used on names this code generated or checked). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
