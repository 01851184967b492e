import type { Db } from 'mongodb';
import { EngineResultsStore } from '../runs/output/run-output.store';
import { EnrichmentsStore } from '../enrichments/enrichments.store';
import { AppError } from '../platform/errors/app-error';
import { UnmatchedDomainsStore } from '../runs/output/unmatched-domains.store';

export interface UnmatchedDomainsViewDto {
  runId: string | null;
  asOf: string | null;
  domains: Array<{ domain: string; emailsToDomain: number; emailsFromDomain: number; meetings: number; meetingsByDomain: number; peopleTheirs: number; peopleOurs: number; lastContact: string }>;
  belowThreshold: number;
  externalEmails: number;
  unmatchedEmails: number;
  unmatchedShare: number | null;
}

/** The dataset importer's account columns: one account per domain, named after it (the admin renames it later). */
export const UNMATCHED_DOMAINS_CSV_COLUMNS = ['AccountId', 'Name', 'Domains'] as const;

export function* unmatchedDomainsCsvRows(domains: UnmatchedDomainsViewDto['domains']): Iterable<readonly string[]> {
  for (const d of domains) yield [d.domain, d.domain, d.domain];
}

export class UnmatchedDomainsService {
  private readonly store: UnmatchedDomainsStore;
  private readonly enrichments: EnrichmentsStore;
  private readonly results: EngineResultsStore;

  constructor(db: Db) {
    this.store = new UnmatchedDomainsStore(db);
    this.enrichments = new EnrichmentsStore(db);
    this.results = new EngineResultsStore(db);
  }

  /** The published run's figures, or a kept run's; empty before the first published run. */
  async view(tenantId: string, enrichmentId: string, runId?: string): Promise<UnmatchedDomainsViewDto> {
    if (!(await this.enrichments.get(tenantId, enrichmentId))) throw new AppError('not-found', 'No enrichment with this id exists in your organisation.');
    const pointer = await this.results.getPointer(tenantId, enrichmentId);
    const wanted = runId ?? pointer?.runId;
    if (runId && !(pointer?.kept ?? []).some((k) => k.runId === runId)) throw new AppError('not-found', `The run ${runId} is not one of the enrichment's kept results.`);
    const doc = wanted ? await this.store.get(tenantId, wanted) : null;
    if (!doc || doc.enrichmentId !== enrichmentId) return { runId: wanted ?? null, asOf: null, domains: [], belowThreshold: 0, externalEmails: 0, unmatchedEmails: 0, unmatchedShare: null };
    return {
      runId: doc.runId,
      asOf: doc.asOf.toISOString(),
      domains: doc.domains.map((d) => ({ ...d, lastContact: new Date(d.lastContact).toISOString() })),
      belowThreshold: doc.belowThreshold,
      externalEmails: doc.externalEmails,
      unmatchedEmails: doc.unmatchedEmails,
      unmatchedShare: doc.externalEmails > 0 ? doc.unmatchedEmails / doc.externalEmails : null,
    };
  }
}
