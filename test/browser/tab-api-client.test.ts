import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type TokenSource } from '../../addin/src/platform/api/api-client';
import { ApiProblem, clientProblemCodes } from '../../addin/src/platform/api/api-problem';
import { createStandaloneTokenSource, sessionStorageKey, type SessionStore } from '../../addin/src/platform/auth/standalone-token-source';
import { createTeamsTokenSource, ssoFailedCode } from '../../addin/src/platform/auth/teams-token-source';

/**
 * The tab's API client against a real HTTP server on loopback: what it sends, how it reads
 * problem documents, and its single token re-acquisition after a 401.
 */

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
const seen: Array<{ method: string; url: string; authorization?: string; body: string }> = [];

function problem(res: ServerResponse, status: number, doc: Record<string, unknown>) {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', status, ...doc }));
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** A token source that hands out `t1`, `t2`, … and counts forced refreshes. */
function countingTokens(): TokenSource & { refreshes: number } {
  let n = 1;
  const source = {
    refreshes: 0,
    async getToken({ forceRefresh }: { forceRefresh: boolean }) {
      if (forceRefresh) {
        source.refreshes++;
        n++;
      }
      return `t${n}`;
    },
  };
  return source;
}

class MemoryStore implements SessionStore {
  readonly data = new Map<string, string>();
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        body,
      });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
  handler = (_req, res) => json(res, 200, { items: [] });
});

describe('createApiClient', () => {
  it('when a protected endpoint is called, then the bearer token from the source is sent', async () => {
    handler = (_req, res) => json(res, 200, { tenantId: 't', userId: 'u', displayName: 'Ada', roles: [], isAdmin: false });
    const api = createApiClient({ baseUrl, tokenSource: countingTokens() });
    const me = await api.getMe();
    expect(me.displayName).toBe('Ada');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/api/me', authorization: 'Bearer t1' });
  });

  it('when a public endpoint is called, then no Authorization header is sent', async () => {
    handler = (_req, res) => json(res, 200, { clientId: 'c', appIdUri: 'api://c', devSignIn: true });
    const tokens = countingTokens();
    const api = createApiClient({ baseUrl, tokenSource: tokens });
    expect((await api.getPublicConfig()).devSignIn).toBe(true);
    expect(seen[0]!.authorization).toBeUndefined();
  });

  it('when dev sign-in is posted, then the body is JSON with tenant and user ids', async () => {
    handler = (_req, res) => json(res, 200, { accessToken: 'a', expiresOn: '2030-01-01T00:00:00Z' });
    const api = createApiClient({ baseUrl });
    await api.devSignIn('tenant-1', 'user-9');
    expect(seen[0]!.method).toBe('POST');
    expect(JSON.parse(seen[0]!.body)).toEqual({ tenantId: 'tenant-1', userId: 'user-9' });
  });

  it('when searching accounts, then the search text is URL-encoded', async () => {
    handler = (_req, res) => json(res, 200, { items: [], total: 0 });
    const api = createApiClient({ baseUrl, tokenSource: countingTokens() });
    await api.listAccounts('A&B co/ä');
    expect(seen[0]!.url).toBe('/api/accounts?search=A%26B%20co%2F%C3%A4');
  });

  it('when the API answers with a problem document, then an ApiProblem carries its fields', async () => {
    handler = (_req, res) =>
      problem(res, 403, { title: 'Consent required', detail: 'An admin must consent.', code: 'consent-required' });
    const api = createApiClient({ baseUrl, tokenSource: countingTokens() });
    const error = await api.getTenant().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    expect(error).toMatchObject({ status: 403, title: 'Consent required', detail: 'An admin must consent.', code: 'consent-required' });
  });

  it('when an error has no problem document, then the status text fills title and detail', async () => {
    handler = (_req, res) => {
      res.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' });
      res.end('<h1>proxy error</h1>');
    };
    const api = createApiClient({ baseUrl, tokenSource: countingTokens() });
    const error = (await api.listSegments().catch((e: unknown) => e)) as ApiProblem;
    expect(error).toMatchObject({ status: 502, title: 'Bad Gateway', detail: 'Bad Gateway' });
    expect(error.code).toBeUndefined();
  });

  it('when the first call gets 401, then the token is re-acquired once and the call retried', async () => {
    handler = (req, res) =>
      req.headers.authorization === 'Bearer t2'
        ? json(res, 200, { items: [{ id: 's1', name: 'Quiet accounts', count: 3 }] })
        : problem(res, 401, { title: 'Unauthorized', detail: 'Token expired.' });
    const tokens = countingTokens();
    let unauthorized = 0;
    const api = createApiClient({ baseUrl, tokenSource: tokens, onUnauthorized: () => unauthorized++ });
    const segments = await api.listSegments();
    expect(segments.items[0]!.name).toBe('Quiet accounts');
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
    expect(tokens.refreshes).toBe(1);
    expect(unauthorized).toBe(0);
  });

  it('when the retried call also gets 401, then it stops after one retry and reports the session as over', async () => {
    handler = (_req, res) => problem(res, 401, { title: 'Unauthorized', detail: 'Signature invalid.' });
    const tokens = countingTokens();
    const reported: ApiProblem[] = [];
    const api = createApiClient({ baseUrl, tokenSource: tokens, onUnauthorized: (p) => reported.push(p) });
    const error = (await api.getMe().catch((e: unknown) => e)) as ApiProblem;
    expect(error.status).toBe(401);
    expect(seen).toHaveLength(2);
    expect(tokens.refreshes).toBe(1);
    expect(reported.map((p) => p.detail)).toEqual(['Signature invalid.']);
  });

  it('when the service cannot be reached, then a network ApiProblem is thrown', async () => {
    const api = createApiClient({ baseUrl: 'http://127.0.0.1:1', tokenSource: countingTokens() });
    const error = (await api.getMe().catch((e: unknown) => e)) as ApiProblem;
    expect(error).toBeInstanceOf(ApiProblem);
    expect(error.status).toBe(0);
    expect(error.code).toBe(clientProblemCodes.network);
  });
});

describe('createStandaloneTokenSource', () => {
  const future = '2099-01-01T00:00:00.000Z';

  it('when a dev sign-in is saved, then the token is kept in the session store and returned', async () => {
    const store = new MemoryStore();
    const tokens = createStandaloneTokenSource({ store, signIn: async () => ({ accessToken: 'never', expiresOn: future }) });
    tokens.save('t', 'u', { accessToken: 'tok-1', expiresOn: future });
    expect(JSON.parse(store.getItem(sessionStorageKey)!)).toMatchObject({ accessToken: 'tok-1', tenantId: 't', userId: 'u' });
    expect(await tokens.getToken({ forceRefresh: false })).toBe('tok-1');
  });

  it('when a new page loads with a stored session, then that session is picked up', async () => {
    const store = new MemoryStore();
    store.setItem(sessionStorageKey, JSON.stringify({ accessToken: 'kept', expiresOn: future, tenantId: 't', userId: 'u' }));
    const tokens = createStandaloneTokenSource({ store, signIn: async () => ({ accessToken: 'x', expiresOn: future }) });
    expect(await tokens.getToken({ forceRefresh: false })).toBe('kept');
  });

  it('when the token is about to expire or a refresh is forced, then it signs in again as the same person', async () => {
    const store = new MemoryStore();
    const calls: string[] = [];
    let n = 0;
    const tokens = createStandaloneTokenSource({
      store,
      now: () => Date.parse('2026-01-01T00:00:00Z'),
      signIn: async (tenantId, userId) => {
        calls.push(`${tenantId}/${userId}`);
        return { accessToken: `fresh-${++n}`, expiresOn: future };
      },
    });
    tokens.save('t', 'u', { accessToken: 'old', expiresOn: '2026-01-01T00:00:30Z' });
    expect(await tokens.getToken({ forceRefresh: false })).toBe('fresh-1');
    expect(await tokens.getToken({ forceRefresh: false })).toBe('fresh-1');
    expect(await tokens.getToken({ forceRefresh: true })).toBe('fresh-2');
    expect(calls).toEqual(['t/u', 't/u']);
    expect(JSON.parse(store.getItem(sessionStorageKey)!).accessToken).toBe('fresh-2');
  });

  it('when re-sign-in fails, then the session is cleared and no token is returned', async () => {
    const store = new MemoryStore();
    const tokens = createStandaloneTokenSource({
      store,
      signIn: async () => {
        throw new ApiProblem({ status: 400, title: 'Bad request', detail: 'Unknown persona' });
      },
    });
    tokens.save('t', 'u', { accessToken: 'old', expiresOn: future });
    expect(await tokens.getToken({ forceRefresh: true })).toBeNull();
    expect(store.getItem(sessionStorageKey)).toBeNull();
    expect(tokens.current()).toBeNull();
  });

  it('when signing out, then the stored token is removed', async () => {
    const store = new MemoryStore();
    const tokens = createStandaloneTokenSource({ store, signIn: async () => ({ accessToken: 'x', expiresOn: future }) });
    tokens.save('t', 'u', { accessToken: 'tok', expiresOn: future });
    tokens.clear();
    expect(store.data.size).toBe(0);
    expect(await tokens.getToken({ forceRefresh: false })).toBeNull();
  });
});

describe('createTeamsTokenSource', () => {
  it('when asked twice, then teams-js is asked twice (nothing is cached by the tab)', async () => {
    let calls = 0;
    const tokens = createTeamsTokenSource(async () => `sso-${++calls}`);
    expect(await tokens.getToken({ forceRefresh: false })).toBe('sso-1');
    expect(await tokens.getToken({ forceRefresh: true })).toBe('sso-2');
  });

  it('when teams-js rejects with a string, then an ApiProblem with the SSO code is thrown', async () => {
    const tokens = createTeamsTokenSource(() => Promise.reject('resourceRequiresConsent'));
    const error = (await tokens.getToken({ forceRefresh: false }).catch((e: unknown) => e)) as ApiProblem;
    expect(error).toBeInstanceOf(ApiProblem);
    expect(error).toMatchObject({ status: 401, code: ssoFailedCode, detail: 'resourceRequiresConsent' });
  });
});
