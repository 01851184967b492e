import { ApiProblem, clientProblemCodes, problemFromResponse } from './api-problem';
import type { AccountSearchResult, DevPersonas, DevSignInResult, EnrichmentSummary, Me, PublicConfig, Segment, TenantInfo } from './contracts';

/**
 * Where bearer tokens come from. In Teams it asks teams-js every time; standalone it holds
 * the dev sign-in token. `forceRefresh` is set after a 401 so the source can re-acquire.
 * Returning null means "nobody is signed in".
 */
export interface TokenSource {
  getToken(options: { forceRefresh: boolean }): Promise<string | null>;
}

export interface ApiClientOptions {
  /** Origin + path prefix; the tab is served by the API so this is normally ''. */
  baseUrl?: string;
  tokenSource?: TokenSource;
  fetchImpl?: typeof fetch;
  /**
   * Called when a request is still rejected with 401 after the one re-acquired token, i.e.
   * the session is really over; the shell uses it to return to sign-in.
   */
  onUnauthorized?: (problem: ApiProblem) => void;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Public endpoints (config, dev personas, dev sign-in) are called without a token. */
  anonymous?: boolean;
  signal?: AbortSignal;
  /** A file or other raw body sent as is (streamed by the browser), with its content type. */
  rawBody?: Blob;
  contentType?: string;
  headers?: Record<string, string>;
  /** `blob` for raw bytes, `file` for a download with the name the service gives it (e.g. CSV); the default parses JSON. */
  responseType?: 'json' | 'blob' | 'file';
}

/** A downloaded file and the name the service gave it (null when it gave none). */
export interface DownloadedFile {
  blob: Blob;
  fileName: string | null;
}

/**
 * The file name of a Content-Disposition header: the UTF-8 `filename*` (RFC 6266 / 8187) when
 * present and well formed, else the plain `filename`; null when neither.
 */
export function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!);
    } catch {
      // A malformed escape: fall back to the plain name.
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
  const name = plain ? (plain[1]?.replace(/\\(.)/g, '$1') ?? plain[2]) : undefined;
  return name || null;
}

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  getPublicConfig(signal?: AbortSignal): Promise<PublicConfig>;
  getDevPersonas(signal?: AbortSignal): Promise<DevPersonas>;
  devSignIn(tenantId: string, userId: string): Promise<DevSignInResult>;
  getMe(signal?: AbortSignal): Promise<Me>;
  getTenant(signal?: AbortSignal): Promise<TenantInfo>;
  /** The enrichments whose results the user can read (name, last refresh): sellers and admins alike. */
  listResultSources(signal?: AbortSignal): Promise<{ items: EnrichmentSummary[] }>;
  listAccounts(search: string, signal?: AbortSignal): Promise<AccountSearchResult>;
  listSegments(signal?: AbortSignal): Promise<{ items: Segment[] }>;
}

/**
 * The one place that talks HTTP to the API: adds the bearer token, turns error responses
 * into ApiProblem, and after a 401 asks the token source for a fresh token exactly once.
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = options.fetchImpl ?? ((input, init) => fetch(input, init));
  const tokenSource = options.tokenSource;

  async function send(path: string, opts: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.rawBody !== undefined) headers['content-type'] = opts.contentType ?? (opts.rawBody.type || 'application/octet-stream');
    if (opts.headers) Object.assign(headers, opts.headers);
    try {
      return await doFetch(`${baseUrl}${path}`, {
        method: opts.method ?? 'GET',
        headers,
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        ...(opts.rawBody !== undefined ? { body: opts.rawBody } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (error) {
      if (opts.signal?.aborted) {
        throw new ApiProblem({ status: 0, title: 'Aborted', detail: 'The request was cancelled.', code: clientProblemCodes.aborted });
      }
      throw new ApiProblem({
        status: 0,
        title: 'Network error',
        detail: error instanceof Error ? error.message : 'The service could not be reached.',
        code: clientProblemCodes.network,
      });
    }
  }

  async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const useToken = !opts.anonymous && !!tokenSource;
    let token = useToken ? await tokenSource!.getToken({ forceRefresh: false }) : null;
    let response = await send(path, opts, token);
    if (response.status === 401 && useToken) {
      // Tokens expire or get revoked between calls; one fresh attempt, never a loop.
      const fresh = await tokenSource!.getToken({ forceRefresh: true });
      if (fresh && fresh !== token) {
        token = fresh;
        response = await send(path, opts, token);
      }
    }
    if (!response.ok) {
      const problem = await problemFromResponse(response);
      if (response.status === 401 && useToken) options.onUnauthorized?.(problem);
      throw problem;
    }
    if (response.status === 204) return undefined as T;
    if (opts.responseType === 'blob') return (await response.blob()) as T;
    if (opts.responseType === 'file') {
      const file: DownloadedFile = { blob: await response.blob(), fileName: fileNameFromDisposition(response.headers.get('content-disposition')) };
      return file as T;
    }
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiProblem({
        status: response.status,
        title: 'Unexpected response',
        detail: 'The response was not valid JSON.',
        code: clientProblemCodes.unexpected,
      });
    }
  }

  return {
    request,
    getPublicConfig: (signal) => request('/api/public-config', { anonymous: true, ...(signal ? { signal } : {}) }),
    getDevPersonas: (signal) => request('/api/dev/personas', { anonymous: true, ...(signal ? { signal } : {}) }),
    devSignIn: (tenantId, userId) =>
      request('/api/dev/sign-in', { method: 'POST', anonymous: true, body: { tenantId, userId } }),
    getMe: (signal) => request('/api/me', signal ? { signal } : {}),
    getTenant: (signal) => request('/api/tenant', signal ? { signal } : {}),
    listResultSources: (signal) => request('/api/results', signal ? { signal } : {}),
    listAccounts: (search, signal) =>
      request(`/api/accounts?search=${encodeURIComponent(search)}`, signal ? { signal } : {}),
    listSegments: (signal) => request('/api/segments', signal ? { signal } : {}),
  };
}
