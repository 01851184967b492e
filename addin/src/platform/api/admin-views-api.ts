import type { ApiClient, DownloadedFile } from './api-client';
import type { DraftEstimate, Enrichment, Estimate, MailboxHealth, Run, UnmatchedDomains } from './contracts';

/** Typed calls of the enrichment's admin views (api/src/estimate, mailbox-health, unmatched-domains); shapes from contracts. */

export interface AdminViewsApi {
  getEstimate(enrichmentId: string, signal?: AbortSignal): Promise<Estimate>;
  requestEstimate(enrichmentId: string): Promise<Estimate>;
  /** The estimate of a selection before the enrichment exists: cached unless `refresh`, else counted in the background. */
  requestDraftEstimate(userIds: string[], refresh: boolean, signal?: AbortSignal): Promise<DraftEstimate>;
  getDraftEstimate(key: string, signal?: AbortSignal): Promise<DraftEstimate>;
  getMailboxHealth(enrichmentId: string, signal?: AbortSignal): Promise<MailboxHealth>;
  retryFailedMailboxes(enrichmentId: string): Promise<Run>;
  getUnmatchedDomains(enrichmentId: string, signal?: AbortSignal): Promise<UnmatchedDomains>;
  downloadUnmatchedDomainsCsv(enrichmentId: string, runId: string): Promise<DownloadedFile>;
  /** Adds a domain to the exclusions over the version read (a concurrent change is a 409). */
  excludeDomain(enrichmentId: string, domain: string, version: number): Promise<Enrichment>;
}

const seg = encodeURIComponent;
const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export function createAdminViewsApi(api: ApiClient): AdminViewsApi {
  const r = api.request;
  const base = (id: string) => `/api/enrichments/${seg(id)}`;
  return {
    getEstimate: (id, signal) => r(`${base(id)}/estimate`, withSignal(signal)),
    requestEstimate: (id) => r(`${base(id)}/estimate`, { method: 'POST', body: {} }),
    requestDraftEstimate: (userIds, refresh, signal) => r('/api/estimates/drafts', { method: 'POST', body: { userIds, refresh }, ...withSignal(signal) }),
    getDraftEstimate: (key, signal) => r(`/api/estimates/drafts/${seg(key)}`, withSignal(signal)),
    getMailboxHealth: (id, signal) => r(`${base(id)}/mailbox-health`, withSignal(signal)),
    retryFailedMailboxes: (id) => r(`${base(id)}/mailbox-health/retry`, { method: 'POST', body: {} }),
    getUnmatchedDomains: (id, signal) => r(`${base(id)}/unmatched-domains`, withSignal(signal)),
    downloadUnmatchedDomainsCsv: (id, runId) => r(`${base(id)}/unmatched-domains.csv?runId=${seg(runId)}`, { responseType: 'file', headers: { accept: 'text/csv' } }),
    excludeDomain: (id, domain, version) => r(`${base(id)}/exclusions`, { method: 'POST', body: { domains: [domain], version } }),
  };
}
