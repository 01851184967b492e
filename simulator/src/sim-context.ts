import { createHash } from 'node:crypto';
import type { SigningKeys } from './keys/signing-keys';
import type { SimTenantHandle } from './state/sim-tenant-handle';
import type { MailboxThrottle } from './graph/mailbox-throttle';
import type { FaultInjector } from './graph/fault-injector';
import type { PageStore } from './graph/page-store';
import type { Tenant } from './tenant/tenant.types';

export interface ClientAppRegistration {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  displayName?: string;
}

/**
 * Another app registered in Entra (a daemon, a CRM sync, a Power Platform connector) that calls
 * the app's API without a signed-in user: it gets client-credentials tokens for the API carrying
 * the API's application roles a tenant administrator granted it (here: in every simulated tenant).
 */
export interface IntegrationClientRegistration {
  clientId: string;
  clientSecret: string;
  displayName: string;
  /** Application roles of the API granted to this client, e.g. `EngagementData.Read.All`. */
  grantedRoles: string[];
}

/** Everything the Entra, Graph and control routers share. */
export interface SimContext {
  /** `https://localhost:<port>`; known once the server listens, read lazily by handlers. */
  url: string;
  keys: SigningKeys;
  clientApp: ClientAppRegistration;
  /** Other apps that call the app's API with client credentials. */
  integrationClients: IntegrationClientRegistration[];
  tenants: Map<string, SimTenantHandle>;
  throttle: MailboxThrottle;
  faults: FaultInjector;
  /** Pages rendered ahead and served compressed (benchmarks); empty unless primed or loaded. */
  pages: PageStore;
  log: (line: string) => void;
  computeExpectedAggregates?: (tenant: Tenant, scope: import('./tenant/tenant.types').EnrichmentScope) => unknown[];
}

/** Formats 16 bytes of a hash as a version-4-shaped GUID (deterministic ids for derived objects). */
export function guidFromHash(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The object id of the app's service principal in a tenant (the `oid` of app-only tokens). */
export function servicePrincipalId(ctx: SimContext, tenantId: string): string {
  return guidFromHash('service-principal', ctx.clientApp.clientId, tenantId);
}

/** The object id of another (integration) app's service principal in a tenant. */
export function integrationServicePrincipalId(clientId: string, tenantId: string): string {
  return guidFromHash('service-principal', clientId, tenantId);
}

export function appDisplayName(ctx: SimContext): string {
  return ctx.clientApp.displayName ?? 'Account Engagement';
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isGuid(s: string): boolean {
  return GUID_RE.test(s);
}

/** Resolves a tenant path segment (GUID or one of its verified domains). */
export function findTenant(ctx: SimContext, segment: string): SimTenantHandle | undefined {
  const byId = ctx.tenants.get(segment.toLowerCase());
  if (byId) return byId;
  const domain = segment.toLowerCase();
  for (const t of ctx.tenants.values()) {
    if (t.tenant.verifiedDomains.some((d) => d.toLowerCase() === domain)) return t;
  }
  return undefined;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || address.startsWith('127.');
}
