/** Shapes of the API's JSON responses, as the tab relies on them. */

export interface PublicConfig {
  clientId: string;
  appIdUri: string;
  devSignIn: boolean;
  /** Extra teams-js host origins (the test harness); empty in production. */
  teamsHostOrigins?: string[];
}

export type PersonaKind = 'tenantAdmin' | 'enrichmentAdmin' | 'seller';

export interface DevPersona {
  userId: string;
  displayName: string;
  persona: PersonaKind;
  roles: string[];
}

export interface DevTenant {
  tenantId: string;
  displayName: string;
  personas: DevPersona[];
}

export interface DevPersonas {
  tenants: DevTenant[];
}

export interface DevSignInResult {
  accessToken: string;
  expiresOn: string;
}

export interface Me {
  tenantId: string;
  userId: string;
  displayName: string;
  roles: string[];
  isAdmin: boolean;
}

export interface TenantInfo {
  tenantId: string;
  displayName: string;
  countryLetterCode: string;
  verifiedDomains: string[];
}

/** An enrichment as anyone may see it (`GET /api/results`): its name and last refresh, no configuration. */
export interface EnrichmentSummary {
  id: string;
  name: string;
  entityName: string;
  lastRefreshAt: string | null;
  dataAsOf: string | null;
}

export interface AccountSummary {
  id: string;
  name: string;
}

export interface SegmentSummary {
  id: string;
  name: string;
  count: number;
}

export interface ItemList<T> {
  items: T[];
}

export interface AccountPage extends ItemList<AccountSummary> {
  total: number;
}
