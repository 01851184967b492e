import { decodeJwt } from 'jose';
import type { SimTenantHandle } from '../state/sim-tenant-handle';
import { findTenant, isGuid, type SimContext } from '../sim-context';
import { EntraError } from './entra-errors';
import {
  ACCESS_TOKEN_LIFETIME_S,
  GRAPH_RESOURCE,
  issueApiAppToken,
  issueGraphAppToken,
  issueGraphDelegatedToken,
  issueIdToken,
  v2Issuer,
  verifySimToken,
} from './entra-tokens';

/** Delegated Graph permissions any user may consent to for themselves. */
export const USER_CONSENTABLE_SCOPES = ['User.Read', 'User.ReadBasic.All', 'People.Read', 'Mail.Send', 'openid', 'profile', 'offline_access'] as const;
/** Delegated Graph permissions that need a tenant-wide admin consent. */
export const ADMIN_ONLY_SCOPES = ['Directory.Read.All', 'GroupMember.Read.All', 'RoleManagement.Read.Directory'] as const;

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const GRAPH_RESOURCE_ALIASES = [GRAPH_RESOURCE, 'https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000'];
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type TokenForm = Record<string, string | undefined>;

export interface TokenResponse {
  token_type: 'Bearer';
  scope?: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  id_token?: string;
  client_info?: string;
}

function required(form: TokenForm, name: string): string {
  const v = form[name];
  if (!v) throw new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
  return v;
}

function resolveTenantOrThrow(ctx: SimContext, segment: string): SimTenantHandle {
  const handle = findTenant(ctx, segment);
  if (!handle) {
    throw new EntraError(
      400,
      'invalid_request',
      90002,
      `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    );
  }
  return handle;
}

function appNotFound(ctx: SimContext, clientId: string, directory: string): EntraError {
  return new EntraError(
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${directory}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );
}

/** Client authentication: a matching secret, or a client assertion naming the app. */
function authenticateClient(ctx: SimContext, form: TokenForm, directory: string): void {
  const clientId = required(form, 'client_id');
  if (clientId !== ctx.clientApp.clientId) throw appNotFound(ctx, clientId, directory);
  if (form.client_secret !== undefined) {
    if (form.client_secret !== ctx.clientApp.clientSecret) {
      throw new EntraError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
    }
    return;
  }
  if (form.client_assertion !== undefined) {
    // No certificate is registered with the simulator, so an assertion is checked for shape and
    // subject only; this keeps certificate-credential code paths runnable against the sim.
    if (form.client_assertion_type !== CLIENT_ASSERTION_TYPE) {
      throw new EntraError(400, 'invalid_request', 700023, `Invalid client_assertion_type '${form.client_assertion_type ?? ''}'.`);
    }
    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(form.client_assertion);
    } catch {
      throw new EntraError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
    }
    if (claims.iss !== clientId || claims.sub !== clientId) {
      throw new EntraError(401, 'invalid_client', 700021, `Client assertion application identifier doesn't match 'client_id' parameter.`);
    }
    if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) {
      throw new EntraError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
    }
    return;
  }
  throw new EntraError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
}

function splitScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter(Boolean);
}

/** `https://graph.microsoft.com/User.Read` → `User.Read`; undefined for a non-Graph resource. */
function graphScopeName(scope: string): string | undefined {
  if (OIDC_SCOPES.has(scope)) return scope;
  for (const prefix of GRAPH_RESOURCE_ALIASES) {
    const p = prefix.endsWith('/') ? prefix : `${prefix}/`;
    if (scope.toLowerCase().startsWith(p.toLowerCase())) return scope.slice(p.length).replace(/^\/+/, '');
  }
  return scope.includes('/') ? undefined : scope;
}

async function clientCredentials(ctx: SimContext, tenantSegment: string, form: TokenForm): Promise<TokenResponse> {
  if (tenantSegment === 'common' || tenantSegment === 'organizations' || tenantSegment === 'consumers') {
    authenticateClient(ctx, form, tenantSegment);
    throw new EntraError(400, 'invalid_request', 900023, `Specified tenant identifier '${tenantSegment}' cannot be used with the client credentials flow; use a tenant-specific endpoint.`);
  }
  const handle = resolveTenantOrThrow(ctx, tenantSegment);
  const scopes = splitScopes(required(form, 'scope')).filter((s) => !OIDC_SCOPES.has(s));
  if (scopes.length !== 1 || !scopes[0]!.endsWith('/.default')) {
    throw new EntraError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scopes.join(' ')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const resource = scopes[0]!.slice(0, -'/.default'.length).replace(/\/+$/, '');
  if (isAudienceOfApp(ctx, resource)) return apiClientCredentials(ctx, handle, form);
  if (!GRAPH_RESOURCE_ALIASES.some((a) => a.replace(/\/+$/, '') === resource)) {
    throw new EntraError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${handle.tenant.spec.displayName}.`);
  }
  authenticateClient(ctx, form, handle.tenant.spec.displayName);
  // Without consent the app has no service principal in the customer tenant.
  if (!handle.consent.granted) throw appNotFound(ctx, ctx.clientApp.clientId, handle.tenant.spec.displayName);
  const { token } = await issueGraphAppToken(ctx, handle);
  return { token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME_S, ext_expires_in: ACCESS_TOKEN_LIFETIME_S, access_token: token };
}

/**
 * Another app asks for a token for the app's own API (`api://…/<client id>/.default`). It must be
 * a registered integration client with its secret; the token carries the roles granted to it.
 */
async function apiClientCredentials(ctx: SimContext, handle: SimTenantHandle, form: TokenForm): Promise<TokenResponse> {
  const clientId = required(form, 'client_id');
  const client = ctx.integrationClients.find((c) => c.clientId === clientId);
  if (!client) throw appNotFound(ctx, clientId, handle.tenant.spec.displayName);
  if (form.client_secret === undefined) throw new EntraError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  if (form.client_secret !== client.clientSecret) {
    throw new EntraError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
  }
  const { token } = await issueApiAppToken(ctx, handle, client);
  return { token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME_S, ext_expires_in: ACCESS_TOKEN_LIFETIME_S, access_token: token };
}

function invalidAssertion(detail: string): EntraError {
  return new EntraError(400, 'invalid_grant', 50013, `Assertion failed signature validation. [Reason - ${detail}]`);
}

function isAudienceOfApp(ctx: SimContext, aud: unknown): boolean {
  const values = Array.isArray(aud) ? aud : [aud];
  const id = ctx.clientApp.clientId;
  return values.some((a) => typeof a === 'string' && (a === id || (a.startsWith('api://') && a.replace(/\/+$/, '').endsWith(`/${id}`))));
}

async function onBehalfOf(ctx: SimContext, tenantSegment: string, form: TokenForm): Promise<TokenResponse> {
  if (form.requested_token_use !== 'on_behalf_of') {
    throw new EntraError(400, 'invalid_request', 90014, "The required field 'requested_token_use' is missing or is not 'on_behalf_of'.");
  }
  const assertion = required(form, 'assertion');
  const directoryHint = isGuid(tenantSegment) ? tenantSegment : tenantSegment.toLowerCase();
  authenticateClient(ctx, form, directoryHint);

  const claims = await verifySimToken(ctx, assertion);
  if (!claims) throw invalidAssertion('The key was not found, the signature is invalid or the token has expired.');
  const tid = typeof claims.tid === 'string' ? claims.tid : '';
  const handle = ctx.tenants.get(tid.toLowerCase());
  if (!handle) throw invalidAssertion('The token was not issued by a known tenant.');
  if (claims.iss !== v2Issuer(ctx, handle.tenantId)) throw invalidAssertion('The token issuer is not valid.');
  if (!isAudienceOfApp(ctx, claims.aud)) throw new EntraError(400, 'invalid_grant', 50013, 'Assertion audience does not match the Client app presenting the assertion.');
  if (!['common', 'organizations'].includes(tenantSegment) && findTenant(ctx, tenantSegment)?.tenantId !== handle.tenantId) {
    throw invalidAssertion('The assertion was issued by a different tenant than the one requested.');
  }
  const user = handle.tenant.users.find((u) => u.id === claims.oid);
  if (!user) throw invalidAssertion('The user in the assertion was not found in the directory.');
  if (!user.accountEnabled) throw new EntraError(400, 'invalid_grant', 50057, 'The user account is disabled.');

  const requested = splitScopes(required(form, 'scope'));
  const granted = new Set<string>();
  const adminGranted = handle.consent.granted;
  for (const raw of requested) {
    const name = graphScopeName(raw);
    if (name === undefined) {
      throw new EntraError(400, 'invalid_resource', 500011, `The resource principal named ${raw} was not found in the tenant named ${handle.tenant.spec.displayName}.`);
    }
    if (name === '.default') {
      USER_CONSENTABLE_SCOPES.forEach((s) => granted.add(s));
      if (adminGranted) ADMIN_ONLY_SCOPES.forEach((s) => granted.add(s));
      continue;
    }
    const canonical = [...USER_CONSENTABLE_SCOPES, ...ADMIN_ONLY_SCOPES].find((s) => s.toLowerCase() === name.toLowerCase());
    if (!canonical) {
      if (name === 'email') continue;
      throw new EntraError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${raw} is not valid.`);
    }
    if ((ADMIN_ONLY_SCOPES as readonly string[]).includes(canonical) && !adminGranted) {
      throw new EntraError(
        400,
        'invalid_grant',
        65001,
        `The user or administrator has not consented to use the application with ID '${ctx.clientApp.clientId}'. Send an interactive authorization request for this user and resource.`,
        'consent_required',
      );
    }
    granted.add(canonical);
  }
  const scopes = [...granted];
  const { token } = await issueGraphDelegatedToken(ctx, handle, user, scopes);
  const response: TokenResponse = {
    token_type: 'Bearer',
    scope: scopes.map((s) => (OIDC_SCOPES.has(s) ? s : `${GRAPH_RESOURCE}/${s}`)).join(' '),
    expires_in: ACCESS_TOKEN_LIFETIME_S,
    ext_expires_in: ACCESS_TOKEN_LIFETIME_S,
    access_token: token,
  };
  if (granted.has('openid')) response.id_token = await issueIdToken(ctx, handle, user);
  if (form.client_info === '1') response.client_info = Buffer.from(JSON.stringify({ uid: user.id, utid: handle.tenantId })).toString('base64url');
  return response;
}

/** POST /{tenant}/oauth2/v2.0/token, form already parsed. Throws EntraError on refusal. */
export async function handleTokenRequest(ctx: SimContext, tenantSegment: string, form: TokenForm): Promise<TokenResponse> {
  const grantType = required(form, 'grant_type');
  if (grantType === 'client_credentials') return clientCredentials(ctx, tenantSegment, form);
  if (grantType === JWT_BEARER) return onBehalfOf(ctx, tenantSegment, form);
  throw new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
}
