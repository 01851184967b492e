import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { DAY_MS, WINDOW_MS } from '../runs/domain/engagement-buckets';
import { floorToHour } from '../runs/domain/run-fingerprint';
import { CALENDAR_HORIZON_MS } from '../runs/jobs/read-mailbox';
import { EnrichmentsStore, type EnrichmentDocument } from '../enrichments/enrichments.store';
import { AppError } from '../platform/errors/app-error';
import type { GraphClientFactory } from '../platform/graph/graph-client.factory';
import type { JobQueue } from '../runs/jobs/job-queue';
import type { EstimateAtStart } from '../runs/lifecycle/runs.store';
import { canonicalMailboxes, mailboxSetKey } from './estimate-key';
import { countMailbox } from './estimate-graph';
import { estimateRun, type EstimateModel, type MailboxCounts } from './estimate-model';
import { EstimateStore, type EstimateDocument } from './estimate.store';

export interface EstimateJobData {
  tenantId: string;
  /** One of the two: the enrichment's estimate, or a draft selection's (by its key). */
  enrichmentId?: string;
  draftKey?: string;
  requestId: string;
}

/**
 * The time model's defaults: a request's round trip and the cost of one item on a page (Graph
 * typically answers a metadata page in a few hundred milliseconds; the engine's own work is
 * about a millisecond an item). Assumptions, shown beside the estimate, compared with the run.
 */
export const DEFAULT_TIME_MODEL = { requestSeconds: 0.3, itemSeconds: 0.001 };

/** The model the API and the workers time estimates with: the defaults at the configured mailbox concurrency. */
export function estimateModelFor(mailboxConcurrency: number): EstimateModel {
  return { ...DEFAULT_TIME_MODEL, concurrency: mailboxConcurrency };
}

const userIdsOf = (e: EnrichmentDocument) => e.mailboxes.resolved.map((m) => m.userId);

/**
 * The dry-run estimate's use case: an admin asks (or refreshes), a background job counts every
 * selected mailbox through Graph with progress, and the result stays cached until asked again.
 * Saving never waits for it. The same estimate exists for a draft selection (the wizard's review
 * step, before the enrichment exists), cached under the key of its mailboxes; an enrichment
 * with no estimate of its own shows the draft's of its mailboxes, and a run is queued with the
 * finished estimate of exactly its mailboxes (settledFor).
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
    if (estimate) return { estimate, stale: estimate.enrichmentVersion !== e.version };
    // Until it has one of its own, the enrichment shows what the wizard counted for the same mailboxes.
    return { estimate: await this.store.getDraft(tenantId, mailboxSetKey(userIdsOf(e), this.deps.model)), stale: false };
  }

  /** Starts (or restarts) the estimate; a job still counting for an earlier request stops at its next step. */
  async request(tenantId: string, enrichmentId: string, requestedBy: string): Promise<EstimateDocument> {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    if (e.consent.state !== 'consented') throw new AppError('consent-required', 'The estimate reads mailbox counts from Microsoft Graph: the organisation\'s admin consent is needed first.');
    const userIds = userIdsOf(e);
    const doc = this.newDocument(tenantId, EstimateStore.key(tenantId, enrichmentId), userIds, requestedBy, { enrichmentId, enrichmentVersion: e.version });
    await this.store.put(doc);
    await this.deps.jobs.enqueueEstimate({ tenantId, enrichmentId, requestId: doc.requestId });
    return doc;
  }

  /** A draft selection's estimate, by the key its request answered with. */
  async getDraft(tenantId: string, key: string): Promise<EstimateDocument> {
    const doc = await this.store.getDraft(tenantId, key);
    if (!doc) throw new AppError('not-found', 'No estimate of this selection exists; ask for one with POST /api/estimates/drafts.');
    return doc;
  }

  /**
   * The estimate of a selection that is not an enrichment yet: the cached one when there is one
   * (unless a refresh is asked), else counted in the background like an enrichment's.
   */
  async requestDraft(tenantId: string, userIds: readonly string[], requestedBy: string, refresh: boolean): Promise<EstimateDocument> {
    const mailboxes = canonicalMailboxes(userIds);
    const key = mailboxSetKey(mailboxes, this.deps.model);
    const cached = await this.store.getDraft(tenantId, key);
    if (cached && !refresh) return cached;
    await this.requireTenantConsent(tenantId);
    const doc = this.newDocument(tenantId, EstimateStore.draftId(tenantId, key), mailboxes, requestedBy, { enrichmentId: null, enrichmentVersion: null, draft: { key, userIds: mailboxes } });
    await this.store.put(doc);
    await this.deps.jobs.enqueueEstimate({ tenantId, draftKey: key, requestId: doc.requestId });
    return doc;
  }

  /**
   * The finished estimate of exactly the enrichment's current mailboxes, as a run queued now
   * freezes it: the enrichment's own when it counted these mailboxes, else the wizard's draft of
   * the same selection; null when neither has finished.
   */
  async settledFor(e: EnrichmentDocument): Promise<EstimateAtStart | null> {
    const key = mailboxSetKey(userIdsOf(e), this.deps.model);
    const own = await this.store.get(e.tenantId, e._id);
    // An estimate made before keys were kept counted the mailboxes of its enrichment version.
    const ownFits = own && (own.mailboxKey ? own.mailboxKey === key : own.enrichmentVersion === e.version);
    if (ownFits && own.state === 'done' && own.result) return frozen(own, 'enrichment');
    const draft = await this.store.getDraft(e.tenantId, key);
    return draft?.state === 'done' && draft.result ? frozen(draft, 'draft') : null;
  }

  /** Counting from Graph needs the app's consent, which is the organisation's: any consented enrichment shows it. */
  private async requireTenantConsent(tenantId: string): Promise<void> {
    const consented = (await this.enrichments.list(tenantId)).some((x) => x.consentState === 'consented');
    if (!consented) {
      throw new AppError('consent-required', 'The estimate counts the mailboxes through Microsoft Graph with the app\'s permissions, which the organisation has not granted yet: create the enrichment, have its consent request approved, then estimate it on its page.');
    }
  }

  private newDocument(tenantId: string, id: string, userIds: readonly string[], requestedBy: string, subject: Pick<EstimateDocument, 'enrichmentId' | 'enrichmentVersion' | 'draft'>): EstimateDocument {
    const now = new Date();
    return {
      _id: id,
      tenantId,
      ...subject,
      mailboxKey: mailboxSetKey(userIds, this.deps.model),
      requestId: randomUUID(),
      state: 'queued',
      asOf: new Date(floorToHour((this.deps.now?.() ?? now).getTime())),
      mailboxesTotal: userIds.length,
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
  }
}

function frozen(doc: EstimateDocument, source: EstimateAtStart['source']): EstimateAtStart {
  const r = doc.result!;
  return {
    source,
    asOf: doc.asOf,
    countedAt: doc.endedAt ?? doc.requestedAt,
    mailboxes: r.mailboxes,
    mailboxesFailed: doc.mailboxesFailed,
    messages: r.messages,
    events: r.events,
    firstRunSeconds: r.firstRunSeconds,
    refreshSeconds: r.refreshSeconds,
    concurrency: doc.model.concurrency,
  };
}

const docIdOf = (data: EstimateJobData) => (data.draftKey ? EstimateStore.draftId(data.tenantId, data.draftKey) : EstimateStore.key(data.tenantId, data.enrichmentId ?? ''));

/** The estimate job (workers): counts each selected mailbox, a few at once, writing progress about once a second. */
export async function processEstimate(deps: { db: Db; graph: GraphClientFactory; logger: Logger; touch: () => Promise<void>; progressEveryMs?: number }, data: EstimateJobData): Promise<void> {
  try {
    await countAll(deps, data);
  } catch (err) {
    // The estimate never hangs in "running": a job that breaks says so (best effort: the database may be what broke).
    const store = new EstimateStore(deps.db);
    const latest = await store.getById(data.tenantId, docIdOf(data)).catch(() => null);
    if (latest?.requestId === data.requestId) await store.put({ ...latest, state: 'failed', failureReason: 'The estimate could not be completed; refresh it to try again.', endedAt: new Date() }).catch(() => undefined);
    throw err;
  }
}

async function countAll(deps: Parameters<typeof processEstimate>[0], data: EstimateJobData): Promise<void> {
  const store = new EstimateStore(deps.db);
  const id = docIdOf(data);
  const current = await store.getById(data.tenantId, id);
  if (!current || current.requestId !== data.requestId || current.state === 'done' || current.state === 'failed') return;
  // A draft carries its mailboxes; an enrichment's are read as they are now.
  const e = current.draft ? null : await new EnrichmentsStore(deps.db).get(data.tenantId, current.enrichmentId ?? '');
  const doc: EstimateDocument = { ...current, state: 'running', startedAt: new Date(), mailboxesDone: 0, mailboxesFailed: 0 };
  const mailboxes = current.draft?.userIds ?? e?.mailboxes.resolved.map((m) => m.userId);
  if (!mailboxes) {
    await store.put({ ...doc, state: 'failed', failureReason: 'The enrichment was deleted.', endedAt: new Date() });
    return;
  }
  await store.put(doc);
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
    const latest = await store.getById(data.tenantId, id);
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
          counts.push(await countMailbox(client, m, window));
        } catch (err) {
          // A mailbox Graph will not count (no licence, access refused) is left out; the run would fail it too.
          doc.mailboxesFailed++;
          deps.logger.warn({ enrichmentId: data.enrichmentId, draft: !!data.draftKey, err: err instanceof Error ? err.message.slice(0, 200) : String(err) }, 'estimate: a mailbox could not be counted');
        }
        await progress();
      }
    }),
  );
  if (superseded) return;
  const latest = await store.getById(data.tenantId, id);
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
