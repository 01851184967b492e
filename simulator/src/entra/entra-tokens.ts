import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import type { SimTenantHandle } from '../state/sim-tenant-handle';
import type { SimUser } from '../tenant/tenant.types';
import { appDisplayName, integrationServicePrincipalId, servicePrincipalId, type IntegrationClientRegistration, type SimContext } from '../sim-context';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
/** The Teams web client, pre-authorised for the app's `access_as_user` scope. */
export const TEAMS_WEB_CLIENT_ID = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
export const ACCESS_TOKEN_LIFETIME_S = 3599;
const SSO_TOKEN_LIFETIME_S = 3600;

/**
 * Graph access tokens are v1-shaped in reality, so their issuer is the v1 form
 * `https://sts.windows.net/{tid}/` (not the simulator's origin). Clients must treat Graph
 * tokens as opaque; only this simulator validates them, with its own key.
 */
export function graphTokenIssuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/** Issuer of v2 tokens (SSO tokens for the app's own API, id tokens): `{url}/{tid}/v2.0`. */
export function v2Issuer(ctx: SimContext, tenantId: string): string {
  return `${ctx.url}/${tenantId}/v2.0`;
}

function uti(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

async function sign(ctx: SimContext, claims: JWTPayload, lifetimeS: number): Promise<{ token: string; exp: number }> {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + lifetimeS;
  const token = await new SignJWT({ ...claims, iat, nbf: iat, exp })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: ctx.keys.kid, x5t: ctx.keys.kid } as never)
    .sign(ctx.keys.privateKey);
  return { token, exp };
}

export async function issueGraphAppToken(ctx: SimContext, handle: SimTenantHandle): Promise<{ token: string; exp: number }> {
  const tid = handle.tenantId;
  const spId = servicePrincipalId(ctx, tid);
  handle.stats.tokensIssued += 1;
  return sign(
    ctx,
    {
      aud: GRAPH_RESOURCE,
      iss: graphTokenIssuer(tid),
      idp: graphTokenIssuer(tid),
      app_displayname: appDisplayName(ctx),
      appid: ctx.clientApp.clientId,
      azp: ctx.clientApp.clientId,
      appidacr: '1',
      idtyp: 'app',
      oid: spId,
      sub: spId,
      tid,
      roles: [...handle.consent.roles],
      uti: uti(),
      ver: '1.0',
    },
    ACCESS_TOKEN_LIFETIME_S,
  );
}

/**
 * A client-credentials token another app gets for the app's own API (v2, as the API's
 * registration requests): audience the API's client id, no scope, the granted application roles
 * in `roles`, `idtyp=app` (the optional claim the registration asks for), the caller in `azp`.
 */
export async function issueApiAppToken(ctx: SimContext, handle: SimTenantHandle, client: IntegrationClientRegistration): Promise<{ token: string; exp: number }> {
  const tid = handle.tenantId;
  const spId = integrationServicePrincipalId(client.clientId, tid);
  handle.stats.tokensIssued += 1;
  return sign(
    ctx,
    {
      aud: ctx.clientApp.clientId,
      iss: v2Issuer(ctx, tid),
      azp: client.clientId,
      azpacr: '1',
      idtyp: 'app',
      oid: spId,
      sub: spId,
      tid,
      ...(client.grantedRoles.length > 0 ? { roles: [...client.grantedRoles] } : {}),
      uti: uti(),
      ver: '2.0',
    },
    ACCESS_TOKEN_LIFETIME_S,
  );
}

export async function issueGraphDelegatedToken(
  ctx: SimContext,
  handle: SimTenantHandle,
  user: SimUser,
  scopes: string[],
): Promise<{ token: string; exp: number }> {
  handle.stats.tokensIssued += 1;
  return sign(
    ctx,
    {
      aud: GRAPH_RESOURCE,
      iss: graphTokenIssuer(handle.tenantId),
      idp: graphTokenIssuer(handle.tenantId),
      acr: '1',
      amr: ['pwd'],
      app_displayname: appDisplayName(ctx),
      appid: ctx.clientApp.clientId,
      azp: ctx.clientApp.clientId,
      appidacr: '1',
      idtyp: 'user',
      name: user.displayName,
      given_name: user.givenName,
      family_name: user.surname,
      oid: user.id,
      sub: user.id,
      tid: handle.tenantId,
      scp: scopes.join(' '),
      unique_name: user.userPrincipalName,
      upn: user.userPrincipalName,
      uti: uti(),
      ver: '1.0',
    },
    ACCESS_TOKEN_LIFETIME_S,
  );
}

/** The token Teams' `getAuthToken` would hand the tab: v2, audience = the app's client id. */
export async function issueSsoToken(ctx: SimContext, handle: SimTenantHandle, user: SimUser): Promise<{ token: string; exp: number }> {
  handle.stats.tokensIssued += 1;
  return sign(
    ctx,
    {
      aud: ctx.clientApp.clientId,
      iss: v2Issuer(ctx, handle.tenantId),
      azp: TEAMS_WEB_CLIENT_ID,
      azpacr: '0',
      name: user.displayName,
      oid: user.id,
      sub: user.id,
      preferred_username: user.userPrincipalName,
      tid: handle.tenantId,
      scp: 'access_as_user',
      ...(user.appRoles.length > 0 ? { roles: [...user.appRoles] } : {}),
      uti: uti(),
      ver: '2.0',
    },
    SSO_TOKEN_LIFETIME_S,
  );
}

export async function issueIdToken(ctx: SimContext, handle: SimTenantHandle, user: SimUser): Promise<string> {
  const { token } = await sign(
    ctx,
    {
      aud: ctx.clientApp.clientId,
      iss: v2Issuer(ctx, handle.tenantId),
      name: user.displayName,
      oid: user.id,
      sub: user.id,
      preferred_username: user.userPrincipalName,
      tid: handle.tenantId,
      ver: '2.0',
    },
    SSO_TOKEN_LIFETIME_S,
  );
  return token;
}

/** Verifies signature, algorithm and lifetime; callers check audience and issuer. */
export async function verifySimToken(ctx: SimContext, token: string): Promise<JWTPayload | undefined> {
  try {
    const { payload } = await jwtVerify(token, ctx.keys.publicKey, { algorithms: ['RS256'], clockTolerance: 5 });
    return payload;
  } catch {
    return undefined;
  }
}

export function newCorrelationId(): string {
  return randomUUID();
}
