import { emptyCounters, type RunDocument } from '../../api/src/runs/lifecycle/runs.store';

/** A run as `RunsService.start` records it (queued, nothing read yet); `fill` sets ids and the rest. */
export function queuedRunDocument(fill: Partial<RunDocument> & Pick<RunDocument, '_id'>): RunDocument {
  const at = new Date();
  return {
    tenantId: 'tenant-1',
    enrichmentId: 'enrichment-1',
    trigger: 'manual',
    requestedBy: 'admin',
    asOf: new Date('2026-03-17T00:00:00Z'),
    mode: 'full',
    baseRunId: null,
    fingerprint: null,
    state: 'queued',
    phase: 'queued',
    counters: emptyCounters(),
    errors: [],
    summary: null,
    failureReason: null,
    createdAt: at,
    startedAt: null,
    endedAt: null,
    updatedAt: at,
    ...fill,
  };
}
