import type { ApiClient, DownloadedFile } from './api-client';
import type { AccountSearchResult, CustomerCard, Level, MeasureRequest, MeasureResult, ResultsOverview, RowsPage, Segment, SegmentDefinition, UserEntityPage } from './contracts';
import type { AccountListQuery, GridView } from './view-queries';

/**
 * Typed calls for what sellers read: results, customer cards, segments and measures. Built on
 * the shared client so they get its token handling and problem documents.
 */
export interface InsightsApi {
  getResults(enrichmentId: string, signal?: AbortSignal): Promise<ResultsOverview>;
  listPeriods(enrichmentId: string, level: Level, signal?: AbortSignal): Promise<{ runId: string | null; level: Level; periods: string[] }>;
  listRows(enrichmentId: string, view: GridView, page: { offset: number; limit: number }, signal?: AbortSignal): Promise<RowsPage>;
  /** The view as CSV, its header in the tab's language (`locale`: a UI locale tag), named by the service. */
  downloadRowsCsv(enrichmentId: string, view: GridView, locale: string): Promise<DownloadedFile>;
  /** The whole output entity as Parquet. */
  downloadRowsParquet(enrichmentId: string): Promise<Blob>;
  listUsers(enrichmentId: string, page: { offset: number; limit: number }, signal?: AbortSignal): Promise<UserEntityPage>;
  searchAccounts(q: AccountListQuery, signal?: AbortSignal): Promise<AccountSearchResult>;
  getCustomer(enrichmentId: string, accountId: string, signal?: AbortSignal): Promise<CustomerCard>;
  countSegment(enrichmentId: string, definition: SegmentDefinition, signal?: AbortSignal): Promise<{ runId: string | null; count: number; total: number }>;
  listSegments(enrichmentId: string, signal?: AbortSignal): Promise<{ items: Segment[] }>;
  createSegment(enrichmentId: string, body: SegmentInput): Promise<Segment>;
  updateSegment(enrichmentId: string, segmentId: string, body: SegmentInput): Promise<Segment>;
  deleteSegment(enrichmentId: string, segmentId: string): Promise<void>;
  listMembers(enrichmentId: string, segmentId: string, view: GridView, page: { offset: number; limit: number }, signal?: AbortSignal): Promise<RowsPage>;
  downloadMembersCsv(enrichmentId: string, segmentId: string, view: GridView, locale: string): Promise<DownloadedFile>;
  measure(enrichmentId: string, request: MeasureRequest, signal?: AbortSignal): Promise<MeasureResult>;
}

export interface SegmentInput {
  name: string;
  description?: string;
  definition: SegmentDefinition;
}

const seg = encodeURIComponent;
const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The grid query parameters for a view; empty filters are left out rather than sent blank. */
export function gridViewParams(view: GridView): Record<string, string | number | undefined> {
  return {
    level: view.level,
    period: view.period,
    scoreMin: view.scoreMin,
    scoreMax: view.scoreMax,
    emailDaysMin: view.emailDaysMin,
    emailDaysMax: view.emailDaysMax,
    meetingDaysMin: view.meetingDaysMin,
    meetingDaysMax: view.meetingDaysMax,
    changeMax: view.changeMax,
    search: view.search?.trim() || undefined,
    segmentId: view.segmentId,
    sort: view.sort,
    order: view.order,
    columns: view.columns?.join(','),
  };
}

export function createInsightsApi(api: ApiClient): InsightsApi {
  const r = api.request;
  const base = (id: string) => `/api/enrichments/${seg(id)}`;
  return {
    getResults: (id, signal) => r(`${base(id)}/results`, withSignal(signal)),
    listPeriods: (id, level, signal) => r(`${base(id)}/results/periods${query({ level })}`, withSignal(signal)),
    listRows: (id, view, page, signal) =>
      r(`${base(id)}/results/rows${query({ ...gridViewParams(view), ...page })}`, withSignal(signal)),
    downloadRowsCsv: (id, view, locale) =>
      r(`${base(id)}/results/rows.csv${query({ ...gridViewParams(view), locale })}`, { responseType: 'file', headers: { accept: 'text/csv' } }),
    downloadRowsParquet: (id) => r(`${base(id)}/results/rows.parquet`, { responseType: 'blob', headers: { accept: 'application/vnd.apache.parquet' } }),
    listUsers: (id, page, signal) => r(`${base(id)}/results/users${query(page)}`, withSignal(signal)),
    searchAccounts: (q, signal) =>
      r(`/api/accounts${query({ search: q.search, enrichmentId: q.enrichmentId, sort: q.sort, order: q.order, band: q.band, changeMax: q.changeMax, accounts: q.accounts, offset: q.offset, limit: q.limit })}`, withSignal(signal)),
    getCustomer: (id, accountId, signal) => r(`${base(id)}/customers/${seg(accountId)}`, withSignal(signal)),
    countSegment: (id, definition, signal) =>
      r(`${base(id)}/segments/count`, { method: 'POST', body: definition, ...withSignal(signal) }),
    listSegments: (id, signal) => r(`${base(id)}/segments`, withSignal(signal)),
    createSegment: (id, body) => r(`${base(id)}/segments`, { method: 'POST', body }),
    updateSegment: (id, segmentId, body) => r(`${base(id)}/segments/${seg(segmentId)}`, { method: 'PUT', body }),
    deleteSegment: (id, segmentId) => r(`${base(id)}/segments/${seg(segmentId)}`, { method: 'DELETE' }),
    listMembers: (id, segmentId, view, page, signal) =>
      r(`${base(id)}/segments/${seg(segmentId)}/members${query({ ...gridViewParams({ ...view, segmentId: undefined }), level: undefined, period: undefined, ...page })}`, withSignal(signal)),
    downloadMembersCsv: (id, segmentId, view, locale) =>
      r(`${base(id)}/segments/${seg(segmentId)}/members.csv${query({ ...gridViewParams({ ...view, segmentId: undefined }), level: undefined, period: undefined, locale })}`, {
        responseType: 'file',
        headers: { accept: 'text/csv' },
      }),
    measure: (id, request, signal) => r(`${base(id)}/measures`, { method: 'POST', body: request, ...withSignal(signal) }),
  };
}
