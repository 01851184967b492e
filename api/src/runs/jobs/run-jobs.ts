import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { DatasetsStore } from '../../datasets/datasets.store';
import { EnrichmentsStore } from '../../enrichments/enrichments.store';
import type { GraphClientFactory } from '../../platform/graph/graph-client.factory';
import { CoordinationStore, FinishedItems } from '../coordination/coordination.store';
import { MailboxCursors } from '../coordination/mailbox-cursor';
import { RunProgressFlusher } from '../coordination/run-progress-flusher';
import { WorkLeases } from '../coordination/work-leases';
import { DEFAULT_RETRY, type RetryPolicy } from '../graph/graph-mailbox.reader';
import { RunLifecycle, type PublishListener } from '../lifecycle/run-lifecycle';
import { RunsStore } from '../lifecycle/runs.store';
import { LocalPartials } from '../output/local-partials';
import { EngineResultsStore } from '../output/run-output.store';
import type { JobQueue } from './job-queue';
import { RunContexts } from './run-context';
import { UNOBSERVED, type RunObserver } from './run-observer';

export interface RunJobsOptions {
  /** Whole-mailbox attempts before it is marked failed (each page already retries inside). */
  mailboxAttempts: number;
  retry: RetryPolicy;
  /** How often a mailbox touches its job, and each process writes its progress on a run and reads the run's claim. */
  progressEveryMs: number;
  /** Mailboxes' worth of partials finalize merges at once (a run's shard count is frozen at its start). */
  mailboxesPerShard: number;
  /** Published snapshots kept per enrichment (the current one included), for trends. */
  snapshotsKept: number;
  /** Times a mailbox's work may fail in one process (the database refusing) before it is given up. */
  pieceRetries: number;
}

export const DEFAULT_RUN_JOBS_OPTIONS: RunJobsOptions = {
  mailboxAttempts: 3,
  retry: DEFAULT_RETRY,
  progressEveryMs: 1000,
  mailboxesPerShard: 50,
  snapshotsKept: 8,
  pieceRetries: 4,
};

export interface RunJobsDeps {
  db: Db;
  graph: GraphClientFactory;
  logger: Logger;
  queue: JobQueue;
  options?: Partial<RunJobsOptions>;
  /** Told where the time goes (the bench); nothing in production. */
  observer?: RunObserver;
  /** Told after each run this process completes (see PublishListener). */
  publishListeners?: PublishListener[];
}

/** What every run job of a process works with: the stores, the lifecycle and the per-process caches. */
export interface RunJobContext {
  /** For the admin views' records finalize writes beside the run (mailbox health, unmatched domains). */
  db: Db;
  graph: GraphClientFactory;
  logger: Logger;
  queue: JobQueue;
  options: RunJobsOptions;
  observer: RunObserver;
  runs: RunsStore;
  lifecycle: RunLifecycle;
  coordination: CoordinationStore;
  output: EngineResultsStore;
  enrichments: EnrichmentsStore;
  datasets: DatasetsStore;
  contexts: RunContexts;
  leases: WorkLeases;
  /** Which mailbox this process's readers take next, per run. */
  cursors: MailboxCursors;
  finished: FinishedItems;
  /** What this process read of each run, written as one document per run about once a second. */
  progress: RunProgressFlusher;
  /** This worker process, as work items name it (host and process id). */
  workerId: string;
  /** The partials this process wrote, per run, for a finalize that runs here. */
  localPartials: LocalPartials;
}

export function runJobContext(deps: RunJobsDeps): RunJobContext {
  const runs = new RunsStore(deps.db);
  const options = { ...DEFAULT_RUN_JOBS_OPTIONS, ...deps.options };
  const workerId = `${os.hostname()}:${process.pid}`;
  // Every finished work item this process writes is counted in its run progress.
  const coordination = new CoordinationStore(deps.db, { itemFinished: (item) => progress.finished(item) });
  const progress = new RunProgressFlusher({ store: coordination, worker: workerId, instance: randomBytes(4).toString('hex'), everyMs: options.progressEveryMs, logger: deps.logger });
  const datasets = new DatasetsStore(deps.db);
  return {
    db: deps.db,
    graph: deps.graph,
    logger: deps.logger,
    queue: deps.queue,
    options,
    observer: deps.observer ?? UNOBSERVED,
    runs,
    lifecycle: new RunLifecycle({ store: runs, logger: deps.logger, publishListeners: deps.publishListeners }),
    coordination,
    output: new EngineResultsStore(deps.db),
    enrichments: new EnrichmentsStore(deps.db),
    datasets,
    contexts: new RunContexts(runs, datasets),
    leases: new WorkLeases(coordination, deps.queue.options.lockLifetimeMs),
    cursors: new MailboxCursors(),
    finished: new FinishedItems(coordination),
    progress,
    workerId,
    localPartials: new LocalPartials(),
  };
}
