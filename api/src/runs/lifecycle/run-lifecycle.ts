import type { Logger } from 'pino';
import type { ResultPointerDocument } from '../output/run-output.store';
import type { RunDocument, RunPhase, RunState, RunsStore, RunSummary } from './runs.store';

/**
 * A run's lifecycle, and the only module that writes a run's state:
 *
 *   queued → reading → merging → publishing → completed
 *      └────────┴─────────┴───────────┴──────→ failed | cancelled
 *
 * One verb per transition; each names the stages it may leave and does nothing (returns null)
 * when the run is elsewhere, so a job retried after a crash, or two workers racing, cannot move a
 * run backwards or end it twice. Stored as `state` + `phase` (what the API shows): reading is
 * state `running`, merging and publishing are state `merging` with their own phase.
 *
 * Who may end a run is decided before these verbs are called (the coordination store's claim);
 * the lock, work items and partials are the callers' to release and clear.
 */

export type RunStage = 'queued' | 'reading' | 'merging' | 'publishing' | 'completed' | 'failed' | 'cancelled';

const STORED: Record<RunStage, { state: RunState; phase: RunPhase }> = {
  queued: { state: 'queued', phase: 'queued' },
  reading: { state: 'running', phase: 'reading' },
  merging: { state: 'merging', phase: 'merging' },
  publishing: { state: 'merging', phase: 'publishing' },
  completed: { state: 'completed', phase: 'done' },
  failed: { state: 'failed', phase: 'done' },
  cancelled: { state: 'cancelled', phase: 'done' },
};

const ACTIVE: RunStage[] = ['queued', 'reading', 'merging', 'publishing'];

/** The stage a stored run is in. */
export function stageOf(run: Pick<RunDocument, 'state' | 'phase'>): RunStage {
  if (run.state === 'running') return 'reading';
  if (run.state === 'merging') return run.phase === 'publishing' ? 'publishing' : 'merging';
  return run.state;
}

export const isActive = (run: Pick<RunDocument, 'state' | 'phase'>) => ACTIVE.includes(stageOf(run));

/** A published run (as it is about to be completed: summary and counters final) and the pointer that publishes it. */
export interface PublishedRun {
  run: RunDocument;
  pointer: ResultPointerDocument;
}

/**
 * Told once a run's result is what readers see, with its final summary and counters, just before
 * the run is written completed: a crash in between makes the retried finalize tell again, so a
 * listener must be idempotent (at least once, never lost). Called in the process that publishes,
 * in order; a listener that throws is logged and changes nothing about the run. This is where what
 * follows a publish attaches (prewarming the snapshot in a process that serves HTTP, webhooks,
 * alerts).
 */
export type PublishListener = (published: PublishedRun) => void | Promise<void>;

/** What a run carries when it ends: its counters and per-mailbox errors, summed from its work items. */
export type RunEnd = Pick<RunDocument, 'counters' | 'errors'>;

export interface RunLifecycleDeps {
  store: RunsStore;
  logger: Logger;
  publishListeners?: PublishListener[];
}

export class RunLifecycle {
  private readonly listeners: PublishListener[];

  constructor(private readonly deps: RunLifecycleDeps) {
    this.listeners = [...(deps.publishListeners ?? [])];
  }

  /** Adds a listener told after every publish this process completes. */
  onPublished(listener: PublishListener): void {
    this.listeners.push(listener);
  }

  /** A new run, queued (its start job is enqueued by the caller). */
  async queue(run: RunDocument): Promise<void> {
    if (stageOf(run) !== 'queued') throw new Error(`A new run must be queued, not ${run.state}.`);
    await this.deps.store.insert(run);
  }

  /** Takes back a queued run whose start job could not be enqueued (it never existed for anyone). */
  async withdraw(run: Pick<RunDocument, '_id' | 'tenantId'>): Promise<void> {
    await this.deps.store.runs.deleteOne({ _id: run._id, tenantId: run.tenantId, state: 'queued' });
  }

  /** queued → reading: the inputs are frozen and the run's plan (full or refresh, shards) is fixed. */
  startReading(run: RunRef, plan: Pick<RunDocument, 'fingerprint' | 'mode' | 'baseRunId' | 'shards' | 'counters'>): Promise<RunDocument | null> {
    return this.move(run, ['queued'], 'reading', { ...plan, startedAt: new Date() });
  }

  /** reading → merging (merging again: a finalize retried after a crash). */
  startMerging(run: RunRef): Promise<RunDocument | null> {
    return this.move(run, ['reading', 'merging'], 'merging', {});
  }

  /** merging → publishing: the snapshot is written; readers are switched to it next. */
  startPublishing(run: RunRef): Promise<RunDocument | null> {
    return this.move(run, ['merging'], 'publishing', {});
  }

  /**
   * → completed, once the pointer publishes the run (from reading too: a finalize that gave up
   * after its flip). The publish listeners are told first, unless the run has already ended.
   */
  async complete(run: RunRef, end: RunEnd & { summary?: RunSummary }, pointer: ResultPointerDocument): Promise<RunDocument | null> {
    const from: RunStage[] = ['reading', 'merging', 'publishing'];
    const current = await this.deps.store.get(run.tenantId, run._id);
    if (!current || !from.includes(stageOf(current))) return null;
    await this.tell({ run: { ...current, ...end, summary: end.summary ?? current.summary, ...STORED.completed }, pointer });
    return this.move(run, from, 'completed', { endedAt: new Date(), ...end });
  }

  /** → failed, with the reason the admin sees; the previous result stays current. */
  fail(run: RunRef, reason: string, end?: RunEnd): Promise<RunDocument | null> {
    return this.move(run, ACTIVE, 'failed', { failureReason: reason, endedAt: new Date(), ...end });
  }

  /** → cancelled by an administrator; the previous result stays current. */
  cancel(run: RunRef, end?: RunEnd): Promise<RunDocument | null> {
    return this.move(run, ACTIVE, 'cancelled', { failureReason: 'Cancelled by an administrator; the previous result is kept.', endedAt: new Date(), ...end });
  }

  private move(run: RunRef, from: RunStage[], to: RunStage, set: Partial<RunDocument>): Promise<RunDocument | null> {
    const states = [...new Set(from.map((s) => STORED[s].state))];
    return this.deps.store.transition(run.tenantId, run._id, states, { ...set, ...STORED[to] });
  }

  private async tell(published: PublishedRun): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(published);
      } catch (e) {
        this.deps.logger.warn({ runId: published.run._id, err: e instanceof Error ? e.message : String(e) }, 'a publish listener failed');
      }
    }
  }
}

type RunRef = Pick<RunDocument, '_id' | 'tenantId'>;
