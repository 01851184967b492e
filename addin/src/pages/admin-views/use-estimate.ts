import { useCallback, useEffect, useState } from 'react';
import type { AdminViewsApi } from '../../platform/api/admin-views-api';
import type { Estimate } from '../../platform/api/contracts';
import type { Run } from '../../platform/api/contracts';
import { toProblem, useApiResource, type Resource } from '../../platform/api/use-api-resource';
import type { ApiProblem } from '../../platform/api/api-problem';

/** How often an estimate being computed is re-read (the job writes progress about every second). */
export const ESTIMATE_POLL_MS = 1000;

export type EstimateView = Resource<Estimate> & {
  retry(): void;
  /** Starts the estimate again in the background; the page keeps working meanwhile. */
  request(): Promise<void>;
  requesting: boolean;
  /** The last request's problem (consent missing…), shown beside the button. */
  requestProblem: ApiProblem | null;
};

export const isEstimating = (e: Estimate) => e.state === 'queued' || e.state === 'running';

/** The enrichment's cached estimate, re-read while it is being computed. */
export function useEstimate(api: AdminViewsApi, enrichmentId: string): EstimateView {
  const loaded = useApiResource((signal) => api.getEstimate(enrichmentId, signal), [api, enrichmentId]);
  const [live, setLive] = useState<Estimate | null>(null);
  const [requesting, setRequesting] = useState(false);
  const [requestProblem, setRequestProblem] = useState<ApiProblem | null>(null);
  const data = live ?? (loaded.status === 'ready' ? loaded.data : null);
  const active = data !== null && isEstimating(data);

  useEffect(() => {
    if (!active) return undefined;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const next = await api.getEstimate(enrichmentId, controller.signal);
        if (controller.signal.aborted) return;
        setLive(next);
        if (!isEstimating(next)) return;
      } catch {
        if (controller.signal.aborted) return;
      }
      timer = setTimeout(tick, ESTIMATE_POLL_MS);
    };
    timer = setTimeout(tick, ESTIMATE_POLL_MS);
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [api, enrichmentId, active]);

  const request = useCallback(async () => {
    setRequesting(true);
    setRequestProblem(null);
    try {
      setLive(await api.requestEstimate(enrichmentId));
    } catch (error) {
      setRequestProblem(toProblem(error));
    } finally {
      setRequesting(false);
    }
  }, [api, enrichmentId]);

  if (loaded.status !== 'ready') return { ...loaded, request, requesting, requestProblem };
  return { status: 'ready', data: data!, retry: loaded.retry, request, requesting, requestProblem };
}

/** The newest completed full run that started after the estimate was counted: what the estimate is compared with. */
export function comparableRun(runs: readonly Run[], estimate: Estimate): Run | null {
  if (!estimate.asOf) return null;
  return runs.find((r) => r.state === 'completed' && r.mode === 'full' && Date.parse(r.asOf) >= Date.parse(estimate.asOf!)) ?? null;
}
