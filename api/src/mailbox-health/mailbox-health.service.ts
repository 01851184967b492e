import type { Db } from 'mongodb';
import { EngineResultsStore } from '../runs/output/run-output.store';
import { EnrichmentsStore } from '../enrichments/enrichments.store';
import { AppError } from '../platform/errors/app-error';
import type { RunsService } from '../runs/runs.service';
import type { RunDocument } from '../runs/lifecycle/runs.store';
import { summariseHealth, type MailboxHealthRecord, type MailboxHealthSummary } from '../runs/domain/mailbox-health';
import { MailboxHealthStore } from '../runs/output/mailbox-health.store';

export interface MailboxHealthView {
  runId: string | null;
  runAsOf: Date | null;
  evaluatedAt: Date | null;
  summary: MailboxHealthSummary;
  /** Failing mailboxes first, then by address. */
  mailboxes: MailboxHealthRecord[];
  /** Whether "retry failed mailboxes" can start now: failures in the published run, and it is the one recorded. */
  canRetry: boolean;
}

export class MailboxHealthService {
  private readonly store: MailboxHealthStore;
  private readonly enrichments: EnrichmentsStore;
  private readonly results: EngineResultsStore;

  constructor(
    db: Db,
    private readonly runs: RunsService,
  ) {
    this.store = new MailboxHealthStore(db);
    this.enrichments = new EnrichmentsStore(db);
    this.results = new EngineResultsStore(db);
  }

  private async requireEnrichment(tenantId: string, enrichmentId: string): Promise<void> {
    if (!(await this.enrichments.get(tenantId, enrichmentId))) throw new AppError('not-found', 'No enrichment with this id exists in your organisation.');
  }

  async view(tenantId: string, enrichmentId: string): Promise<MailboxHealthView> {
    await this.requireEnrichment(tenantId, enrichmentId);
    const doc = await this.store.get(tenantId, enrichmentId);
    const mailboxes = [...(doc?.mailboxes ?? [])].sort((a, b) => Number(b.failureKind !== null) - Number(a.failureKind !== null) || (a.mail < b.mail ? -1 : a.mail > b.mail ? 1 : 0));
    const summary = summariseHealth(mailboxes);
    const pointer = summary.failed > 0 ? await this.results.getPointer(tenantId, enrichmentId) : null;
    return { runId: doc?.runId ?? null, runAsOf: doc?.runAsOf ?? null, evaluatedAt: doc?.evaluatedAt ?? null, summary, mailboxes, canRetry: pointer !== null && pointer.runId === doc?.runId };
  }

  /**
   * Reads the failed mailboxes of the published run again, into that run's result: a run at the
   * same as-of whose other mailboxes are carried from the published run without reading Graph.
   */
  async retryFailed(tenantId: string, enrichmentId: string, requestedBy: string): Promise<RunDocument> {
    await this.requireEnrichment(tenantId, enrichmentId);
    const doc = await this.store.get(tenantId, enrichmentId);
    const pointer = await this.results.getPointer(tenantId, enrichmentId);
    if (!doc || !pointer) throw new AppError('conflict', 'There is no published result yet: run the enrichment first.');
    if (pointer.runId !== doc.runId) throw new AppError('conflict', 'The last run did not publish a result; start a new run instead of a retry.');
    if (!doc.mailboxes.some((m) => m.failureKind !== null)) throw new AppError('conflict', 'Every selected mailbox was read in the last run; there is nothing to retry.');
    return this.runs.start({ tenantId, enrichmentId, trigger: 'manual', requestedBy, mode: 'auto', retryOf: { runId: pointer.runId, asOf: pointer.asOf } });
  }
}
