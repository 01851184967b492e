/** Shapes of the runs API (`api/src/runs/runs.routes.ts`, docs/engine.md "REST"). */

export type RunTrigger = 'manual' | 'schedule';
export type RunMode = 'full' | 'refresh';
export type RunLifecycle = 'queued' | 'running' | 'merging' | 'completed' | 'failed' | 'cancelled';
export type RunPhase = 'queued' | 'preparing' | 'reading' | 'merging' | 'publishing' | 'done';

export interface RunCounters {
  mailboxesTotal: number;
  mailboxesDone: number;
  mailboxesFailed: number;
  mailboxesPending: number;
  messagesRead: number;
  eventsRead: number;
  mailboxesFullRead: number;
  mailboxesCalendarFullRead: number;
}

export interface RunSummary {
  accountsEnriched: number;
  emailsProcessed: number;
  meetingsProcessed: number;
  daysCovered: number;
  durationMs: number;
}

export interface Run {
  id: string;
  enrichmentId: string;
  trigger: RunTrigger;
  asOf: string;
  mode: RunMode;
  baseRunId: string | null;
  state: RunLifecycle;
  phase: RunPhase;
  counters: RunCounters;
  errors: Array<{ userId: string; reason: string; at: string }>;
  summary: RunSummary | null;
  failureReason: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

export interface RunSchedule {
  enabled: boolean;
  intervalHours: number;
  firstRunAt: string | null;
  /** The first scheduled run starts this long after consent. */
  firstRunDelayHours: number;
  nextRunAt: string | null;
  lastRunAt: string | null;
}

/** States after which a run never changes again. */
export const endedRunStates: readonly RunLifecycle[] = ['completed', 'failed', 'cancelled'];

export function isRunActive(run: Pick<Run, 'state'>): boolean {
  return !endedRunStates.includes(run.state);
}

/** Cancel is refused once merging started (the result is being published). */
export function isRunCancellable(run: Pick<Run, 'state'>): boolean {
  return run.state === 'queued' || run.state === 'running';
}
