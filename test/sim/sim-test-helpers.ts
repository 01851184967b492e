import path from 'node:path';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator/src/simulator';
import type { TenantSpec } from '../../simulator/src/tenant/tenant.types';
import { buildTestTenant } from './sim-test-tenant';

export const CLIENT_ID = '99999999-aaaa-4bbb-8ccc-dddddddddddd';
export const CLIENT_SECRET = 'test-secret';
export const REDIRECT_URI = 'https://localhost:4443/api/consent/callback';
export const TENANT_ID = 'c0000000-0000-4000-8000-0000000000c1';
export const UNCONSENTED_TENANT_ID = 'c0000000-0000-4000-8000-0000000000c2';

export function stateDir(): string {
  return path.resolve(process.env.SIM_STATE_DIR ?? '.data/test-sim');
}

/** A simulator with two hand-built tenants: Northwind (consented) and Litware (not). */
export function startTestSimulator(extra: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  return startSimulator({
    stateDir: stateDir(),
    tenants: [
      buildTestTenant(),
      buildTestTenant({ tenantId: UNCONSENTED_TENANT_ID, slug: 'litware', displayName: 'Litware', consentGranted: false, countryLetterCode: 'US' }),
    ],
    clientApp: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] },
    ...extra,
  });
}

/** A simulator serving one generated tenant, with an app token for it (tests of generated tenants). */
export async function startSpecSimulator(spec: TenantSpec): Promise<{ sim: RunningSimulator; token: string }> {
  const sim = await startSimulator({ stateDir: stateDir(), tenants: [spec], clientApp: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] } });
  return { sim, token: await appToken(sim, spec.tenantId) };
}

export async function tokenRequest(sim: RunningSimulator, tenant: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function appToken(sim: RunningSimulator, tenant = TENANT_ID): Promise<string> {
  const { status, body } = await tokenRequest(sim, tenant, {
    grant_type: 'client_credentials',
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    scope: 'https://graph.microsoft.com/.default',
  });
  if (status !== 200) throw new Error(`token request failed: ${status} ${JSON.stringify(body)}`);
  return body.access_token as string;
}

export interface GraphResult {
  status: number;
  headers: Headers;
  body: any;
}

export async function graph(sim: RunningSimulator, token: string, pathOrUrl: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<GraphResult> {
  const url = pathOrUrl.startsWith('https://') ? pathOrUrl : `${sim.url}/v1.0${pathOrUrl}`;
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Follows @odata.nextLink to the end; returns every item and the final page (with deltaLink). */
export async function followPages(sim: RunningSimulator, token: string, first: string, headers: Record<string, string> = {}) {
  const items: any[] = [];
  let url: string | undefined = first;
  let last: any;
  let pages = 0;
  while (url) {
    const r = await graph(sim, token, url, { headers });
    if (r.status !== 200) throw new Error(`page ${pages} failed: ${r.status} ${JSON.stringify(r.body)}`);
    items.push(...r.body.value);
    last = r.body;
    url = r.body['@odata.nextLink'];
    pages++;
  }
  return { items, last, pages };
}

export async function control(sim: RunningSimulator, pathName: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sim.url}/_sim${pathName}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Resolves once `condition` holds (polled); the deadline only stops a test that would hang. */
export async function waitFor(condition: () => boolean, deadlineMs = 30_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('the awaited state was not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}
