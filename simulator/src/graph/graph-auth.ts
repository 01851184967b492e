import { GRAPH_RESOURCE, graphTokenIssuer, verifySimToken } from '../entra/entra-tokens';
import type { SimContext } from '../sim-context';
import { GraphError } from './graph-errors';
import type { GraphPrincipal } from './graph-types';

function invalidToken(message: string): GraphError {
  return new GraphError(401, 'InvalidAuthenticationToken', message, { 'WWW-Authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"` });
}

/** Validates a bearer token this simulator issued for Graph: signature, audience, lifetime, tenant. */
export async function authenticateGraph(ctx: SimContext, authorization: string | undefined): Promise<GraphPrincipal> {
  if (!authorization) throw invalidToken('Access token is empty.');
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!m) throw invalidToken('Access token is empty.');
  const token = m[1]!;
  if (token.split('.').length !== 3) throw invalidToken('IDX14100: JWT is not well formed, there are no dots (.).');
  const claims = await verifySimToken(ctx, token);
  if (!claims) throw invalidToken('Access token validation failure. Invalid signature or the token has expired.');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => a === GRAPH_RESOURCE || a === `${GRAPH_RESOURCE}/` || a === '00000003-0000-0000-c000-000000000000')) {
    throw invalidToken('Access token validation failure. Invalid audience.');
  }
  const tid = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : '';
  const tenant = ctx.tenants.get(tid);
  if (!tenant || claims.iss !== graphTokenIssuer(tenant.tenantId)) throw invalidToken('Access token validation failure. Invalid issuer.');
  const appId = typeof claims.appid === 'string' ? claims.appid : String(claims.azp ?? '');
  if (claims.idtyp === 'app') {
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
    return { kind: 'app', tenant, appId, roles: new Set(roles), scopes: new Set() };
  }
  const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ').filter(Boolean) : [];
  if (typeof claims.oid !== 'string') throw invalidToken('Access token validation failure. The token has no object id.');
  return { kind: 'delegated', tenant, appId, roles: new Set(), scopes: new Set(scopes), userId: claims.oid };
}
