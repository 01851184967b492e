/** Role that lets a user configure enrichments; everyone else in the tenant is a seller. */
export const ADMIN_ROLE = 'EngagementAdmin';

/** The caller, as established by a validated token. */
export interface Principal {
  tenantId: string;
  /** Entra object id (`oid`): the stable user key. */
  userId: string;
  displayName: string;
  roles: string[];
  isAdmin: boolean;
  /** The raw bearer token, kept only in memory for on-behalf-of calls. */
  token: string;
}
