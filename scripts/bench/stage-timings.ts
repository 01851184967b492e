import type { RunMeasure, RunObserver } from '../../api/src/runs/jobs/run-observer';

/**
 * Cumulative figures per stage in one worker process (see RunMeasure for what each means). Never
 * reset: the bench takes differences between two readings.
 */
export type StageTimings = Record<RunMeasure, number>;

export const emptyStageTimings = (): StageTimings => ({ graphMs: 0, parseMs: 0, aggregateMs: 0, writeMs: 0, requests: 0, mailboxesRead: 0, messagesRead: 0, eventsRead: 0, finalizeMs: 0, publishMs: 0, sweepMs: 0, runsSwept: 0 });

/** The observer a bench worker process injects into its run jobs: it sums into `timings`. */
export function stageTimingsObserver(timings: StageTimings): RunObserver {
  return { add: (measure, amount) => void (timings[measure] += amount) };
}
