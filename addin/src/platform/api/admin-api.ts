import type { ApiClient } from './api-client';
import type { AccountsMapping, AdminEnrichmentSummary, CommitMode, ConsentRequestResult, ConsentStatus, ContactsMapping, DatasetSummary, DirectoryEntry, Enrichment, EnrichmentInput, ImportSession, MappingPreview, NameAvailability, Prerequisites, Rejection, Resolution, Selection, UploadPreview } from './contracts';

/**
 * Typed calls for the admin screens (datasets, directory, enrichments, consent), on top of the
 * shared client so they get its token handling and problem documents.
 */
export interface AdminApi {
  listDatasets(signal?: AbortSignal): Promise<{ items: DatasetSummary[] }>;
  getDataset(id: string, signal?: AbortSignal): Promise<DatasetSummary>;
  deleteDataset(id: string): Promise<void>;
  mappingPreview(id: string, fields: { emailField?: string; accountIdField?: string }, signal?: AbortSignal): Promise<MappingPreview>;
  previewUpload(file: Blob, contentType: string, signal?: AbortSignal): Promise<UploadPreview>;
  startImport(body: { name: string; datasetId?: string }): Promise<ImportSession>;
  getImport(importId: string, signal?: AbortSignal): Promise<ImportSession>;
  uploadAccounts(importId: string, file: Blob, contentType: string, mapping: AccountsMapping): Promise<ImportSession>;
  uploadContacts(importId: string, file: Blob, contentType: string, mapping: ContactsMapping): Promise<ImportSession>;
  commitImport(importId: string, mode: CommitMode): Promise<DatasetSummary>;
  listRejections(importId: string, offset: number, limit: number, signal?: AbortSignal): Promise<{ items: Rejection[]; total: number }>;
  downloadRejections(importId: string): Promise<Blob>;
  discardImport(importId: string): Promise<void>;

  searchDirectory(q: string, signal?: AbortSignal): Promise<{ items: DirectoryEntry[]; groupsSearched: boolean }>;
  resolveMailboxes(selections: Selection[], signal?: AbortSignal): Promise<Resolution>;
  getPrerequisites(signal?: AbortSignal): Promise<Prerequisites>;

  listEnrichments(signal?: AbortSignal): Promise<{ items: AdminEnrichmentSummary[] }>;
  freeMailDomains(signal?: AbortSignal): Promise<{ domains: string[] }>;
  nameAvailability(name: string, excludeId: string | null, signal?: AbortSignal): Promise<NameAvailability>;
  getEnrichment(id: string, signal?: AbortSignal): Promise<Enrichment>;
  createEnrichment(input: EnrichmentInput): Promise<{ enrichment: Enrichment; consentRequest: ConsentRequestResult }>;
  updateEnrichment(id: string, input: EnrichmentInput, version: number): Promise<Enrichment>;
  pauseEnrichment(id: string, version: number): Promise<Enrichment>;
  resumeEnrichment(id: string, version: number): Promise<Enrichment>;
  setHalfLife(id: string, halfLifeDays: number, version: number): Promise<Enrichment>;
  setPrivacyThreshold(id: string, privacyThreshold: number | null, version: number): Promise<Enrichment>;
  deleteEnrichment(id: string): Promise<void>;

  getConsent(id: string, signal?: AbortSignal): Promise<ConsentStatus>;
  requestConsent(id: string, recipients?: string[]): Promise<ConsentRequestResult & { consent: ConsentStatus }>;
  checkConsent(id: string): Promise<ConsentStatus>;
}

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const seg = encodeURIComponent;
const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export function createAdminApi(api: ApiClient): AdminApi {
  const r = api.request;
  return {
    listDatasets: (signal) => r('/api/datasets', withSignal(signal)),
    getDataset: (id, signal) => r(`/api/datasets/${seg(id)}`, withSignal(signal)),
    deleteDataset: (id) => r(`/api/datasets/${seg(id)}`, { method: 'DELETE' }),
    mappingPreview: (id, fields, signal) =>
      r(`/api/datasets/${seg(id)}/mapping-preview${query({ ...fields, limit: 5 })}`, withSignal(signal)),
    previewUpload: (file, contentType, signal) =>
      r('/api/datasets/preview?limit=10', { method: 'POST', rawBody: file, contentType, ...withSignal(signal) }),
    startImport: (body) => r('/api/datasets/imports', { method: 'POST', body }),
    getImport: (importId, signal) => r(`/api/datasets/imports/${seg(importId)}`, withSignal(signal)),
    uploadAccounts: (importId, file, contentType, mapping) =>
      r(`/api/datasets/imports/${seg(importId)}/accounts${query({ ...mapping })}`, { method: 'PUT', rawBody: file, contentType }),
    uploadContacts: (importId, file, contentType, mapping) =>
      r(`/api/datasets/imports/${seg(importId)}/contacts${query({ ...mapping })}`, { method: 'PUT', rawBody: file, contentType }),
    commitImport: (importId, mode) => r(`/api/datasets/imports/${seg(importId)}/commit`, { method: 'POST', body: { mode } }),
    listRejections: (importId, offset, limit, signal) =>
      r(`/api/datasets/imports/${seg(importId)}/rejections${query({ offset, limit })}`, withSignal(signal)),
    downloadRejections: (importId) =>
      r(`/api/datasets/imports/${seg(importId)}/rejections.csv`, { responseType: 'blob', headers: { accept: 'text/csv' } }),
    discardImport: (importId) => r(`/api/datasets/imports/${seg(importId)}`, { method: 'DELETE' }),

    searchDirectory: (q, signal) => r(`/api/directory/search${query({ q, limit: 10 })}`, withSignal(signal)),
    resolveMailboxes: (selections, signal) =>
      r('/api/directory/resolve', { method: 'POST', body: { selections }, ...withSignal(signal) }),
    getPrerequisites: (signal) => r('/api/prerequisites', withSignal(signal)),

    listEnrichments: (signal) => r('/api/enrichments', withSignal(signal)),
    freeMailDomains: (signal) => r('/api/enrichments/free-mail-domains', withSignal(signal)),
    nameAvailability: (name, excludeId, signal) =>
      r(`/api/enrichments/name-availability${query({ name, excludeId })}`, withSignal(signal)),
    getEnrichment: (id, signal) => r(`/api/enrichments/${seg(id)}`, withSignal(signal)),
    createEnrichment: (input) => r('/api/enrichments', { method: 'POST', body: input }),
    updateEnrichment: (id, input, version) => r(`/api/enrichments/${seg(id)}`, { method: 'PUT', body: { ...input, version } }),
    pauseEnrichment: (id, version) => r(`/api/enrichments/${seg(id)}/pause`, { method: 'POST', body: { version } }),
    resumeEnrichment: (id, version) => r(`/api/enrichments/${seg(id)}/resume`, { method: 'POST', body: { version } }),
    setHalfLife: (id, halfLifeDays, version) => r(`/api/enrichments/${seg(id)}/half-life`, { method: 'PUT', body: { halfLifeDays, version } }),
    setPrivacyThreshold: (id, privacyThreshold, version) => r(`/api/enrichments/${seg(id)}/privacy-threshold`, { method: 'PUT', body: { privacyThreshold, version } }),
    deleteEnrichment: (id) => r(`/api/enrichments/${seg(id)}`, { method: 'DELETE' }),

    getConsent: (id, signal) => r(`/api/enrichments/${seg(id)}/consent`, withSignal(signal)),
    requestConsent: (id, recipients) =>
      r(`/api/enrichments/${seg(id)}/consent/request`, { method: 'POST', body: recipients && recipients.length > 0 ? { recipients } : {} }),
    checkConsent: (id) => r(`/api/enrichments/${seg(id)}/consent/check`, { method: 'POST', body: {} }),
  };
}
