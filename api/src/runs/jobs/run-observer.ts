/**
 * Where a run's time goes, told to whoever is listening (the bench counts it; production passes
 * nothing). Durations in milliseconds, summed over the mailboxes a process reads concurrently,
 * so they add up to more than the wall clock:
 * - `graphMs`: the wait for a page (HTTP, TLS and the Graph client's JSON decoding, plus any
 *   event-loop queueing behind other mailboxes' CPU work);
 * - `parseMs`: the projection of Graph items to metadata;
 * - `aggregateMs`: the per-mailbox buckets and, in finalize, the merge, rows and scores;
 * - `writeMs`: every MongoDB write of partials, states and work items (compression included);
 * - `finalizeMs`: finalize's merge and snapshot; `publishMs`: the part of finalize that writes
 *   the output and switches readers to it (snapshot stored, user entity, pointer flip, pruning);
 * - `sweepMs`: after the run completed, deleting what superseded runs left (states, partials).
 * Counts: `runsSwept` (sweeps ended, done or failed), `requests` (Graph requests), `mailboxesRead`, `messagesRead`, `eventsRead`.
 */
export type RunMeasure = 'graphMs' | 'parseMs' | 'aggregateMs' | 'writeMs' | 'finalizeMs' | 'publishMs' | 'sweepMs' | 'runsSwept' | 'requests' | 'mailboxesRead' | 'messagesRead' | 'eventsRead';

export interface RunObserver {
  add(measure: RunMeasure, amount: number): void;
}

export const UNOBSERVED: RunObserver = { add: () => undefined };
