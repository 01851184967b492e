import type { ApiClient } from './api-client';
import type { Run, RunSchedule } from './contracts';

/** Typed calls for an enrichment's runs and schedule, on top of the shared client. */
export interface RunsApi {
  listRuns(enrichmentId: string, signal?: AbortSignal): Promise<{ items: Run[] }>;
  getRun(enrichmentId: string, runId: string, signal?: AbortSignal): Promise<Run>;
  startRun(enrichmentId: string, body?: { mode?: 'auto' | 'full' }): Promise<Run>;
  cancelRun(enrichmentId: string, runId: string): Promise<Run>;
  getSchedule(enrichmentId: string, signal?: AbortSignal): Promise<RunSchedule>;
  setSchedule(enrichmentId: string, body: { enabled: boolean; intervalHours?: number }): Promise<RunSchedule>;
}

const seg = encodeURIComponent;
const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export function createRunsApi(api: ApiClient): RunsApi {
  const r = api.request;
  const base = (id: string) => `/api/enrichments/${seg(id)}`;
  return {
    listRuns: (id, signal) => r(`${base(id)}/runs`, withSignal(signal)),
    getRun: (id, runId, signal) => r(`${base(id)}/runs/${seg(runId)}`, withSignal(signal)),
    startRun: (id, body) => r(`${base(id)}/runs`, { method: 'POST', body: body ?? {} }),
    cancelRun: (id, runId) => r(`${base(id)}/runs/${seg(runId)}/cancel`, { method: 'POST', body: {} }),
    getSchedule: (id, signal) => r(`${base(id)}/schedule`, withSignal(signal)),
    setSchedule: (id, body) => r(`${base(id)}/schedule`, { method: 'PUT', body }),
  };
}
