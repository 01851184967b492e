import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../errors/app-error';
import { ADMIN_ROLE, APP_READ_ROLE, type Principal } from './principal';

export const REQUIRED_SCOPE = 'access_as_user';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Clock skew tolerated on exp, nbf and iat. */
export const CLOCK_SKEW_SECONDS = 60;
/** Entra access tokens for an API live 60–90 minutes; one issued over a day ago was not issued for us now. */
export const MAX_TOKEN_AGE = '24h';

export interface TokenValidatorOptions {
  /** e.g. `https://login.microsoftonline.com`, or the simulator's origin in development. */
  authorityHost: string;
  clientId: string;
  appIdUri: string;
  /** Lower-case tenant ids; empty means every tenant may call. */
  allowedTenants: string[];
  /** Injected for tests; defaults to the authority's multi-tenant JWKS. */
  keys?: JWTVerifyGetKey;
}

export type TokenValidator = (token: string) => Promise<Principal>;

/**
 * Validates Entra access tokens issued for this API (multi-tenant): RS256 signature from the
 * authority's JWKS, audience (client id or App ID URI), expiry, and an issuer that must equal
 * the issuer template filled with the token's own `tid`. `exp` and `iat` must be present; `nbf`
 * and `iat` may not lie in the future beyond a minute of clock skew.
 *
 * Two kinds of token pass those same checks: a person's delegated token (Teams SSO, `scp`
 * containing `access_as_user`) and an app-only token (client credentials, `idtyp=app`, no `scp`,
 * `roles` containing `EngagementData.Read.All`). Which operations an app may call is decided
 * per route (`defineRoute`'s `apps`), never here.
 */
export function createTokenValidator(options: TokenValidatorOptions): TokenValidator {
  const keys =
    options.keys ??
    createRemoteJWKSet(new URL(`${options.authorityHost}/common/discovery/v2.0/keys`), {
      cacheMaxAge: 24 * 60 * 60 * 1000,
      cooldownDuration: 30_000,
    });
  const audiences = [options.clientId, options.appIdUri];

  return async (token) => {
    let payload: JWTPayload;
    try {
      // exp and iat are required: a token without an expiry would be valid forever. iat (and nbf)
      // in the future beyond the skew, or iat older than MAX_TOKEN_AGE, is refused.
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        audience: audiences,
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: MAX_TOKEN_AGE,
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWKSTimeout || !(e instanceof joseErrors.JOSEError)) {
        // The keys could not be fetched: that is our outage, not the caller's bad token.
        throw new AppError('not-ready', 'The identity provider keys could not be fetched to verify your sign-in; try again shortly.', { cause: e, retryAfterSeconds: 5 });
      }
      throw new AppError('unauthenticated', describeJoseError(e), { cause: e });
    }

    const tid = typeof payload.tid === 'string' ? payload.tid.toLowerCase() : '';
    if (!GUID.test(tid)) throw new AppError('unauthenticated', 'The token has no valid tenant id (tid).');
    const expectedIssuer =
      payload.ver === '1.0' ? `https://sts.windows.net/${tid}/` : `${options.authorityHost}/${tid}/v2.0`;
    if (typeof payload.iss !== 'string' || payload.iss.toLowerCase() !== expectedIssuer.toLowerCase()) {
      throw new AppError('unauthenticated', 'The token was not issued by the trusted identity provider for its tenant.');
    }
    if (options.allowedTenants.length > 0 && !options.allowedTenants.includes(tid)) {
      throw new AppError('forbidden', 'Your organisation is not enabled for this app. Ask your administrator to onboard it.');
    }
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
    const oid = typeof payload.oid === 'string' ? payload.oid.toLowerCase() : '';
    // v2 tokens name the calling client in azp, v1 tokens in appid.
    const clientAppId = typeof payload.azp === 'string' ? payload.azp : typeof payload.appid === 'string' ? payload.appid : '';
    if (payload.idtyp === 'app') return appPrincipal(payload, { tid, oid, roles, clientAppId, token });

    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(REQUIRED_SCOPE)) {
      throw new AppError('unauthenticated', `The token lacks the ${REQUIRED_SCOPE} scope; sign in to the app again.`);
    }
    if (!GUID.test(oid)) throw new AppError('unauthenticated', 'The token has no valid user object id (oid).');
    return {
      kind: 'user',
      tenantId: tid,
      userId: oid,
      clientAppId,
      displayName: typeof payload.name === 'string' ? payload.name : '',
      roles,
      isAdmin: roles.includes(ADMIN_ROLE),
      token,
    };
  };
}

/**
 * An app-only token: a client-credentials token another app of the tenant obtained for this API.
 * It carries application roles, never a scope, and the app's service principal as `oid`.
 * Without `EngagementData.Read.All` the app is known but not allowed (403, naming the role).
 */
function appPrincipal(payload: JWTPayload, t: { tid: string; oid: string; roles: string[]; clientAppId: string; token: string }): Principal {
  if (payload.scp !== undefined) throw new AppError('unauthenticated', 'The token says it is app-only (idtyp=app) but carries delegated scopes (scp); request a token with the client credentials grant.');
  if (!GUID.test(t.oid)) throw new AppError('unauthenticated', 'The app-only token has no valid service principal object id (oid).');
  if (!GUID.test(t.clientAppId)) throw new AppError('unauthenticated', 'The app-only token does not name the calling application (azp or appid).');
  if (!t.roles.includes(APP_READ_ROLE)) {
    throw new AppError('forbidden', `This app has not been granted the ${APP_READ_ROLE} application permission in your organisation. A tenant administrator grants it (Entra admin center → Enterprise applications → the calling app → Permissions), then request a new token.`);
  }
  return {
    kind: 'app',
    tenantId: t.tid,
    userId: t.oid,
    clientAppId: t.clientAppId.toLowerCase(),
    displayName: typeof payload.app_displayname === 'string' ? payload.app_displayname : `Application ${t.clientAppId}`,
    // Only the application role this API defines: whatever else an app-only token lists
    // (EngagementAdmin cannot be granted to an app, and would mean nothing here) is dropped.
    roles: [APP_READ_ROLE],
    isAdmin: false,
    token: t.token,
  };
}

function describeJoseError(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return 'The sign-in token has expired; sign in again.';
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.reason === 'missing') return `The token has no ${e.claim} claim; sign in through Teams to get a complete token.`;
    if (e.claim === 'aud') return 'The token was issued for a different application (audience mismatch).';
    if (e.claim === 'nbf') return 'The token is not valid yet.';
    if (e.claim === 'iat') return 'The token says it was issued in the future; check the device clock and sign in again.';
    return `The token's ${e.claim} claim is not valid.`;
  }
  if (e instanceof joseErrors.JWSSignatureVerificationFailed || e instanceof joseErrors.JWKSNoMatchingKey) {
    return 'The token signature could not be verified with the identity provider keys.';
  }
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return 'The token is not signed with RS256.';
  if (e instanceof joseErrors.JWTInvalid || e instanceof joseErrors.JWSInvalid) return 'The bearer token is malformed.';
  return 'The bearer token is not valid.';
}
