import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { DAY_MS, WINDOW_MS } from '../runs/domain/engagement-buckets';
import { floorToHour } from '../runs/domain/run-fingerprint';
import { CALENDAR_HORIZON_MS } from '../runs/jobs/read-mailbox';
import { EnrichmentsStore } from '../enrichments/enrichments.store';
import { AppError } from '../platform/errors/app-error';
import type { GraphClientFactory } from '../platform/graph/graph-client.factory';
import type { JobQueue } from '../runs/jobs/job-queue';
import { countMailbox } from './estimate-graph';
import { estimateRun, type EstimateModel, type MailboxCounts } from './estimate-model';
import { EstimateStore, type EstimateDocument } from './estimate.store';

export interface EstimateJobData {
  tenantId: string;
  enrichmentId: string;
  requestId: string;
}

/**
 * The time model's defaults: a request's round trip and the cost of one item on a page (Graph
 * typically answers a metadata page in a few hundred milliseconds; the engine's own work is
 * about a millisecond an item). Assumptions, shown beside the estimate, compared with the run.
 */
export const DEFAULT_TIME_MODEL = { requestSeconds: 0.3, itemSeconds: 0.001 };

/**
 * The dry-run estimate's use case: an admin asks (or refreshes), a background job counts every
 * selected mailbox through Graph with progress, and the result stays cached with the enrichment
 * until asked again. Saving the enrichment never waits for it.
 */
export class EstimateService {
  private readonly store: EstimateStore;
  private readonly enrichments: EnrichmentsStore;

  constructor(private readonly deps: { db: Db; jobs: JobQueue; now?: () => Date; model: EstimateModel }) {
    this.store = new EstimateStore(deps.db);
    this.enrichments = new EnrichmentsStore(deps.db);
  }

  private async requireEnrichment(tenantId: string, enrichmentId: string) {
    const e = await this.enrichments.get(tenantId, enrichmentId);
    if (!e) throw new AppError('not-found', 'No enrichment with this id exists in your organisation.');
    return e;
  }

  async get(tenantId: string, enrichmentId: string): Promise<{ estimate: EstimateDocument | null; stale: boolean }> {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    const estimate = await this.store.get(tenantId, enrichmentId);
    return { estimate, stale: estimate !== null && estimate.enrichmentVersion !== e.version };
  }

  /** Starts (or restarts) the estimate; a job still counting for an earlier request stops at its next step. */
  async request(tenantId: string, enrichmentId: string, requestedBy: string): Promise<EstimateDocument> {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    if (e.consent.state !== 'consented') throw new AppError('consent-required', 'The estimate reads mailbox counts from Microsoft Graph: the organisation\'s admin consent is needed first.');
    const now = new Date();
    const doc: EstimateDocument = {
      _id: EstimateStore.key(tenantId, enrichmentId),
      tenantId,
      enrichmentId,
      requestId: randomUUID(),
      state: 'queued',
      asOf: new Date(floorToHour((this.deps.now?.() ?? now).getTime())),
      enrichmentVersion: e.version,
      mailboxesTotal: e.mailboxes.resolved.length,
      mailboxesDone: 0,
      mailboxesFailed: 0,
      model: this.deps.model,
      result: null,
      failureReason: null,
      requestedAt: now,
      requestedBy,
      startedAt: null,
      endedAt: null,
    };
    await this.store.put(doc);
    await this.deps.jobs.enqueueEstimate({ tenantId, enrichmentId, requestId: doc.requestId });
    return doc;
  }
}

/** The estimate job (workers): counts each selected mailbox, a few at once, writing progress about once a second. */
export async function processEstimate(deps: { db: Db; graph: GraphClientFactory; logger: Logger; touch: () => Promise<void>; progressEveryMs?: number }, data: EstimateJobData): Promise<void> {
  try {
    await countAll(deps, data);
  } catch (err) {
    // The estimate never hangs in "running": a job that breaks says so (best effort: the database may be what broke).
    const store = new EstimateStore(deps.db);
    const latest = await store.get(data.tenantId, data.enrichmentId).catch(() => null);
    if (latest?.requestId === data.requestId) await store.put({ ...latest, state: 'failed', failureReason: 'The estimate could not be completed; refresh it to try again.', endedAt: new Date() }).catch(() => undefined);
    throw err;
  }
}

async function countAll(deps: Parameters<typeof processEstimate>[0], data: EstimateJobData): Promise<void> {
  const store = new EstimateStore(deps.db);
  const current = await store.get(data.tenantId, data.enrichmentId);
  if (!current || current.requestId !== data.requestId || current.state === 'done' || current.state === 'failed') return;
  const e = await new EnrichmentsStore(deps.db).get(data.tenantId, data.enrichmentId);
  const doc: EstimateDocument = { ...current, state: 'running', startedAt: new Date(), mailboxesDone: 0, mailboxesFailed: 0 };
  if (!e) {
    await store.put({ ...doc, state: 'failed', failureReason: 'The enrichment was deleted.', endedAt: new Date() });
    return;
  }
  await store.put(doc);
  const mailboxes = e.mailboxes.resolved;
  const asOf = doc.asOf.getTime();
  const window = { start: new Date(asOf - WINDOW_MS), end: new Date(asOf), weekStart: new Date(asOf - 7 * DAY_MS), horizonEnd: new Date(asOf + CALENDAR_HORIZON_MS) };
  const client = deps.graph.forApp(data.tenantId);
  const counts: MailboxCounts[] = [];
  let next = 0;
  let superseded = false;
  let lastWrite = Date.now();
  const progress = async () => {
    if (Date.now() - lastWrite < (deps.progressEveryMs ?? 1000)) return;
    lastWrite = Date.now();
    const latest = await store.get(data.tenantId, data.enrichmentId);
    if (!latest || latest.requestId !== data.requestId) {
      superseded = true;
      return;
    }
    await store.put({ ...doc, mailboxesDone: counts.length + doc.mailboxesFailed });
    await deps.touch();
  };
  await Promise.all(
    Array.from({ length: Math.min(8, mailboxes.length) }, async () => {
      while (next < mailboxes.length && !superseded) {
        const m = mailboxes[next++]!;
        try {
          counts.push(await countMailbox(client, m.userId, window));
        } catch (err) {
          // A mailbox Graph will not count (no licence, access refused) is left out; the run would fail it too.
          doc.mailboxesFailed++;
          deps.logger.warn({ enrichmentId: data.enrichmentId, err: err instanceof Error ? err.message.slice(0, 200) : String(err) }, 'estimate: a mailbox could not be counted');
        }
        await progress();
      }
    }),
  );
  if (superseded) return;
  const latest = await store.get(data.tenantId, data.enrichmentId);
  if (!latest || latest.requestId !== data.requestId) return;
  const failedAll = counts.length === 0 && mailboxes.length > 0;
  await store.put({
    ...doc,
    state: failedAll ? 'failed' : 'done',
    mailboxesDone: mailboxes.length,
    result: failedAll ? null : estimateRun(counts, doc.model),
    failureReason: failedAll ? 'Microsoft Graph counted none of the selected mailboxes; check the consent and the mailboxes\' licences.' : null,
    endedAt: new Date(),
  });
}
