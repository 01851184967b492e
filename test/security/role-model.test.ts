import fs from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOperation, expectProblem, openApiOperations, sellerBodies, startSecurityWorld, type OpenApiOperation, type SecurityWorld } from './security-support';

/**
 * The role model, generated from /api/openapi.json: every operation declares who may call it
 * (x-access), a seller's call is checked against that declaration operation by operation, and the
 * README's table must say the same. A new route cannot skip any of this: it is in the document.
 */
let w: SecurityWorld;
let ops: OpenApiOperation[];

beforeAll(async () => {
  w = await startSecurityWorld('sec_roles');
  ops = await openApiOperations(w.baseUrl);
});
afterAll(async () => w?.close());

const call = (op: OpenApiOperation, token: string | null, body?: unknown) => callOperation(w, op, token, body);

describe('the role model, operation by operation from the OpenAPI document', () => {
  it('when the document is read, then every operation declares public, user or admin access', () => {
    expect(ops.length).toBeGreaterThan(40);
    for (const op of ops) expect(['public', 'user', 'admin'], `${op.method} ${op.path}`).toContain(op.access);
  });

  it('when a seller calls each admin operation, then it is a 403 problem and nothing else happens', async () => {
    const admin = ops.filter((o) => o.access === 'admin');
    expect(admin.length).toBeGreaterThan(20);
    for (const op of admin) {
      const res = await call(op, w.seller, op.hasBody ? {} : undefined);
      expect(res.status, `${op.method} ${op.path}`).toBe(403);
      expectProblem(res, `${op.method} ${op.path}`);
      expect(res.body.code).toBe('forbidden');
    }
  });

  it('when a seller calls each user operation with real ids, then it answers with data', async () => {
    const user = ops.filter((o) => o.access === 'user');
    for (const op of user) {
      const key = `${op.method} ${op.path}`;
      if (op.hasBody) expect(sellerBodies, `a valid seller body for ${key}`).toHaveProperty([key]);
      const res = await call(op, w.seller, op.hasBody ? sellerBodies[key] : undefined);
      expect(res.status, `${key}: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(200);
      expect(res.status, `${key}: ${res.text.slice(0, 200)}`).toBeLessThan(300);
    }
  });

  it('when an admin calls each admin read with real ids, then it answers (the 403s above are about the role, not the ids)', async () => {
    for (const op of ops.filter((o) => o.access === 'admin' && o.method === 'get')) {
      const res = await call(op, w.admin);
      expect(res.status, `${op.method} ${op.path}: ${res.text.slice(0, 200)}`).toBeLessThan(300);
    }
  });

  it('when each non-public operation is called without a token, then it is a 401 problem; public ones answer without one', async () => {
    for (const op of ops) {
      const res = await call(op, null);
      if (op.access === 'public') expect([401, 403], `${op.method} ${op.path}`).not.toContain(res.status);
      else {
        expect(res.status, `${op.method} ${op.path}`).toBe(401);
        expectProblem(res, `${op.method} ${op.path}`);
      }
    }
  });

  it('when a seller lists enrichments, then only the name and last refresh come back, never the configuration', async () => {
    const res = await request(w.baseUrl).get('/api/results').set('authorization', `Bearer ${w.seller}`).expect(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: w.ids.enrichmentId, name: expect.any(String), lastRefreshAt: expect.any(String), dataAsOf: '2026-03-02T00:00:00.000Z' }),
    ]);
    expect(Object.keys(res.body.items[0]).sort()).toEqual(['dataAsOf', 'entityName', 'id', 'lastRefreshAt', 'name']);
  });

  it('when the README is read, then its role table lists exactly the operations of the document with the same access', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Who can do what'));
    const rows = [...section.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| (public|seller|admin) \|/gm)].map((m) => `${m[1]!.toLowerCase()} ${m[2]} ${m[3]}`);
    const documented = ops.map((o) => `${o.method} ${o.path} ${o.access === 'user' ? 'seller' : o.access}`);
    expect(rows.sort()).toEqual(documented.sort());
  });
});
