import type { Run, RunLifecycle } from './contracts';

/** States after which a run never changes again. */
export const endedRunStates: readonly RunLifecycle[] = ['completed', 'failed', 'cancelled'];

export function isRunActive(run: Pick<Run, 'state'>): boolean {
  return !endedRunStates.includes(run.state);
}

/** Cancel is refused once merging started (the result is being published). */
export function isRunCancellable(run: Pick<Run, 'state'>): boolean {
  return run.state === 'queued' || run.state === 'running';
}
