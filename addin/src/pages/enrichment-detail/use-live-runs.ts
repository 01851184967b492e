import { useCallback, useEffect, useState } from 'react';
import type { ApiProblem } from '../../platform/api/api-problem';
import type { RunsApi } from '../../platform/api/runs-api';
import type { Run } from '../../platform/api/contracts';
import { isRunActive } from '../../platform/api/run-states';
import { toProblem, useApiResource, type Resource } from '../../platform/api/use-api-resource';

/** How often an active run is re-read; the engine records progress about every second. */
export const RUN_POLL_MS = 2000;

export type LiveRuns = Resource<Run[]> & {
  retry(): void;
  /** The newest run (the one the progress pane shows), or null before the first run. */
  current: Run | null;
  /** Set while the last poll failed; polling goes on and clears it on the next success. */
  pollProblem: ApiProblem | null;
  /** Put a run the page just received (started, cancelled) in place, newest first. */
  upsert(run: Run): void;
};

/**
 * The run history, with its newest run kept live: while that run is active it is re-read every
 * two seconds until it ends. Polling rather than server-sent events because every proxy in
 * front of a Teams tab passes plain GETs, and a missed tick costs nothing.
 */
export function useLiveRuns(runsApi: RunsApi, enrichmentId: string): LiveRuns {
  const list = useApiResource((signal) => runsApi.listRuns(enrichmentId, signal), [runsApi, enrichmentId]);
  const loaded = list.status === 'ready' ? list.data.items : null;
  const [items, setItems] = useState<Run[] | null>(null);
  const [pollProblem, setPollProblem] = useState<ApiProblem | null>(null);

  useEffect(() => setItems(loaded), [loaded]);

  const upsert = useCallback((run: Run) => {
    setItems((prev) => {
      const rest = (prev ?? []).filter((r) => r.id !== run.id);
      const at = (prev ?? []).findIndex((r) => r.id === run.id);
      if (at < 0) return [run, ...rest];
      const next = [...(prev ?? [])];
      next[at] = run;
      return next;
    });
  }, []);

  const current = items?.[0] ?? null;
  const activeId = current && isRunActive(current) ? current.id : null;

  useEffect(() => {
    if (!activeId) return undefined;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const run = await runsApi.getRun(enrichmentId, activeId, controller.signal);
        if (controller.signal.aborted) return;
        setPollProblem(null);
        upsert(run);
        // An ended run changes `activeId`, which stops this loop through the cleanup.
        if (!isRunActive(run)) return;
      } catch (error) {
        if (controller.signal.aborted) return;
        setPollProblem(toProblem(error));
      }
      timer = setTimeout(tick, RUN_POLL_MS);
    };
    timer = setTimeout(tick, RUN_POLL_MS);
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [runsApi, enrichmentId, activeId, upsert]);

  if (list.status !== 'ready') return { ...list, current: null, pollProblem: null, upsert };
  const data = items ?? list.data.items;
  return { status: 'ready', data, retry: list.retry, current: data[0] ?? null, pollProblem, upsert };
}
