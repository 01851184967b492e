import os from 'node:os';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { DatasetsStore, type DatasetDocument } from '../../datasets/datasets.store';
import { EnrichmentsStore } from '../../enrichments/enrichments.store';
import { halfLifeOf, userEntityName } from '../../enrichments/enrichment-rules';
import { maskEmails } from '../../platform/logger/logger';
import { classifyGraphError, graphErrorFacts } from '../../platform/graph/classify-graph-error';
import type { GraphClientFactory } from '../../platform/graph/graph-client.factory';
import { emptyCounters, RunsStore, type RunDocument, type RunInputs } from '../lifecycle/runs.store';
import type { JobQueue, MailboxJobData, RunJobData } from './job-queue';
import { accountRows, type AccountRow, type ActivityRow } from '../domain/account-rows';
import { buildAddressBook, type AddressBook } from '../domain/address-book';
import { DAY_MS, emptyBucket, mergeBucketInto, WINDOW_MS, type AccountBuckets, type Bucket } from '../domain/engagement-buckets';
import { hasActivity, rankScores } from '../domain/engagement-score';
import { applyCalendarChanges, applyMessages, collectMessages, meetingBuckets, packLedger, pruneLedger, pruneToWindow, unpackLedger, type ConversationTail, type MeetingLedger, type MessageCollector } from '../domain/mailbox-contribution';
import { shardCount, shardOf } from '../domain/account-shards';
import { countersOf, EngineResultsStore, itemStatsOf, type AccountPartial, type CalendarFullRead, type ContributionDocument, type ItemStats, type MailboxStatePayload, type MailboxStateDocument, type ResultPointerDocument, type WorkItemDocument } from '../output/run-output.store';
import type { AccountRow as DatasetAccount } from '../../datasets/dataset-rows';
import { yearFiguresOf } from '../../snapshots/snapshot-file';
import { SnapshotWriter } from '../../snapshots/snapshot-writer';
import { decodePartial, encodePartial, packInMemory, unpackInMemory } from '../output/partials-codec';
import { calendarDeltaQuery, calendarSyncQuery, DEFAULT_RETRY, isSyncStateLost, messagesQuery, readCalendarChanges, readFirstPages, readMessages, type CalendarRound, type PageQuery, type ReadStats, type RetryPolicy } from '../graph/graph-mailbox.reader';
import { runFingerprint } from '../domain/run-fingerprint';

/**
 * The engine's orchestration around the pure domain: prepares a run (frozen inputs, full or
 * refresh), processes one mailbox work item (read → per-account partials keyed by run and
 * mailbox), and finalizes (merge partials per account → rows → scores → pointer flip).
 * Every step is idempotent, because agenda hands a job to another worker when its worker dies.
 */

export interface RunEngineOptions {
  /** Whole-mailbox attempts before it is marked failed (each page already retries inside). */
  mailboxAttempts: number;
  retry: RetryPolicy;
  /** Throttles progress writes. */
  progressEveryMs: number;
  /** Mailboxes' worth of partials finalize merges at once (a run's shard count is frozen at its start). */
  mailboxesPerShard: number;
  /** Published snapshots kept per enrichment (the current one included), for trends. */
  snapshotsKept: number;
}

export const DEFAULT_ENGINE_OPTIONS: RunEngineOptions = {
  mailboxAttempts: 3,
  retry: DEFAULT_RETRY,
  progressEveryMs: 1000,
  mailboxesPerShard: 50,
  snapshotsKept: 8,
};

export interface RunEngineDeps {
  db: Db;
  graph: GraphClientFactory;
  logger: Logger;
  jobs: JobQueue;
  options?: Partial<RunEngineOptions>;
  /** Told after each flip (in this process): a process that also serves HTTP prewarms the new snapshot. */
  onPublished?: (pointer: ResultPointerDocument) => void;
  /** Told once a run's result is published, with its figures, before the run says completed (webhooks enqueue their notifications). */
  onRunPublished?: (run: PublishedRun) => Promise<void>;
}

/** A published run as notifications describe it: ids, times and counts, no account data. */
export interface PublishedRun {
  tenantId: string;
  enrichmentId: string;
  runId: string;
  asOf: Date;
  summary: NonNullable<RunDocument['summary']>;
  counters: RunDocument['counters'];
}

interface RunContext {
  book: AddressBook;
  dataset: DatasetDocument;
  halfLifeDays: number;
}

class RunCancelled extends Error {}
class LeaseLost extends Error {}

interface Lease {
  lost: boolean;
}

/**
 * Cumulative milliseconds per stage in this process, for `npm run bench`. Summed over the
 * mailboxes read concurrently, so the stages add up to more than the wall clock; what matters
 * is their shares. `graphMs` is the wait for a page (HTTP, TLS and the Graph client's JSON
 * decoding, plus any event-loop queueing behind other mailboxes' CPU work); `parseMs` is the
 * projection of Graph items to metadata; `aggregateMs` the per-mailbox buckets and, in
 * finalize, rows and scores; `writeMs` every MongoDB write of partials, states and work items.
 * `publishMs` is the part of finalize that writes the output and switches readers
 * to it (rows, user entity, pointer flip, older runs' clean-up); the rest of `finalizeMs` is
 * the merge. `messagesRead` and `eventsRead` count what this process's mailbox jobs read.
 */
export interface StageTimings {
  graphMs: number;
  parseMs: number;
  aggregateMs: number;
  writeMs: number;
  requests: number;
  mailboxesRead: number;
  messagesRead: number;
  eventsRead: number;
  finalizeMs: number;
  publishMs: number;
}

export const emptyStageTimings = (): StageTimings => ({ graphMs: 0, parseMs: 0, aggregateMs: 0, writeMs: 0, requests: 0, mailboxesRead: 0, messagesRead: 0, eventsRead: 0, finalizeMs: 0, publishMs: 0 });

/** Keeps a job's lock alive while it works (agenda cancels a job not touched within its lockLifetime). */
export type Touch = () => Promise<void>;

export class RunEngine {
  readonly runs: RunsStore;
  readonly results: EngineResultsStore;
  private readonly enrichments: EnrichmentsStore;
  private readonly datasets: DatasetsStore;
  private readonly options: RunEngineOptions;
  private readonly contexts = new Map<string, Promise<RunContext>>();
  private readonly inputsCache = new Map<string, Promise<RunInputs>>();
  /** Work keys this process is doing now. */
  private readonly active = new Set<string>();
  /** Per run: work items this process has seen finished (see `allFinished`). */
  private readonly finishedItems = new Map<string, { next: number; done: Set<number> }>();
  /** This worker process, as work items name it (host and process id). */
  readonly workerId = `${os.hostname()}:${process.pid}`;
  /** Where this process's time went (never reset here: the bench takes differences). */
  readonly timings: StageTimings = emptyStageTimings();

  constructor(private readonly deps: RunEngineDeps) {
    this.runs = new RunsStore(deps.db);
    this.results = new EngineResultsStore(deps.db);
    this.enrichments = new EnrichmentsStore(deps.db);
    this.datasets = new DatasetsStore(deps.db);
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...deps.options };
  }

  // ---- start -------------------------------------------------------------------------------

  /** The start job: freezes the inputs, chooses full or refresh, and fans out mailbox jobs. */
  async prepare(data: RunJobData & { forceFull?: boolean }): Promise<void> {
    const run = await this.runs.get(data.tenantId, data.runId);
    if (!run) return;
    if (run.state === 'running') {
      // A retry after a crash between the state change and the fan-out: enqueuing is idempotent.
      await this.deps.jobs.enqueueMailboxes(data, run.counters.mailboxesTotal);
      return;
    }
    if (run.state !== 'queued') return;
    let inputs: RunInputs;
    try {
      inputs = await this.loadInputs(run);
    } catch (e) {
      await this.failRun(run, e instanceof Error ? e.message : String(e));
      return;
    }
    const fingerprint = runFingerprint(inputs);
    const base = data.forceFull || run.mode === 'full' ? null : await this.runs.lastCompleted(run.tenantId, run.enrichmentId);
    const canRefresh =
      base !== null && base.fingerprint === fingerprint && base.asOf.getTime() < run.asOf.getTime() && base.asOf.getTime() > run.asOf.getTime() - WINDOW_MS;
    // Inputs first: a run that says running always has them.
    await this.runs.putInputs(run.tenantId, run.enrichmentId, run._id, inputs);
    const started = await this.runs.transition(run.tenantId, run._id, ['queued'], {
      state: 'running',
      phase: 'reading',
      fingerprint,
      mode: canRefresh ? 'refresh' : 'full',
      baseRunId: canRefresh ? base._id : null,
      shards: shardCount(inputs.mailboxes.length, this.options.mailboxesPerShard),
      counters: emptyCounters(inputs.mailboxes.length),
      startedAt: new Date(),
    });
    if (!started) return;
    if (await this.results.getClaim(run.tenantId, run._id)) {
      // Cancelled (or failed) while preparing: the claim holder's end state stands.
      const holder = (await this.results.getClaim(run.tenantId, run._id))!;
      await this.runs.transition(run.tenantId, run._id, ['running'], { state: holder.kind === 'cancel' ? 'cancelled' : 'failed', phase: 'done' });
      return;
    }
    this.deps.logger.info({ runId: run._id, mode: started.mode, mailboxes: inputs.mailboxes.length }, 'run started');
    await this.deps.jobs.enqueueMailboxes(data, inputs.mailboxes.length);
  }

  private async loadInputs(run: RunDocument): Promise<RunInputs> {
    const e = await this.enrichments.get(run.tenantId, run.enrichmentId);
    if (!e) throw new Error('The enrichment was deleted.');
    if (e.consent.state !== 'consented') throw new Error('The organisation has not granted admin consent; no data can be read.');
    const dataset = await this.datasets.get(run.tenantId, e.datasetId);
    if (!dataset) throw new Error('The customer dataset of the enrichment no longer exists; choose another dataset.');
    const mailboxes = [...e.mailboxes.resolved].map((m) => ({ userId: m.userId, mail: m.mail.toLowerCase() })).sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    if (mailboxes.length === 0) throw new Error('The enrichment has no selected mailbox that resolves.');
    let organisationDomains: string[] | null = null;
    const policy = this.options.retry;
    for (let attempt = 1; organisationDomains === null; attempt++) {
      try {
        const org = (await this.deps.graph.forApp(run.tenantId).api('/organization').select(['verifiedDomains']).get()) as { value?: Array<{ verifiedDomains?: Array<{ name: string }> }> };
        organisationDomains = (org.value?.[0]?.verifiedDomains ?? []).map((d) => d.name.toLowerCase());
      } catch (err) {
        const kind = classifyGraphError(graphErrorFacts(err));
        // Outages and throttling are retried like a mailbox page; anything else ends the run.
        if (attempt >= policy.attempts || !['transient', 'throttled', 'unknown'].includes(kind)) {
          throw new Error(`The organisation's domains could not be read from Microsoft Graph (${kind}).`, { cause: err });
        }
        await sleep(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
      }
    }
    return {
      entityName: e.entityName,
      mailboxes,
      datasetId: dataset._id,
      datasetVersion: dataset.version,
      accountsVersionId: dataset.accountsVersionId,
      contactsVersionId: dataset.contactsVersionId,
      mapping: e.mapping,
      exclusions: e.exclusions,
      matchAccountDomains: e.matchAccountDomains,
      organisationDomains,
      halfLifeDays: halfLifeOf(e),
    };
  }

  /** Ends a run as failed: its own partials are dropped; the previous result stays current. */
  async failRun(run: Pick<RunDocument, '_id' | 'tenantId' | 'enrichmentId'>, reason: string): Promise<void> {
    const claim = await this.results.claim(run.tenantId, run.enrichmentId, run._id, 'fail', null);
    if (!claim.won) return;
    const counters = await this.finalCounters(run);
    await this.runs.transition(run.tenantId, run._id, ['queued', 'running', 'merging'], { state: 'failed', phase: 'done', failureReason: reason, endedAt: new Date(), ...counters });
    this.deps.logger.warn({ runId: run._id, reason }, 'run failed');
    await this.deps.jobs.removeRunJobs(run._id);
    await this.results.clearRun(run.tenantId, run._id);
    await this.runs.unlock(run.tenantId, run.enrichmentId, run._id);
  }

  // ---- jobs that keep failing ----------------------------------------------------------------
  // A job that throws (the database refused a write, say) is retried by agenda with backoff; on
  // its last attempt the worker calls one of these, so a run always ends instead of waiting
  // forever for a mailbox or a merge that will not come.

  /** The start job gave up: the run fails before reading anything. */
  async abandonStart(data: RunJobData, reason: string): Promise<void> {
    const run = await this.runs.get(data.tenantId, data.runId);
    if (run && ['queued', 'running'].includes(run.state)) await this.failRun(run, reason);
  }

  /** A mailbox job gave up: the mailbox is failed with the reason; the run goes on without it. */
  async abandonMailbox(data: MailboxJobData, reason: string): Promise<void> {
    const run = await this.runs.get(data.tenantId, data.runId);
    if (!run || run.state !== 'running') return;
    const item = await this.results.getItem(data.tenantId, data.runId, data.index);
    if (item && item.state !== 'reading') return;
    const mailbox = (await this.inputsOf(run)).mailboxes[data.index];
    if (!mailbox) return;
    await this.results.putItem({ tenantId: run.tenantId, enrichmentId: run.enrichmentId, runId: run._id, index: data.index, userId: mailbox.userId, worker: this.workerId, state: 'failed', messagesRead: 0, eventsRead: 0, fullRead: false, reason });
    await this.afterFinished(run, data, mailbox.userId);
  }

  /**
   * The merge gave up. Before the flip the run fails and the previous result stays; after it
   * the new result is already what readers see, so the run is completed (without a summary) and
   * the next run's clean-up removes what this one left.
   */
  async abandonFinalize(data: RunJobData, reason: string): Promise<void> {
    const run = await this.runs.get(data.tenantId, data.runId);
    if (!run || !['running', 'merging'].includes(run.state)) return;
    const flipped = (await this.results.getPointer(run.tenantId, run.enrichmentId))?.runId === run._id;
    const counters = await this.finalCounters(run);
    if (flipped) {
      await this.runs.transition(run.tenantId, run._id, ['running', 'merging'], { state: 'completed', phase: 'done', endedAt: new Date(), ...counters });
    } else {
      // Clean up first (best effort: the database may still be refusing), so a run that reads
      // failed has left nothing behind whenever that was possible.
      await this.results.clearRun(run.tenantId, run._id).catch((e: unknown) => this.deps.logger.warn({ runId: run._id, err: e instanceof Error ? e.message : String(e) }, 'clean-up of an abandoned run failed'));
      await this.runs.transition(run.tenantId, run._id, ['running', 'merging'], { state: 'failed', phase: 'done', failureReason: reason, endedAt: new Date(), ...counters });
    }
    await this.runs.unlock(run.tenantId, run.enrichmentId, run._id);
    this.deps.logger.warn({ runId: run._id, flipped }, 'run merge abandoned');
  }

  /**
   * Counters and errors summed from the work items, to freeze on the run when it ends. Finalize
   * passes what it has already read (every item is finished by then, so nothing changes).
   */
  async finalCounters(run: Pick<RunDocument, '_id' | 'tenantId'>, known?: { total: number; stats: ItemStats }): Promise<Pick<RunDocument, 'counters' | 'errors'>> {
    const total = known?.total ?? (await this.runs.get(run.tenantId, run._id))?.counters.mailboxesTotal ?? 0;
    const s = known?.stats ?? (await this.results.itemStats(run.tenantId, run._id));
    return {
      counters: countersOf(total, s),
      errors: s.errors,
    };
  }

  // ---- context (per run, cached per process) ------------------------------------------------

  /** The run's frozen inputs, read once per process (they never change once written). */
  private inputsOf(run: Pick<RunDocument, '_id' | 'tenantId'>): Promise<RunInputs> {
    let inputs = this.inputsCache.get(run._id);
    if (!inputs) {
      inputs = this.runs.getInputs(run.tenantId, run._id).then((found) => {
        if (!found) throw new Error(`The run ${run._id} has no frozen inputs.`);
        return found;
      });
      inputs.catch(() => this.inputsCache.delete(run._id));
      this.inputsCache.set(run._id, inputs);
      while (this.inputsCache.size > 8) this.inputsCache.delete(this.inputsCache.keys().next().value as string);
    }
    return inputs;
  }

  private context(run: RunDocument): Promise<RunContext> {
    let ctx = this.contexts.get(run._id);
    if (!ctx) {
      ctx = this.buildContext(run);
      ctx.catch(() => this.contexts.delete(run._id));
      this.contexts.set(run._id, ctx);
      // A worker sees few runs at a time; keep the latest handful.
      while (this.contexts.size > 4) this.contexts.delete(this.contexts.keys().next().value as string);
    }
    return ctx;
  }

  private async buildContext(run: RunDocument): Promise<RunContext> {
    const inputs = await this.inputsOf(run);
    const dataset = await this.datasets.get(run.tenantId, inputs.datasetId);
    if (!dataset || dataset.version !== inputs.datasetVersion) {
      throw new DatasetChanged('The customer dataset was re-imported or deleted during the run; run it again.');
    }
    const contacts = await this.datasets.contactAddressMap(run.tenantId, inputs.datasetId, inputs.mapping);
    const accountDomains = new Map<string, string[]>();
    if (inputs.matchAccountDomains) {
      for await (const a of this.datasets.streamAccounts(run.tenantId, dataset)) accountDomains.set(a.accountId, a.domains);
    }
    const book = buildAddressBook({
      selected: inputs.mailboxes,
      organisationDomains: inputs.organisationDomains,
      contacts: (function* () {
        for (const [email, accountId] of contacts) yield { email, accountId };
      })(),
      accountDomains: [...accountDomains].map(([accountId, domains]) => ({ accountId, domains })),
      matchAccountDomains: inputs.matchAccountDomains,
      excludedAddresses: inputs.exclusions.addresses,
      excludedDomains: inputs.exclusions.domains,
    });
    return { book, dataset, halfLifeDays: inputs.halfLifeDays };
  }

  // ---- mailbox work item ------------------------------------------------------------------

  async processMailbox(data: MailboxJobData, touch: Touch): Promise<void> {
    const key = `${data.runId}:mailbox:${data.index}`;
    await this.withLease(data, key, touch, async () => {
      const run = await this.runs.get(data.tenantId, data.runId);
      const item = await this.results.getItem(data.tenantId, data.runId, data.index);
      return !run || run.state !== 'running' || (item !== null && item.state !== 'reading');
    }, (lease) => this.processMailboxLeased(data, touch, lease));
  }

  /**
   * Runs `work` while holding the lease on `key`. When another worker holds it, waits (keeping
   * this agenda job alive) until the work is done or the holder's lease expires (it died).
   */
  private async withLease(data: RunJobData, key: string, touch: Touch, isDone: () => Promise<boolean>, work: (lease: Lease) => Promise<void>): Promise<void> {
    // Agenda on FerretDB may hand this process the same job twice: the copy leaves at once (the
    // job document stays armed, because the running copy keeps touching its lock).
    if (this.active.has(key)) return;
    this.active.add(key);
    try {
      await this.holdLease(data, key, touch, isDone, work);
    } finally {
      this.active.delete(key);
    }
  }

  private async holdLease(data: RunJobData, key: string, touch: Touch, isDone: () => Promise<boolean>, work: (lease: Lease) => Promise<void>): Promise<void> {
    const ttl = this.deps.jobs.options.lockLifetimeMs;
    const owner = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    for (;;) {
      if (await this.results.acquireLease(data.tenantId, data.enrichmentId, key, owner, ttl)) break;
      if (await isDone()) return;
      await touch();
      await sleep(Math.min(1000, Math.max(100, ttl / 4)));
    }
    const lease: Lease = { lost: false };
    const timer = setInterval(() => {
      void this.results.renewLease(data.tenantId, key, owner, ttl).then(
        (ok) => {
          if (!ok) lease.lost = true;
        },
        () => undefined,
      );
    }, Math.max(100, ttl / 3));
    try {
      await work(lease);
    } finally {
      clearInterval(timer);
      if (!lease.lost) await this.results.releaseLease(data.tenantId, key, owner);
    }
  }

  private async processMailboxLeased(data: MailboxJobData, touch: Touch, lease: Lease): Promise<void> {
    const run = await this.runs.get(data.tenantId, data.runId);
    if (!run || run.state !== 'running') return;
    if (await this.results.getClaim(run.tenantId, run._id)) return;
    const inputs = await this.inputsOf(run);
    const mailbox = inputs.mailboxes[data.index];
    if (!mailbox) return;
    const existing = await this.results.getItem(run.tenantId, run._id, data.index);
    if (existing && existing.state !== 'reading') {
      // Finished by an earlier attempt that died before enqueuing the finalize job.
      return this.maybeFinalize(run, data);
    }
    let ctx: RunContext;
    try {
      ctx = await this.context(run);
    } catch (e) {
      if (e instanceof DatasetChanged) return this.failRun(run, e.message);
      throw e;
    }
    const item = { tenantId: run.tenantId, enrichmentId: run.enrichmentId, runId: run._id, index: data.index, userId: mailbox.userId, worker: this.workerId };
    const shards = run.shards ?? 1;
    // Mailbox jobs are enqueued a window at a time (a short agenda queue stays fast to lock);
    // each job enqueues its successor before working, so a job that dies still passes it on.
    await this.deps.jobs.enqueueMailboxSuccessor(data, inputs.mailboxes.length);

    const prior = run.mode === 'refresh' && run.baseRunId ? await this.loadPrior(run.tenantId, run.baseRunId, mailbox.userId) : null;
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.options.mailboxAttempts; attempt++) {
      try {
        const t0 = Date.now();
        const outcome = await this.readMailbox(run, data.index, mailbox.userId, ctx, prior, shards, touch, lease);
        if (lease.lost) return;
        const t1 = Date.now();
        await this.results.writeMailbox(outcome.state, outcome.contributions);
        this.deps.logger.debug({ runId: run._id, index: data.index, readMs: t1 - t0, writeMs: Date.now() - t1, contributions: outcome.contributions.length }, 'mailbox done');
        await this.results.putItem({
          ...item,
          state: 'done',
          messagesRead: outcome.state.messagesRead,
          eventsRead: outcome.state.eventsRead,
          fullRead: outcome.state.fullRead,
          calendarFullRead: outcome.calendarFullRead,
          reason: null,
          shards: outcome.contributions.map((c) => c.shard),
        });
        this.timings.writeMs += Date.now() - t1;
        this.timings.mailboxesRead++;
        this.timings.messagesRead += outcome.state.messagesRead;
        this.timings.eventsRead += outcome.state.eventsRead;
        return this.afterFinished(run, data, mailbox.userId);
      } catch (e) {
        if (e instanceof LeaseLost) return;
        if (e instanceof RunCancelled) {
          await this.results.clearMailbox(run.tenantId, run._id, mailbox.userId, data.index, shards);
          return;
        }
        lastError = e;
        const kind = classifyGraphError(graphErrorFacts(e));
        this.deps.logger.warn({ runId: run._id, userId: mailbox.userId, attempt, kind, err: maskEmails(e instanceof Error ? e.message : String(e)).slice(0, 300) }, 'mailbox attempt failed');
        // Permission and not-found failures do not heal by retrying.
        if (kind === 'not-found' || kind === 'forbidden' || kind === 'consent-required' || kind === 'bad-request') break;
        if (attempt < this.options.mailboxAttempts) await sleep(Math.min(this.options.retry.maxDelayMs, this.options.retry.baseDelayMs * 2 ** attempt));
      }
    }
    await this.results.putItem({ ...item, state: 'failed', messagesRead: 0, eventsRead: 0, fullRead: false, reason: mailboxFailureReason(lastError) });
    await this.afterFinished(run, data, mailbox.userId);
  }

  private async afterFinished(run: RunDocument, data: MailboxJobData, userId: string): Promise<void> {
    const claim = await this.results.getClaim(run.tenantId, run._id);
    if (claim && claim.kind !== 'finalize') {
      // Cancelled (or failed) while this mailbox was being read: take back what it wrote.
      await this.results.clearMailbox(run.tenantId, run._id, userId, data.index, run.shards ?? 1);
      await this.results.items.deleteMany({ tenantId: run.tenantId, runId: run._id });
      return;
    }
    await this.maybeFinalize(run, data);
  }

  /** The mailbox job (its item finished) that sees every work item finished enqueues the finalize job (idempotent). */
  private async maybeFinalize(run: RunDocument, data: MailboxJobData): Promise<void> {
    this.finishedOf(run._id).done.add(data.index);
    if (await this.allFinished(run)) await this.deps.jobs.enqueueFinalize(data);
  }

  /**
   * Whether every work item of the run is finished, by key reads only: a count over the work
   * items is a scan of the whole collection on FerretDB, and every mailbox asks this when it
   * finishes. This process remembers which items it has seen finished (a finished item never
   * goes back), so a check reads from the first item not known finished and stops at the first
   * unfinished one: usually a few reads.
   */
  private async allFinished(run: RunDocument): Promise<boolean> {
    const known = this.finishedOf(run._id);
    for (; known.next < run.counters.mailboxesTotal; known.next++) {
      if (known.done.has(known.next)) continue;
      const item = await this.results.getItem(run.tenantId, run._id, known.next);
      if (!item || item.state === 'reading') return false;
    }
    return true;
  }

  private finishedOf(runId: string): { next: number; done: Set<number> } {
    let known = this.finishedItems.get(runId);
    if (!known) {
      known = { next: 0, done: new Set() };
      this.finishedItems.set(runId, known);
      while (this.finishedItems.size > 8) this.finishedItems.delete(this.finishedItems.keys().next().value as string);
    }
    return known;
  }

  /** The base run's state of a mailbox, decoded; null (read the whole window) when there is none. */
  private async loadPrior(tenantId: string, baseRunId: string, userId: string): Promise<PriorState | null> {
    const doc = await this.results.getState(tenantId, baseRunId, userId);
    // A state written before states were compressed has no `data`: read that mailbox in full.
    if (!doc?.data) return null;
    return { asOf: doc.asOf, payload: await decodePartial<MailboxStatePayload>(doc.data) };
  }

  private async flushProgress(run: RunDocument, index: number, userId: string, messagesRead: number, eventsRead: number, fullRead: boolean, touch: Touch): Promise<void> {
    await this.results.putItem({ tenantId: run.tenantId, enrichmentId: run.enrichmentId, runId: run._id, index, userId, worker: this.workerId, state: 'reading', messagesRead, eventsRead, fullRead, reason: null });
    await touch();
    if (await this.results.getClaim(run.tenantId, run._id)) throw new RunCancelled();
  }

  private async readMailbox(
    run: RunDocument,
    self: number,
    userId: string,
    ctx: RunContext,
    prior: PriorState | null,
    shards: number,
    touch: Touch,
    lease: Lease,
  ): Promise<{ state: MailboxStateDocument; contributions: ContributionDocument[]; calendarFullRead: CalendarFullRead | null }> {
    const asOf = run.asOf.getTime();
    const windowStart = asOf - WINDOW_MS;
    const scope = { self, book: ctx.book, asOf, windowStart, halfLifeDays: ctx.halfLifeDays };
    const client = this.deps.graph.forApp(run.tenantId);
    const stats: ReadStats = { requests: 0, retries: 0, parseMs: 0 };
    let waitMs = 0;
    const since = prior ? prior.asOf.getTime() : windowStart;

    let messagesRead = 0;
    let eventsRead = 0;
    let lastFlush = Date.now();
    let flushing = false;
    const progress = async (force = false) => {
      if (lease.lost) throw new LeaseLost();
      // The two readers share this; one write at a time (the other reader just goes on).
      if (flushing || (!force && Date.now() - lastFlush < this.options.progressEveryMs)) return;
      flushing = true;
      lastFlush = Date.now();
      try {
        await this.flushProgress(run, self, userId, messagesRead, eventsRead, prior === null, touch);
      } finally {
        flushing = false;
        this.timings.writeMs += Date.now() - lastFlush;
      }
    };
    // The work item says at once that this worker is reading the mailbox.
    await progress(true);

    // The calendar: a refresh follows the base run's delta link and applies the changes to its
    // meeting ledger; a full run, a mailbox without that state, and a sync Graph no longer
    // knows (410) start a new sync over the window and the horizon ahead of it.
    let calendar = this.calendarPlan(userId, asOf, windowStart, prior);
    const resetCalendar = (reason: CalendarFullRead) => {
      this.deps.logger.warn({ runId: run._id, index: self, reason }, 'calendar delta reset: reading the mailbox calendar in full');
      calendar = { ...this.calendarPlan(userId, asOf, windowStart, null), fullRead: reason };
    };
    if (calendar.fullRead) this.deps.logger.info({ runId: run._id, index: self, reason: calendar.fullRead }, 'calendar read in full');

    // Both first pages in one $batch round trip, then messages and calendar page on in parallel:
    // two requests in flight per mailbox, within Graph's 4.
    const messageQuery = messagesQuery(userId, new Date(since), new Date(asOf));
    const batchFrom = performance.now();
    const firstPages = await readFirstPages(client, { messages: messageQuery, calendar: calendar.query }, stats, this.options.retry);
    waitMs += performance.now() - batchFrom;
    let firstCalendarPage = firstPages.calendar ?? undefined;
    if (firstPages.calendar === null) resetCalendar('sync-state-lost');
    // Pages are taken in as they arrive (messages kept compact, calendar changes applied to the
    // ledger), so a page's Graph objects die young: cheap for the garbage collector.
    pruneLedger(calendar.ledger, windowStart);
    let takeMs = 0;
    const [collected, deltaLink] = await Promise.all([
      (async () => {
        let out: MessageCollector | null = null;
        let waitFrom = performance.now();
        for await (const page of readMessages(client, userId, new Date(since), new Date(asOf), stats, this.options.retry, firstPages.messages)) {
          const from = performance.now();
          waitMs += from - waitFrom;
          out = collectMessages(out, page, scope);
          takeMs += performance.now() - from;
          messagesRead += page.length;
          await progress();
          waitFrom = performance.now();
        }
        return out ?? collectMessages(null, [], scope);
      })(),
      (async () => {
        for (;;) {
          const round: CalendarRound = { deltaLink: null };
          let waitFrom = performance.now();
          try {
            for await (const page of readCalendarChanges(client, calendar.query, round, stats, this.options.retry, firstCalendarPage)) {
              const from = performance.now();
              waitMs += from - waitFrom;
              applyCalendarChanges(calendar.ledger, page, scope);
              takeMs += performance.now() - from;
              eventsRead += page.length;
              await progress();
              waitFrom = performance.now();
            }
          } catch (e) {
            // A sync state lost while paging through a round: start over, once, from nothing.
            if (!isSyncStateLost(e) || !calendar.carried) throw e;
            resetCalendar('sync-state-lost');
            firstCalendarPage = undefined;
            continue;
          }
          if (!round.deltaLink) throw new Error('The calendar sync round ended without a delta link.');
          return round.deltaLink;
        }
      })(),
    ]);
    await progress(true);
    // The reader's projection runs inside the awaited page; count it as parsing, not I/O, like
    // taking each page in.
    this.timings.parseMs += (stats.parseMs ?? 0) + takeMs;
    this.timings.graphMs += waitMs - (stats.parseMs ?? 0);
    this.timings.requests += stats.requests;
    const aggregateFrom = performance.now();

    const buckets: AccountBuckets = new Map();
    const tails = new Map<string, ConversationTail>();
    if (prior) {
      const { emailBuckets, tails: t } = prior.payload;
      for (const { accountId, buckets: list } of emailBuckets) buckets.set(accountId, new Map(list.map((b) => [b.h, b])));
      t.keys.forEach((k, i) => tails.set(k, { at: t.at[i]!, fromOrganisation: t.fromOrganisation[i]! }));
      pruneToWindow(buckets, tails, windowStart);
    }
    const step = applyMessages(collected, scope, buckets, tails);
    const ledger = calendar.ledger;
    const meetings = meetingBuckets(ledger, scope);

    const payload: MailboxStatePayload = {
      emailBuckets: [...step.buckets].map(([accountId, byHour]) => ({ accountId, buckets: [...byHour.values()] })),
      tails: { keys: [...step.tails.keys()], at: [...step.tails.values()].map((t) => t.at), fromOrganisation: [...step.tails.values()].map((t) => t.fromOrganisation) },
      calendar: { deltaLink, windowStart: calendar.window.start, windowEnd: calendar.window.end, ledger: packLedger(ledger) },
    };
    const byShard = new Map<number, AccountPartial[]>();
    for (const accountId of new Set([...step.buckets.keys(), ...meetings.buckets.keys()])) {
      const merged = new Map<number, Bucket>();
      for (const source of [step.buckets.get(accountId), meetings.buckets.get(accountId)]) {
        for (const b of source?.values() ?? []) mergeBucketInto(merged.get(b.h) ?? merged.set(b.h, emptyBucket(b.h)).get(b.h)!, b);
      }
      const shard = shardOf(accountId, shards);
      const list = byShard.get(shard) ?? byShard.set(shard, []).get(shard)!;
      list.push({ accountId, buckets: [...merged.values()] });
    }
    this.timings.aggregateMs += performance.now() - aggregateFrom;
    const encodeFrom = performance.now();
    const state: MailboxStateDocument = {
      _id: EngineResultsStore.stateId(run._id, userId),
      tenantId: run.tenantId,
      enrichmentId: run.enrichmentId,
      runId: run._id,
      userId,
      asOf: run.asOf,
      data: await encodePartial(payload),
      messagesRead: step.messagesRead,
      eventsRead,
      emailsCounted: step.emailsCounted,
      meetingsCounted: meetings.meetingsCounted,
      fullRead: prior === null,
    };
    const contributions: ContributionDocument[] = [];
    for (const [shard, partials] of [...byShard].sort((a, b) => a[0] - b[0])) {
      contributions.push({
        _id: EngineResultsStore.contributionId(run._id, self, shard),
        tenantId: run.tenantId,
        enrichmentId: run.enrichmentId,
        runId: run._id,
        index: self,
        shard,
        data: await encodePartial(partials),
      });
    }
    // Compression is part of writing the partials.
    this.timings.writeMs += performance.now() - encodeFrom;
    return { state, contributions, calendarFullRead: calendar.fullRead };
  }

  /**
   * How this run reads a mailbox's calendar: the base run's sync, carried on (its delta link and
   * meeting ledger), or a new sync over [window start, asOf + horizon). A refresh reads in full,
   * and says why, when the base run left no calendar state or its window ends before this as-of.
   */
  private calendarPlan(userId: string, asOf: number, windowStart: number, prior: PriorState | null): CalendarPlan {
    const carried = prior?.payload.calendar;
    if (carried && asOf < carried.windowEnd) {
      return { query: calendarDeltaQuery(carried.deltaLink), ledger: unpackLedger(carried.ledger), window: { start: carried.windowStart, end: carried.windowEnd }, carried: true, fullRead: null };
    }
    const window = { start: windowStart, end: asOf + CALENDAR_HORIZON_MS };
    const fullRead: CalendarFullRead | null = !prior ? null : carried ? 'window-renewed' : 'no-state';
    return { query: calendarSyncQuery(userId, new Date(window.start), new Date(window.end)), ledger: new Map(), window, carried: false, fullRead };
  }

  // ---- finalize ----------------------------------------------------------------------------

  async finalize(data: RunJobData, touch: Touch, jobId: string): Promise<void> {
    await this.withLease(data, `${data.runId}:finalize`, touch, async () => {
      const run = await this.runs.get(data.tenantId, data.runId);
      return !run || !['running', 'merging'].includes(run.state);
    }, () => this.finalizeLeased(data, touch, jobId));
  }

  private async finalizeLeased(data: RunJobData, touch: Touch, jobId: string): Promise<void> {
    let run = await this.runs.get(data.tenantId, data.runId);
    if (!run || !['running', 'merging'].includes(run.state)) return;
    if ((await this.results.countFinished(run.tenantId, run._id)) < run.counters.mailboxesTotal) return;
    const claim = await this.results.claim(run.tenantId, run.enrichmentId, run._id, 'finalize', jobId);
    if (!claim.won) return;
    const { tenantId, enrichmentId } = run;
    const inputs = await this.inputsOf(run);
    // Read once: every work item is finished, so the merge, the counters and the summary share them.
    const items = await this.results.runItems(tenantId, run._id);
    const known = { total: run.counters.mailboxesTotal, stats: itemStatsOf(items) };
    if (known.stats.done === 0) {
      // Every mailbox failed: nothing to publish, the previous result is kept.
      const counters = await this.finalCounters(run, known);
      await this.runs.transition(tenantId, run._id, ['running', 'merging'], { state: 'failed', phase: 'done', failureReason: 'Every selected mailbox failed; the previous result is kept.', endedAt: new Date(), ...counters });
      await this.results.clearRun(tenantId, run._id);
      await this.runs.unlock(tenantId, enrichmentId, run._id);
      return;
    }
    run = (await this.runs.transition(tenantId, run._id, ['running', 'merging'], { state: 'merging', phase: 'merging' })) ?? run;

    const pointer = await this.results.getPointer(tenantId, enrichmentId);
    let yearFigures: YearFigures | null = null;
    if (pointer?.runId !== run._id) {
      // A retried finalize (the claim was already this job's) starts its own output again; it is
      // not visible before the flip. A first attempt has written nothing.
      if (claim.holder) await this.results.clearRunOutput(tenantId, run._id);
      const dataset = await this.datasets.get(tenantId, inputs.datasetId);
      if (!dataset || dataset.version !== inputs.datasetVersion) {
        await this.runs.transition(tenantId, run._id, ['merging'], { state: 'failed', phase: 'done', failureReason: 'The customer dataset was re-imported or deleted during the run; run it again.', endedAt: new Date() });
        await this.results.clearRun(tenantId, run._id);
        await this.runs.unlock(tenantId, enrichmentId, run._id);
        return;
      }
      const accounts = new Map<string, DatasetAccount>();
      const t0 = Date.now();
      for await (const a of this.datasets.streamAccounts(tenantId, dataset)) accounts.set(a.accountId, a);
      const written = await this.writeRows(run, inputs, items, accounts, dataset.accountAttributes, touch);
      const insertMs = written.insertMs;
      yearFigures = written.year;
      this.timings.finalizeMs += Date.now() - t0;
      this.timings.publishMs += insertMs;
      // Finalize's merge (reading partials back, rows, scores) counts as aggregation.
      this.timings.aggregateMs += Date.now() - t0 - insertMs;
      this.deps.logger.debug({ runId: run._id, rowsMs: Date.now() - t0 }, 'rows written');
      const runId = run._id;
      const publishFrom = Date.now();
      await this.results.insertUsers(inputs.mailboxes.map((m) => ({ tenantId, enrichmentId, runId, entityName: userEntityName(inputs.entityName), UserId: m.userId, Mail: m.mail })));
      await this.runs.transition(tenantId, run._id, ['merging'], { phase: 'publishing' });
      const published = await this.results.flip(tenantId, enrichmentId, run._id, run.asOf, this.options.snapshotsKept);
      this.timings.publishMs += Date.now() - publishFrom;
      this.deps.onPublished?.(published);
    }
    const summary = await this.summary(run, yearFigures, known.stats);
    const counters = await this.finalCounters(run, known);
    await this.deps.onRunPublished?.({ tenantId, enrichmentId, runId: run._id, asOf: run.asOf, summary, counters: counters.counters });
    // Clean up before saying "completed": a run that reports completed has left nothing behind,
    // and a finalize retried after a crash here finds the flip done and just cleans up again.
    const cleanFrom = Date.now();
    await this.results.deleteOlderThan(tenantId, enrichmentId, run._id);
    // Older runs' inputs are history nobody reads (a refresh compares fingerprints and as-ofs).
    await this.runs.inputs.deleteMany({ tenantId, enrichmentId, _id: { $ne: run._id } });
    this.timings.publishMs += Date.now() - cleanFrom;
    await this.runs.transition(tenantId, run._id, ['merging'], { state: 'completed', phase: 'done', endedAt: new Date(), summary, ...counters });
    await this.runs.unlock(tenantId, enrichmentId, run._id);
    this.deps.logger.info({ runId: run._id, accountsEnriched: summary.accountsEnriched, durationMs: summary.durationMs }, 'run completed');
  }

  /**
   * Merges the partials one shard of accounts at a time, so memory holds one shard's buckets,
   * never the whole tenant's. Pass 1 builds each shard's rows, collects every period's raw
   * scores (numbers only) and keeps the rows compressed in memory; pass 2 ranks the scores per
   * period and writes the rows with their rank, in the same order, into the run's snapshot
   * (one Parquet file, stored in chunks by key; see docs/results-storage.md).
   */
  private async writeRows(run: RunDocument, inputs: RunInputs, items: WorkItemDocument[], accounts: Map<string, DatasetAccount>, attributes: readonly string[], touch: Touch): Promise<{ insertMs: number; year: YearFigures }> {
    const { tenantId, _id: runId } = run;
    const asOf = run.asOf.getTime();
    const shards = run.shards ?? 1;
    const writers = new Map<number, number[]>();
    for (const item of items) {
      if (item.state !== 'done') continue;
      for (const shard of item.shards ?? []) (writers.get(shard) ?? writers.set(shard, []).get(shard)!).push(item.index);
    }
    const accountsByShard: string[][] = Array.from({ length: shards }, () => []);
    for (const id of [...accounts.keys()].sort()) accountsByShard[shardOf(id, shards)]!.push(id);

    const raws = new Map<string, Array<number | null>>();
    const periodKey = (r: ActivityRow) => `${r.AggregationLevel}|${r.AggregationStartDate}`;
    const packed: Buffer[] = [];
    const year: YearFigures = { accountsEnriched: 0, earliest: null };
    for (let shard = 0; shard < shards; shard++) {
      const buckets = new Map<string, Bucket[]>();
      await forEachLimited(writers.get(shard) ?? [], 4, async (index) => {
        const doc = await this.results.getContribution(tenantId, runId, index, shard);
        if (!doc) throw new Error(`The partial of finished mailbox ${index} (shard ${shard}) is missing; the run cannot be merged.`);
        for (const p of await decodePartial<AccountPartial[]>(doc.data)) {
          const list = buckets.get(p.accountId) ?? buckets.set(p.accountId, []).get(p.accountId)!;
          for (const b of p.buckets) list.push(b);
        }
      });
      const rows: AccountRow[] = [];
      for (const id of accountsByShard[shard]!) {
        for (const r of accountRows({ id, name: accounts.get(id)!.name }, buckets.get(id) ?? [], asOf, inputs.halfLifeDays)) {
          rows.push(r);
          const list = raws.get(periodKey(r)) ?? raws.set(periodKey(r), []).get(periodKey(r))!;
          list.push(hasActivity(r) ? r.ScoreParts.raw : null);
          if (r.AggregationLevel === 'Year') addYearFigures(year, r);
        }
      }
      packed.push(await packInMemory(rows));
      await touch();
    }

    const scores = new Map<string, { values: number[]; next: number }>();
    for (const [k, list] of raws) scores.set(k, { values: rankScores(list), next: 0 });
    const writer = await SnapshotWriter.open({ attributes });
    try {
      for (const a of accounts.values()) writer.account({ id: a.accountId, name: a.name, domains: a.domains, attributes: a.attributes });
      for (const buffer of packed) {
        for (const r of await unpackInMemory<AccountRow[]>(buffer)) {
          const s = scores.get(periodKey(r))!;
          writer.add(r, s.values[s.next++] ?? 0);
        }
        await touch();
      }
      const from = Date.now();
      const file = await writer.finish({ runId, asOf: run.asOf });
      await this.results.snapshots.save({ tenantId, enrichmentId: run.enrichmentId, runId }, file.path, file.facts);
      // Counted as publishing by finalize (not as a mailbox write).
      const insertMs = Date.now() - from;
      return { insertMs, year };
    } finally {
      writer.close();
    }
  }

  /** `year` comes from the merge; a finalize retried after the flip reads it back from the rows. */
  private async summary(run: RunDocument, fromMerge: YearFigures | null, totals: ItemStats): Promise<NonNullable<RunDocument['summary']>> {
    const asOf = run.asOf.getTime();
    let year = fromMerge;
    if (!year) {
      const snapshot = await this.results.snapshots.read(run.tenantId, run._id);
      year = snapshot ? await yearFiguresOf(snapshot.bytes) : { accountsEnriched: 0, earliest: null };
    }
    const { accountsEnriched, earliest } = year;
    const started = run.startedAt?.getTime() ?? run.createdAt.getTime();
    return {
      accountsEnriched,
      emailsProcessed: totals.messagesRead,
      meetingsProcessed: totals.eventsRead,
      daysCovered: earliest === null ? 0 : Math.min(365, Math.ceil((asOf - earliest) / DAY_MS)),
      durationMs: Date.now() - started,
    };
  }
}

/** What the run's summary takes from the Year rows. */
interface YearFigures {
  accountsEnriched: number;
  earliest: number | null;
}

type YearRowFigures = Pick<ActivityRow, 'NoOfEmails_ToAccount' | 'NoOfEmails_FromAccount' | 'NoOfMeetings_ToAccount' | 'NoOfMeetings_FromAccount' | 'EngagementStartDate'>;

function addYearFigures(year: YearFigures, r: YearRowFigures): void {
  if (r.NoOfEmails_ToAccount + r.NoOfEmails_FromAccount + r.NoOfMeetings_ToAccount + r.NoOfMeetings_FromAccount > 0) year.accountsEnriched++;
  if (r.EngagementStartDate) year.earliest = Math.min(year.earliest ?? Infinity, Date.parse(r.EngagementStartDate));
}

interface PriorState {
  asOf: Date;
  payload: MailboxStatePayload;
}

/**
 * How far ahead of its as-of a run's calendar sync reaches. Meetings are counted by start, so
 * the sync must already hold the meetings a later refresh will count: a refresh can carry the
 * sync on until its as-of passes the sync's window end, then the mailbox's calendar is read
 * again in full (once a year for a weekly schedule).
 */
export const CALENDAR_HORIZON_MS = 365 * DAY_MS;

interface CalendarPlan {
  query: PageQuery;
  ledger: MeetingLedger;
  window: { start: number; end: number };
  /** The base run's sync carried on (a lost sync state then means: start a new one). */
  carried: boolean;
  /** Why a refresh reads this calendar in full (null: it carries the sync on, or a full run). */
  fullRead: CalendarFullRead | null;
}

/** Runs `work` over `items` with at most `limit` at once (finalize's reads of partials). */
async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

class DatasetChanged extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A reason to show per mailbox: the kind and status of the failure, never an address. */
export function mailboxFailureReason(e: unknown): string {
  const facts = graphErrorFacts(e);
  const kind = classifyGraphError(facts);
  const text: Record<string, string> = {
    throttled: 'Microsoft Graph kept throttling this mailbox',
    transient: 'Microsoft Graph kept failing or dropping the connection',
    'not-found': 'The mailbox was not found (deleted, or no Exchange Online mailbox)',
    forbidden: 'Access to the mailbox was refused (application access policy or missing permission)',
    'consent-required': 'The app has no admin consent in the organisation',
    auth: 'The app could not authenticate to Microsoft Graph',
    'cursor-expired': 'The change cursor expired',
    'bad-request': 'Microsoft Graph refused the request as invalid',
    unknown: 'Reading the mailbox failed',
  };
  return `${text[kind] ?? 'Reading the mailbox failed'}${facts.status ? ` (HTTP ${facts.status})` : facts.networkCode ? ` (${facts.networkCode})` : ''}.`;
}
