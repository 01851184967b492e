import os from 'node:os';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import type { KeptRun, ResultPointerDocument } from '../runs/output/run-output.store';
import { DuckDbPool } from '../platform/duckdb/duckdb-pool';
import { AppError } from '../platform/errors/app-error';
import { SnapshotsStore } from '../snapshots/snapshots.store';
import { CurrentResults, type EnrichmentView } from './current-results';
import { SnapshotCache, type LoadedSnapshot } from './snapshot-cache';

/**
 * The read side of published results in one process: which run is current for an enrichment
 * (`CurrentResults`), the snapshots loaded into this process's DuckDB (`SnapshotCache`), and the
 * DuckDB connection pool they are queried through. Built once per process by the composition
 * root and shared by the results, customers, segments and measures features; the engine tells it
 * about its own publishes (`published`) so that a process serving HTTP prewarms them.
 *
 * The snapshot in MongoDB is the only state processes share: any number of API processes can
 * run side by side, each with its own cache.
 */

export interface ResultsRuntimeOptions {
  /** Memory for loaded snapshots, in MiB (RESULTS_CACHE_MB). */
  cacheMb: number;
  /** How often other processes' publishes are looked for, in ms (RESULTS_POINTER_POLL_MS). */
  pollMs: number;
  /** DuckDB threads and pooled connections (queries at once). */
  threads: number;
  connections: number;
  /** Load a newly published snapshot before anyone asks (processes that serve HTTP). */
  prewarm: boolean;
}

export const DEFAULT_RESULTS_RUNTIME: ResultsRuntimeOptions = { cacheMb: 512, pollMs: 1000, threads: 1, connections: 2, prewarm: true };

export class ResultsRuntime {
  readonly current: CurrentResults;
  readonly snapshots: SnapshotCache;
  readonly store: SnapshotsStore;
  private poolPromise: Promise<DuckDbPool> | null = null;
  private readonly options: ResultsRuntimeOptions;

  constructor(db: Db, readonly logger: Logger, options: Partial<ResultsRuntimeOptions> = {}) {
    this.options = { ...DEFAULT_RESULTS_RUNTIME, ...options };
    this.store = new SnapshotsStore(db);
    this.current = new CurrentResults(db, this.options.pollMs);
    this.snapshots = new SnapshotCache(this.store, () => this.pool(), { budgetBytes: this.options.cacheMb * 1024 * 1024, logger });
    this.current.onNewResult((pointer) => {
      if (this.options.prewarm) void this.snapshots.prewarm(pointer.tenantId, pointer.runId).catch(() => undefined);
    });
    // Another process's publish: readers here switch to it once its snapshot is loaded, so the
    // first read of the new run does not wait for the load.
    if (this.options.prewarm) this.current.switchWhenReady((pointer) => this.snapshots.prewarm(pointer.tenantId, pointer.runId));
  }

  /** The DuckDB pool, created on first use. */
  pool(): Promise<DuckDbPool> {
    if (!this.poolPromise) {
      this.poolPromise = DuckDbPool.create({
        threads: this.options.threads,
        connections: this.options.connections,
        // The cache budget, plus room for what queries and loads hold while they run.
        memoryLimitMb: this.options.cacheMb + 256,
        tempDirectory: os.tmpdir(),
        // Text stays uncompressed when a snapshot is compressed: searching and sorting text then
        // reads it as it is (measured: about a third less CPU per search) for ≈ 30 MB more per
        // 100,000 accounts; numbers are still compressed.
        // Memory a detached snapshot frees goes back to the system in the background.
        settings: { disabled_compression_methods: 'dict_fsst', allocator_background_threads: 'true' },
      });
      this.poolPromise.catch(() => (this.poolPromise = null));
    }
    return this.poolPromise;
  }

  /** The engine's hook after a flip in this process. */
  readonly published = (pointer: ResultPointerDocument): void => {
    this.current.published(pointer);
  };

  /** The enrichment for a results read, or 404. */
  async enrichment(tenantId: string, enrichmentId: string): Promise<EnrichmentView> {
    const view = await this.current.get(tenantId, enrichmentId);
    if (!view) throw new AppError('not-found', 'This enrichment does not exist (or was deleted); pick another one.');
    return view;
  }

  /**
   * Runs `work` on the enrichment's current result (null when nothing is published yet). The
   * run is fixed once, before anything is read, so the whole request sees one run.
   */
  async withCurrent<T>(view: EnrichmentView, work: (s: LoadedSnapshot, pointer: ResultPointerDocument) => Promise<T>): Promise<T | null> {
    const pointer = view.pointer;
    if (!pointer) return null;
    return this.snapshots.use(view.tenantId, pointer.runId, (s) => work(s, pointer));
  }

  /**
   * Runs `work` on one published run of the enrichment: the current one when `runId` is
   * undefined (null before the first result), else that run while its snapshot is kept (a
   * paging cursor's run). A run this process does not know as kept is looked up again in MongoDB
   * (another API process may have published it a moment ago); a run no longer kept is a
   * `cursor-expired` (410).
   */
  async withRun<T>(view: EnrichmentView, runId: string | undefined, work: (s: LoadedSnapshot, run: { runId: string; asOf: Date }) => Promise<T>): Promise<T | null> {
    if (runId === undefined || runId === view.pointer?.runId) return this.withCurrent(view, work);
    let kept = view.pointer?.kept.find((k) => k.runId === runId);
    if (!kept) kept = (await this.current.reload(view.tenantId, view.enrichmentId))?.pointer?.kept.find((k) => k.runId === runId);
    const expired = () => new AppError('cursor-expired', 'The result this cursor was paging through has been replaced and is no longer kept. Start again from the first page (without the cursor) to read the current result.');
    if (!kept) throw expired();
    const run = kept;
    let loaded = false;
    try {
      return await this.snapshots.use(view.tenantId, runId, (s) => {
        loaded = true;
        return work(s, run);
      });
    } catch (e) {
      // Its snapshot was deleted between the check and the load: the run is just no longer kept.
      if (!loaded && e instanceof AppError && e.code === 'not-found') throw expired();
      throw e;
    }
  }

  /** The runs whose snapshots the enrichment keeps, newest first (the current one first). */
  async keptRuns(tenantId: string, enrichmentId: string): Promise<KeptRun[]> {
    return (await this.enrichment(tenantId, enrichmentId)).pointer?.kept ?? [];
  }

  /**
   * Runs `work` with several kept runs of one enrichment loaded and pinned together, in the
   * order asked (e.g. the current and the previous run, to join them for the change in score).
   * A run that the pointer does not list as kept is refused: a snapshot is opened only for a
   * run the tenant's pointer names.
   */
  async withKeptRuns<T>(
    tenantId: string,
    enrichmentId: string,
    runIds: readonly string[],
    work: (snapshots: LoadedSnapshot[], pool: DuckDbPool) => Promise<T>,
    /** The runs are read for their Year rows only (trends): one not loaded yet skips its Week and Month rows. */
    options: { yearOnly?: boolean } = {},
  ): Promise<T> {
    const kept = new Set((await this.keptRuns(tenantId, enrichmentId)).map((k) => k.runId));
    for (const runId of runIds) if (!kept.has(runId)) throw new AppError('not-found', `The run ${runId} is not a kept result of this enrichment.`);
    const pool = await this.pool();
    const open = async (i: number, acc: LoadedSnapshot[]): Promise<T> =>
      i === runIds.length ? work(acc, pool) : this.snapshots.use(tenantId, runIds[i]!, (s) => open(i + 1, [...acc, s]), { yearOnly: options.yearOnly === true });
    return open(0, []);
  }

  /** Stops polling and closes DuckDB once the statements running in it have finished. */
  async close(): Promise<void> {
    this.current.close();
    await this.poolPromise?.then((p) => p.close()).catch(() => undefined);
    this.snapshots.removeFiles();
  }
}
