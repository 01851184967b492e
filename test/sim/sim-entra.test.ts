import { ConfidentialClientApplication } from '@azure/msal-node';
import { SignJWT, createRemoteJWKSet, decodeJwt, generateKeyPair, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { IDS } from './sim-test-tenant';
import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, TENANT_ID, UNCONSENTED_TENANT_ID, appToken, control, graph, startTestSimulator, tokenRequest } from './sim-test-helpers';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim?.close();
});

async function ssoToken(persona: string): Promise<string> {
  const r = await control(sim, '/dev/sso-token', { tenantId: TENANT_ID, persona });
  expect(r.status).toBe(200);
  return r.body.accessToken;
}

function msalClient(tenant: string) {
  return new ConfidentialClientApplication({
    auth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, authority: `${sim.url}/${tenant}`, knownAuthorities: [sim.authorityHost] },
  });
}

describe('OpenID configuration and keys', () => {
  it('when the tenant configuration is read, then issuer, endpoints and region match the tenant', async () => {
    const cfg = await (await fetch(`${sim.url}/${TENANT_ID}/v2.0/.well-known/openid-configuration`)).json();
    expect(cfg.issuer).toBe(`${sim.url}/${TENANT_ID}/v2.0`);
    expect(cfg.token_endpoint).toBe(`${sim.url}/${TENANT_ID}/oauth2/v2.0/token`);
    expect(cfg.jwks_uri).toBe(`${sim.url}/${TENANT_ID}/discovery/v2.0/keys`);
    expect(cfg.tenant_region_scope).toBe('EU'); // GB
    const us = await (await fetch(`${sim.url}/${UNCONSENTED_TENANT_ID}/v2.0/.well-known/openid-configuration`)).json();
    expect(us.tenant_region_scope).toBe('NA');
    const common = await (await fetch(`${sim.url}/common/v2.0/.well-known/openid-configuration`)).json();
    expect(common.issuer).toBe(`${sim.url}/{tenantid}/v2.0`);
  });

  it('when an unknown tenant is asked for, then Entra answers AADSTS90002', async () => {
    const res = await fetch(`${sim.url}/00000000-0000-4000-8000-000000000000/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error_codes).toEqual([90002]);
    expect(body).toHaveProperty('trace_id');
    expect(body).toHaveProperty('correlation_id');
  });

  it('when an SSO token is verified against the published JWKS, then signature and claims check out', async () => {
    const token = await ssoToken('enrichmentAdmin');
    const jwks = createRemoteJWKSet(new URL(`${sim.url}/common/discovery/v2.0/keys`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { audience: CLIENT_ID, issuer: `${sim.url}/${TENANT_ID}/v2.0`, algorithms: ['RS256'] });
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload).toMatchObject({ tid: TENANT_ID, oid: IDS.enrichAdmin, scp: 'access_as_user', ver: '2.0', roles: ['EngagementAdmin'], azp: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346' });
    expect((payload.exp as number) - (payload.iat as number)).toBe(3600);
    const seller = decodeJwt(await ssoToken('seller'));
    expect(seller).not.toHaveProperty('roles');
  });
});

describe('client credentials', () => {
  it('when the tenant has consented, then MSAL gets a Graph app token with the granted roles', async () => {
    const result = await msalClient(TENANT_ID).acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    const claims = decodeJwt(result!.accessToken);
    expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', iss: `https://sts.windows.net/${TENANT_ID}/`, tid: TENANT_ID, appid: CLIENT_ID, idtyp: 'app' });
    expect(claims.roles).toEqual(expect.arrayContaining(['Mail.ReadBasic.All', 'Calendars.ReadBasic.All', 'User.Read.All']));
  });

  it('when the tenant has not consented, then the token request fails with AADSTS700016, and succeeds after consent', async () => {
    const before = await tokenRequest(sim, UNCONSENTED_TENANT_ID, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, scope: 'https://graph.microsoft.com/.default' });
    expect(before.status).toBe(400);
    expect(before.body.error).toBe('unauthorized_client');
    expect(before.body.error_codes).toEqual([700016]);
    expect(String(before.body.error_description)).toMatch(/^AADSTS700016: Application with identifier/);

    await control(sim, `/tenants/${UNCONSENTED_TENANT_ID}/consent/grant`, {});
    try {
      const token = await appToken(sim, UNCONSENTED_TENANT_ID);
      expect(decodeJwt(token).roles).toContain('Organization.Read.All');
    } finally {
      await control(sim, `/tenants/${UNCONSENTED_TENANT_ID}/consent/revoke`, {});
    }
    expect(sim.tenant(UNCONSENTED_TENANT_ID).consent.granted).toBe(false);
  });

  it('when the secret is wrong or the tenant unknown, then Entra refuses with its codes', async () => {
    const wrong = await tokenRequest(sim, TENANT_ID, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: 'nope', scope: 'https://graph.microsoft.com/.default' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error_codes).toEqual([7000215]);
    const unknown = await tokenRequest(sim, '00000000-0000-4000-8000-000000000000', { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, scope: 'https://graph.microsoft.com/.default' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error_codes).toEqual([90002]);
    const notDefault = await tokenRequest(sim, TENANT_ID, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, scope: 'https://graph.microsoft.com/User.Read.All' });
    expect(notDefault.body.error).toBe('invalid_scope');
  });
});

describe('on-behalf-of', () => {
  it('when MSAL exchanges an SSO token, then the delegated Graph token carries the user and the requested scopes', async () => {
    const assertion = await ssoToken('seller');
    const result = await msalClient(TENANT_ID).acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: ['https://graph.microsoft.com/User.Read', 'https://graph.microsoft.com/Mail.Send'] });
    const claims = decodeJwt(result!.accessToken);
    expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', tid: TENANT_ID, oid: IDS.seller, idtyp: 'user' });
    expect(String(claims.scp).split(' ')).toEqual(expect.arrayContaining(['User.Read', 'Mail.Send']));
    const me = await graph(sim, result!.accessToken, '/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(IDS.seller);
  });

  it('when an admin-only scope is asked for without admin consent, then the exchange needs consent (AADSTS65001)', async () => {
    const other = await startTestSimulator({ tenants: [(await import('./sim-test-tenant')).buildTestTenant({ consentGranted: false })] });
    try {
      const sso = await fetch(`${other.url}/_sim/dev/sso-token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenantId: TENANT_ID, persona: 'seller' }) });
      const { accessToken } = await sso.json();
      const form = { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', requested_token_use: 'on_behalf_of', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, assertion: accessToken };
      const denied = await tokenRequest(other, TENANT_ID, { ...form, scope: 'https://graph.microsoft.com/Directory.Read.All' });
      expect(denied.status).toBe(400);
      expect(denied.body).toMatchObject({ error: 'invalid_grant', error_codes: [65001], suberror: 'consent_required' });
      const dflt = await tokenRequest(other, TENANT_ID, { ...form, scope: 'https://graph.microsoft.com/.default' });
      expect(dflt.status).toBe(200);
      const scp = String(decodeJwt(dflt.body.access_token as string).scp).split(' ');
      expect(scp).toContain('User.ReadBasic.All');
      expect(scp).not.toContain('Directory.Read.All');
    } finally {
      await other.close();
    }
  });

  it('when the assertion is forged, then the exchange fails with invalid_grant AADSTS50013', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ tid: TENANT_ID, oid: IDS.seller, scp: 'access_as_user', ver: '2.0' })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setAudience(CLIENT_ID)
      .setIssuer(`${sim.url}/${TENANT_ID}/v2.0`)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    const r = await tokenRequest(sim, TENANT_ID, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', requested_token_use: 'on_behalf_of', client_id: CLIENT_ID, client_secret: CLIENT_SECRET,
      assertion: forged, scope: 'https://graph.microsoft.com/User.Read',
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'invalid_grant', error_codes: [50013] });
    // The same forged token is not accepted by Graph either.
    const g = await graph(sim, forged, '/me');
    expect(g.status).toBe(401);
    expect(g.body.error.code).toBe('InvalidAuthenticationToken');
  });
});

describe('admin consent', () => {
  const consentUrl = (tenant: string, redirect = REDIRECT_URI) =>
    `${sim.url}/${tenant}/v2.0/adminconsent?client_id=${CLIENT_ID}&scope=${encodeURIComponent('https://graph.microsoft.com/.default')}&redirect_uri=${encodeURIComponent(redirect)}&state=xyz`;
  const decide = (tenant: string, decision: string, userId: string) =>
    fetch(`${sim.url}/${tenant}/v2.0/adminconsent`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ client_id: CLIENT_ID, scope: 'https://graph.microsoft.com/.default', redirect_uri: REDIRECT_URI, state: 'xyz', decision, userId }),
    });

  it('when a Global Administrator approves, then consent is granted and the browser is sent back with admin_consent=True', async () => {
    const page = await fetch(consentUrl(UNCONSENTED_TENANT_ID));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Mail.ReadBasic.All');
    try {
      const res = await decide(UNCONSENTED_TENANT_ID, 'approve', IDS.admin);
      expect(res.status).toBe(302);
      const loc = new URL(res.headers.get('location')!);
      expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT_URI);
      expect(loc.searchParams.get('admin_consent')).toBe('True');
      expect(loc.searchParams.get('tenant')).toBe(UNCONSENTED_TENANT_ID);
      expect(loc.searchParams.get('state')).toBe('xyz');
      expect(loc.searchParams.get('error')).toBeNull();
      expect(sim.tenant(UNCONSENTED_TENANT_ID).consent).toMatchObject({ granted: true, grantedBy: IDS.admin });
    } finally {
      sim.tenant(UNCONSENTED_TENANT_ID).revokeConsent();
    }
  });

  it('when the admin cancels, then the redirect carries access_denied (and still admin_consent=True) and nothing is granted', async () => {
    const res = await decide(UNCONSENTED_TENANT_ID, 'deny', IDS.admin);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.get('error_description')).toMatch(/^AADSTS65004/);
    expect(loc.searchParams.get('admin_consent')).toBe('True');
    expect(sim.tenant(UNCONSENTED_TENANT_ID).consent.granted).toBe(false);
  });

  it('when a non-admin approves, then an admin-approval-required page is shown and nothing is granted', async () => {
    const res = await decide(UNCONSENTED_TENANT_ID, 'approve', IDS.seller);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('AADSTS90094');
    expect(sim.tenant(UNCONSENTED_TENANT_ID).consent.granted).toBe(false);
  });

  it('when the redirect URI is not registered or the tenant is common, then an error page is shown without a redirect', async () => {
    const res = await fetch(consentUrl(UNCONSENTED_TENANT_ID, 'https://evil.example/cb'), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('AADSTS50011');
    const common = await fetch(consentUrl('common'), { redirect: 'manual' });
    expect(common.status).toBe(400);
    expect(common.headers.get('location')).toBeNull();
  });
});

describe('dev sign-in (implicit)', () => {
  it('when a persona is chosen, then the browser is redirected with an SSO token in the fragment', async () => {
    const q = new URLSearchParams({ client_id: CLIENT_ID, response_type: 'token', redirect_uri: REDIRECT_URI, scope: `api://localhost/${CLIENT_ID}/access_as_user`, state: 's1' });
    const page = await fetch(`${sim.url}/${TENANT_ID}/oauth2/v2.0/authorize?${q}`);
    expect(await page.text()).toContain('Eli Enrich');
    const res = await fetch(`${sim.url}/${TENANT_ID}/oauth2/v2.0/authorize`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ ...Object.fromEntries(q), userId: IDS.enrichAdmin }) });
    expect(res.status).toBe(302);
    const fragment = new URLSearchParams(new URL(res.headers.get('location')!).hash.slice(1));
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(fragment.get('expires_in')).toBe('3599');
    expect(fragment.get('state')).toBe('s1');
    expect(decodeJwt(fragment.get('access_token')!)).toMatchObject({ oid: IDS.enrichAdmin, aud: CLIENT_ID, roles: ['EngagementAdmin'] });
  });
});
