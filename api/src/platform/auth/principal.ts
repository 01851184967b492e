/** Role that lets a user configure enrichments; everyone else in the tenant is a seller. */
export const ADMIN_ROLE = 'EngagementAdmin';
/**
 * Application role a tenant admin grants to another app (a CRM sync, a Power Platform connector,
 * a data pipeline) so that it reads results without a person signed in (client credentials).
 */
export const APP_READ_ROLE = 'EngagementData.Read.All';

/** The caller, as established by a validated token. */
export interface Principal {
  /** `user`: a person's delegated (Teams SSO) token; `app`: an app-only (client credentials) token. */
  kind: 'user' | 'app';
  tenantId: string;
  /** Entra object id (`oid`): the stable user key; for an app, its service principal in the tenant. */
  userId: string;
  /** The calling client application (`azp`/`appid`). */
  clientAppId: string;
  displayName: string;
  roles: string[];
  /** Only a user can be an admin: an app's token never configures anything. */
  isAdmin: boolean;
  /** The raw bearer token, kept only in memory for on-behalf-of calls. */
  token: string;
}
