import type { Logger } from 'pino';
import type { ClaimKind, CoordinationStore } from './coordination.store';
import { emptyProgress, progressDocument, reportFinished, reportReading, type FinishedReport, type RunProgressState } from './run-progress';

type RunRef = { _id: string; tenantId: string; enrichmentId: string };

/** A mailbox this process is reading: it reports its figures and learns that the run was claimed. */
export interface ProgressReader {
  report(messagesRead: number, eventsRead: number): void;
  /** The run has been claimed (cancelled or failed, or it is finalizing): the reader must stop. */
  readonly cancelled: boolean;
  /** The read is over (done, failed, or given up); its figures stay until its outcome is written. */
  end(): void;
}

/** One run, as this process knows it, and its flusher's beat. */
interface RunBeat {
  run: RunRef;
  state: RunProgressState;
  /** Mailboxes of the run this process is reading now. */
  readers: number;
  /** Changes counted, and the count the last written document had. */
  changes: number;
  written: number;
  claim: ClaimKind | null;
  timer: NodeJS.Timeout | null;
  beating: boolean;
  /** When the last beat started: beats keep their pace however long the database takes to answer. */
  lastBeatAt: number;
}

export interface RunProgressFlusherDeps {
  store: Pick<CoordinationStore, 'putProgress' | 'getClaim'>;
  /** This process, as work items name it (host:pid). */
  worker: string;
  /** Tells this process apart from an earlier one with the same host and pid (a restarted container). */
  instance: string;
  everyMs: number;
  logger: Logger;
}

/**
 * A worker process's progress on the runs it reads, and one flusher per run: about once a
 * second, while the process reads mailboxes of the run or has figures not yet written, it reads
 * the run's claim once (every reader of the run learns of a cancel from it) and writes the
 * process's one progress document by key. Mailboxes report into memory only.
 */
export class RunProgressFlusher {
  private readonly runs = new Map<string, RunBeat>();

  constructor(private readonly deps: RunProgressFlusherDeps) {}

  startReading(run: RunRef, index: number): ProgressReader {
    const beat = this.of(run);
    beat.readers++;
    // A new attempt starts its figures again.
    reportReading(beat.state, index, 0, 0);
    this.changed(beat);
    let ended = false;
    return {
      report: (messagesRead, eventsRead) => {
        if (ended) return;
        reportReading(beat.state, index, messagesRead, eventsRead);
        this.changed(beat);
      },
      get cancelled() {
        return beat.claim !== null;
      },
      end: () => {
        if (ended) return;
        ended = true;
        beat.readers--;
      },
    };
  }

  /** A work item this process wrote finished (done or failed). */
  finished(item: FinishedReport & { tenantId: string; enrichmentId: string; runId: string }): void {
    const beat = this.of({ _id: item.runId, tenantId: item.tenantId, enrichmentId: item.enrichmentId });
    reportFinished(beat.state, item, new Date());
    this.changed(beat);
  }

  /**
   * Whether this process has learnt that the run was claimed (cancelled, failed or finalizing):
   * its beat reads the claim about once a second while the process reads the run's mailboxes.
   */
  claimKnown(runId: string): boolean {
    return (this.runs.get(runId)?.claim ?? null) !== null;
  }

  /** The key of this process's progress document for a run. */
  documentId(runId: string): string {
    return `${runId}:${this.deps.worker}:${this.deps.instance}`;
  }

  /** Stops every beat (the process is stopping); what was not written is lost, as a dying process's. */
  stop(): void {
    for (const beat of this.runs.values()) {
      if (beat.timer) clearTimeout(beat.timer);
      beat.timer = null;
    }
    this.runs.clear();
  }

  private of(run: RunRef): RunBeat {
    let beat = this.runs.get(run._id);
    if (!beat) {
      beat = { run: { _id: run._id, tenantId: run.tenantId, enrichmentId: run.enrichmentId }, state: emptyProgress(), readers: 0, changes: 0, written: 0, claim: null, timer: null, beating: false, lastBeatAt: 0 };
      this.runs.set(run._id, beat);
      // A process sees few runs at a time; forget the oldest idle ones (their documents stay).
      for (const [id, b] of this.runs) {
        if (this.runs.size <= 8) break;
        if (b !== beat && b.readers === 0 && !b.timer && !b.beating) this.runs.delete(id);
      }
    }
    return beat;
  }

  private changed(beat: RunBeat): void {
    beat.changes++;
    this.schedule(beat);
  }

  private schedule(beat: RunBeat): void {
    if (beat.timer || beat.beating) return;
    if (beat.readers === 0 && beat.changes === beat.written) return;
    const wait = beat.lastBeatAt === 0 ? this.deps.everyMs : Math.max(0, beat.lastBeatAt + this.deps.everyMs - Date.now());
    beat.timer = setTimeout(() => void this.beat(beat), wait);
    // A pending beat never keeps a stopping process alive.
    beat.timer.unref();
  }

  private async beat(beat: RunBeat): Promise<void> {
    beat.timer = null;
    beat.beating = true;
    beat.lastBeatAt = Date.now();
    const { run } = beat;
    try {
      beat.claim ??= (await this.deps.store.getClaim(run.tenantId, run._id))?.kind ?? null;
      const changes = beat.changes;
      // A cancelled or failed run is discarded (its progress documents with it): nothing to write.
      if (beat.claim === 'cancel' || beat.claim === 'fail') beat.written = changes;
      else if (changes !== beat.written) {
        await this.deps.store.putProgress(progressDocument({ id: this.documentId(run._id), tenantId: run.tenantId, enrichmentId: run.enrichmentId, runId: run._id, worker: this.deps.worker }, beat.state, new Date()));
        beat.written = changes;
      }
    } catch (e) {
      // The next beat tries again (the figures are still in memory).
      this.deps.logger.warn({ runId: run._id, err: e instanceof Error ? e.message.slice(0, 200) : String(e) }, 'run progress not written');
    } finally {
      beat.beating = false;
      if (this.runs.get(run._id) === beat) this.schedule(beat);
    }
  }
}
