import type { SimTenantHandle } from '../state/sim-tenant-handle';
import type { SimUser } from '../tenant/tenant.types';

/** A Graph request independent of HTTP, so top-level routes and `$batch` share handlers. */
export interface GraphRequest {
  method: string;
  /** Path below `/v1.0`, starting with `/`, percent-encoded as received. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: unknown;
  requestId: string;
  clientRequestId: string;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  /**
   * A body already serialised and gzip-compressed (a stored page), as gzip members sent one
   * after the other (no copy into one buffer); `body` is then unused.
   */
  gzip?: Buffer[];
}

/** Who is calling, from a validated bearer token. */
export interface GraphPrincipal {
  kind: 'app' | 'delegated';
  tenant: SimTenantHandle;
  appId: string;
  /** Application permissions (`roles`) for app tokens. */
  roles: ReadonlySet<string>;
  /** Delegated permissions (`scp`) for user tokens. */
  scopes: ReadonlySet<string>;
  /** Signed-in user for delegated tokens. */
  userId?: string;
}

export interface GraphCall {
  req: GraphRequest;
  principal: GraphPrincipal;
  /** Regex captures of the matched route. */
  params: string[];
  /** For mailbox-scoped routes: the resolved mailbox owner. */
  mailbox?: SimUser;
}

/** Does the caller hold any of these permissions (app roles for app tokens, scopes for delegated)? */
export function holdsAny(p: GraphPrincipal, perms: readonly string[]): boolean {
  const set = p.kind === 'app' ? p.roles : p.scopes;
  return perms.some((x) => set.has(x));
}
