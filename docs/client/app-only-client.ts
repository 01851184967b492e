/**
 * Example: an integration (a CRM sync, a data pipeline) reading published results with an
 * app-only token, typed by the generated `engagement-api.d.ts` (`npm run openapi:client`). It is
 * type-checked with the repository (`npm run typecheck`); copy it and adapt the configuration.
 *
 *   const api = new EngagementClient({ apiUrl, tenantId, clientId, clientSecret, appIdUri });
 *   for (const e of await api.enrichments()) for await (const row of api.rows(e.id)) …
 */
import type { paths } from './engagement-api';

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends { responses: { 200: { content: { 'application/json': infer T } } } } ? T : never;
export type ResultSources = Json<'/api/results', 'get'>;
export type RowsPage = Json<'/api/enrichments/{enrichmentId}/results/rows', 'get'>;
export type RowsQuery = NonNullable<paths['/api/enrichments/{enrichmentId}/results/rows']['get']['parameters']['query']>;

export interface EngagementClientOptions {
  /** Where the API is, e.g. https://engagement.contoso.com */
  apiUrl: string;
  /** The customer tenant whose results are read (the token is issued by it). */
  tenantId: string;
  /** Your app's registration, granted EngagementData.Read.All by that tenant's administrator. */
  clientId: string;
  clientSecret: string;
  /** The engagement app's App ID URI (api://<domain>/<client id>): the token's scope is `<it>/.default`. */
  appIdUri: string;
  /** https://login.microsoftonline.com unless you test against the tenant simulator. */
  authorityHost?: string;
}

export class EngagementClient {
  private token: { value: string; expiresAt: number } | null = null;

  constructor(private readonly o: EngagementClientOptions) {}

  /** An app-only token from the client credentials grant, reused until a minute before it expires. */
  private async bearer(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now() + 60_000) return this.token.value;
    const res = await fetch(`${this.o.authorityHost ?? 'https://login.microsoftonline.com'}/${this.o.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.o.clientId, client_secret: this.o.clientSecret, scope: `${this.o.appIdUri}/.default` }),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; error_description?: string };
    if (!res.ok || !body.access_token) throw new Error(`No token: ${body.error_description ?? res.status}`);
    this.token = { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
    return this.token.value;
  }

  private async get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(url, { headers: { authorization: `Bearer ${await this.bearer()}`, ...headers } });
    if (res.status >= 400) {
      const problem = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
      throw Object.assign(new Error(problem.detail ?? `HTTP ${res.status}`), { status: res.status, code: problem.code });
    }
    return res;
  }

  /** The enrichments whose results this app may read, with their last refresh. */
  async enrichments(): Promise<ResultSources['items']> {
    return ((await (await this.get(`${this.o.apiUrl}/api/results`)).json()) as ResultSources).items;
  }

  /**
   * Every row of one result, page by page through nextLink: all from the run the first page read,
   * even if a new run publishes meanwhile. A `cursor-expired` error (410) means that run is no
   * longer kept: call again to read the current one.
   */
  async *rows(enrichmentId: string, query: Omit<RowsQuery, 'offset' | 'cursor'> = {}): AsyncGenerator<RowsPage['items'][number]> {
    const params = new URLSearchParams(Object.entries({ limit: 500, ...query }).map(([k, v]) => [k, String(v)]));
    let url: string | null = `${this.o.apiUrl}/api/enrichments/${encodeURIComponent(enrichmentId)}/results/rows?${params}`;
    while (url) {
      const page = (await (await this.get(url)).json()) as RowsPage;
      yield* page.items;
      url = page.nextLink;
    }
  }

  /** The whole output entity as Parquet, or null when `etag` (from a previous call) still names the current run. */
  async parquet(enrichmentId: string, etag?: string): Promise<{ bytes: Uint8Array; etag: string | null } | null> {
    const res = await this.get(`${this.o.apiUrl}/api/enrichments/${encodeURIComponent(enrichmentId)}/results/rows.parquet`, etag ? { 'if-none-match': etag } : {});
    if (res.status === 304) return null;
    return { bytes: new Uint8Array(await res.arrayBuffer()), etag: res.headers.get('etag') };
  }
}
