import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../api/src/platform/errors/app-error';
import { createTokenValidator, type TokenValidator } from '../../api/src/platform/auth/token-validator';

const AUTHORITY = 'https://login.example.test';
const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const APP_ID_URI = `api://localhost/${CLIENT_ID}`;
const TENANT = 'aaaaaaaa-1111-4111-8111-111111111111';
const OTHER_TENANT = 'bbbbbbbb-2222-4222-8222-222222222222';
const USER = 'cccccccc-3333-4333-8333-333333333333';

let signingKey: CryptoKey;
let strangerKey: CryptoKey;
let jwks: { keys: JWK[] };

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
});

function validator(allowedTenants: string[] = []): TokenValidator {
  return createTokenValidator({ authorityHost: AUTHORITY, clientId: CLIENT_ID, appIdUri: APP_ID_URI, allowedTenants, keys: createLocalJWKSet(jwks) });
}

interface TokenOptions {
  claims?: Record<string, unknown>;
  key?: CryptoKey;
  audience?: string;
  issuer?: string;
  expiresIn?: string | number;
}

async function token(o: TokenOptions = {}): Promise<string> {
  const tid = (o.claims?.tid as string | undefined) ?? TENANT;
  return new SignJWT({ tid, oid: USER, scp: 'access_as_user', name: 'Megan Bowen', ver: '2.0', roles: ['EngagementAdmin'], ...o.claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(o.issuer ?? `${AUTHORITY}/${tid}/v2.0`)
    .setAudience(o.audience ?? CLIENT_ID)
    .setIssuedAt()
    .setExpirationTime(o.expiresIn ?? '1h')
    .sign(o.key ?? signingKey);
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('createTokenValidator', () => {
  it('when the token is good, then the principal carries tenant, user and admin role', async () => {
    const p = await validator()(await token());
    expect(p).toMatchObject({ tenantId: TENANT, userId: USER, displayName: 'Megan Bowen', isAdmin: true, roles: ['EngagementAdmin'] });
  });

  it('when the audience is the App ID URI, then it is accepted too', async () => {
    await expect(validator()(await token({ audience: APP_ID_URI }))).resolves.toMatchObject({ tenantId: TENANT });
  });

  it('when the user has no app role, then they are a seller', async () => {
    const p = await validator()(await token({ claims: { roles: undefined } }));
    expect(p.isAdmin).toBe(false);
    expect(p.roles).toEqual([]);
  });

  it('when the token has expired, then it is refused as unauthenticated with a sign-in hint', async () => {
    const e = await refusal(validator()(await token({ expiresIn: Math.floor(Date.now() / 1000) - 600 })));
    expect(e.code).toBe('unauthenticated');
    expect(e.detail).toMatch(/expired/);
  });

  it('when the token is for another application, then the audience mismatch is named', async () => {
    const e = await refusal(validator()(await token({ audience: '99999999-2222-4333-8444-555555555555' })));
    expect(e.code).toBe('unauthenticated');
    expect(e.detail).toMatch(/audience/);
  });

  it('when the issuer is not the authority, then it is refused', async () => {
    const e = await refusal(validator()(await token({ issuer: `https://evil.example/${TENANT}/v2.0` })));
    expect(e.detail).toMatch(/not issued by the trusted identity provider/);
  });

  it("when the issuer names another tenant than tid, then it is refused", async () => {
    const e = await refusal(validator()(await token({ issuer: `${AUTHORITY}/${OTHER_TENANT}/v2.0` })));
    expect(e.code).toBe('unauthenticated');
  });

  it('when the tenant is not on the allow-list, then it is forbidden', async () => {
    const e = await refusal(validator([OTHER_TENANT])(await token()));
    expect(e.code).toBe('forbidden');
  });

  it('when a tenant on the allow-list calls, then it passes', async () => {
    const t = await token({ claims: { tid: OTHER_TENANT } });
    await expect(validator([OTHER_TENANT])(t)).resolves.toMatchObject({ tenantId: OTHER_TENANT });
  });

  it('when the signature comes from another key, then it is refused', async () => {
    const e = await refusal(validator()(await token({ key: strangerKey })));
    expect(e.detail).toMatch(/signature/);
  });

  it('when the token lacks the access_as_user scope, then it is refused', async () => {
    const e = await refusal(validator()(await token({ claims: { scp: 'User.Read' } })));
    expect(e.detail).toMatch(/access_as_user/);
  });

  it('when the token is HS256-signed, then the algorithm is refused', async () => {
    const t = await new SignJWT({ tid: TENANT, oid: USER, scp: 'access_as_user' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(`${AUTHORITY}/${TENANT}/v2.0`)
      .setAudience(CLIENT_ID)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-of-enough-length!!'));
    const e = await refusal(validator()(t));
    expect(e.code).toBe('unauthenticated');
  });

  /** A token signed with the trusted key whose time claims are exactly `times` (absent ones absent). */
  async function timed(times: { exp?: number; iat?: number; nbf?: number }): Promise<string> {
    return new SignJWT({ tid: TENANT, oid: USER, scp: 'access_as_user', ver: '2.0', ...times })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(`${AUTHORITY}/${TENANT}/v2.0`)
      .setAudience(CLIENT_ID)
      .sign(signingKey);
  }
  const now = () => Math.floor(Date.now() / 1000);
  const TEN_YEARS = 10 * 365 * 86_400;

  it('when a correctly signed token has no exp, then it is refused: it would be valid forever', async () => {
    const e = await refusal(validator()(await timed({ iat: now() })));
    expect(e.code).toBe('unauthenticated');
    expect(e.detail).toMatch(/no exp claim/);
  });

  it('when iat or nbf lies in the future beyond a minute of skew, then it is refused; within the skew it passes', async () => {
    const ahead = await refusal(validator()(await timed({ iat: now() + TEN_YEARS, exp: now() + TEN_YEARS + 3600 })));
    expect(ahead.detail).toMatch(/issued in the future/);
    const notYet = await refusal(validator()(await timed({ iat: now(), nbf: now() + 600, exp: now() + 3600 })));
    expect(notYet.detail).toMatch(/not valid yet/);
    await expect(validator()(await timed({ iat: now() + 30, nbf: now() + 30, exp: now() + 3600 }))).resolves.toMatchObject({ tenantId: TENANT });
  });

  it('when a token has no iat, or was issued more than a day ago, then it is refused', async () => {
    expect((await refusal(validator()(await timed({ exp: now() + 3600 })))).detail).toMatch(/no iat claim/);
    expect((await refusal(validator()(await timed({ iat: now() - 2 * 86_400, exp: now() + 3600 })))).detail).toMatch(/expired/);
  });

  it('when the token is garbage, then it is refused as malformed', async () => {
    const e = await refusal(validator()('not.a.jwt'));
    expect(e.code).toBe('unauthenticated');
  });
});

describe('app-only tokens (client credentials)', () => {
  const SERVICE_PRINCIPAL = 'dddddddd-4444-4444-8444-444444444444';
  const CALLER_APP = '66666666-7777-4888-9999-000000000001';
  /** What Entra issues to another app for this API: v2, no scp, the granted application roles, idtyp=app. */
  const appClaims = (extra: Record<string, unknown> = {}) => ({ claims: { scp: undefined, name: undefined, idtyp: 'app', oid: SERVICE_PRINCIPAL, azp: CALLER_APP, roles: ['EngagementData.Read.All'], ...extra } });

  it('when an app-only token carries EngagementData.Read.All, then the principal is an app, never an admin', async () => {
    const p = await validator()(await token(appClaims()));
    expect(p).toMatchObject({ kind: 'app', tenantId: TENANT, userId: SERVICE_PRINCIPAL, clientAppId: CALLER_APP, isAdmin: false, roles: ['EngagementData.Read.All'] });
  });

  it('when an app-only token also lists EngagementAdmin, then it is still not an admin and the role is dropped', async () => {
    const p = await validator()(await token(appClaims({ roles: ['EngagementData.Read.All', 'EngagementAdmin'] })));
    expect(p).toMatchObject({ kind: 'app', isAdmin: false, roles: ['EngagementData.Read.All'] });
  });

  it('when an app-only token lacks the role, then it is a 403 naming EngagementData.Read.All', async () => {
    const e = await refusal(validator()(await token(appClaims({ roles: [] }))));
    expect(e.code).toBe('forbidden');
    expect(e.detail).toContain('EngagementData.Read.All');
  });

  it('when a token says idtyp=app but carries a delegated scope, then it is refused', async () => {
    const e = await refusal(validator()(await token(appClaims({ scp: 'access_as_user' }))));
    expect(e.code).toBe('unauthenticated');
  });

  it('when an app-only token has the role but not idtyp=app, then it is refused as a delegated token without the scope', async () => {
    const e = await refusal(validator()(await token(appClaims({ idtyp: undefined }))));
    expect(e.code).toBe('unauthenticated');
    expect(e.detail).toContain('access_as_user');
  });

  it('when an app-only token fails the rules delegated tokens follow (issuer, audience, signature, tenant list), then it is refused the same way', async () => {
    expect((await refusal(validator()(await token({ ...appClaims(), issuer: `${AUTHORITY}/${OTHER_TENANT}/v2.0` })))).code).toBe('unauthenticated');
    expect((await refusal(validator()(await token({ ...appClaims(), audience: 'https://graph.microsoft.com' })))).code).toBe('unauthenticated');
    expect((await refusal(validator()(await token({ ...appClaims(), key: strangerKey })))).code).toBe('unauthenticated');
    expect((await refusal(validator([OTHER_TENANT])(await token(appClaims())))).code).toBe('forbidden');
  });

  it('when an app-only token names no calling app or service principal, then it is refused', async () => {
    expect((await refusal(validator()(await token(appClaims({ azp: undefined }))))).code).toBe('unauthenticated');
    expect((await refusal(validator()(await token(appClaims({ oid: 'not-a-guid' }))))).code).toBe('unauthenticated');
  });
});
