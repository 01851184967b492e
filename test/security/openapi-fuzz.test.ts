import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DANGEROUS_CELL, fillPath, openApiOperations, paramValues, snapshotAll, startSecurityWorld, type OpenApiOperation, type SecurityWorld } from './security-support';

/**
 * A bounded fuzz over every operation of /api/openapi.json with a fixed seed (the same requests
 * every run): each request carries at least one hostile change (no or a forged token, a seller or
 * another tenant's admin, a hostile path parameter, query or body, a wrong method or encoding).
 * Whatever comes back must be below 500, a problem document when it is an error, with the
 * security headers; no write may be accepted and no state may change; a CSV never holds a
 * formula cell; and a seller's access is exactly what the operation declares.
 */
const SEED = 0x5eed12;
const REQUESTS_PER_OPERATION = 5;

let w: SecurityWorld;
let ops: OpenApiOperation[];

beforeAll(async () => {
  w = await startSecurityWorld('sec_fuzz');
  ops = await openApiOperations(w.baseUrl);
});
afterAll(async () => w?.close());

/** xorshift32: small, fast, and the same sequence for the same seed everywhere. */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

const HOSTILE_IDS = ['%', '%ZZ', '%E0%A4%A', '%C0%AF', '..', '%2e%2e%2f', '$where', 'a.b', '%00', 'x'.repeat(300), '%7B%22%24gt%22%3A%22%22%7D', '%3Cscript%3E', '%F0%9F%98%80', 'enr_00000000000000000000000000000000'];
const HOSTILE_VALUES: unknown[] = [{ $gt: '' }, { $where: 'sleep(1000)' }, [], 'x'.repeat(5000), -1, 1e308, '', null, true, '<img src=x onerror=alert(1)>', '=cmd|\' /C calc\'!A0', '\u0000'];
const HOSTILE_QUERY = ['%', '%ZZ', 'x'.repeat(2000), '-1', '1e999', 'NaN', '[]', '{"$gt":""}', '%00', '=1+1'];
const HOSTILE_CSV = ['a,b"c\r\n1,2\r\n', '\u0000\u0001\u0002', '', `${Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',')}\r\nx\r\n`];

interface Attempt {
  strategy: string;
  method: string;
  url: string;
  token: string | null;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The status the declared access level dictates for this attempt, when it does. */
  expectStatus?: number[];
}

/** A body that the operation's schema must refuse: wrong types, a missing required field, or not JSON at all. */
function hostileJsonBody(op: OpenApiOperation, rnd: ReturnType<typeof random>): { body: string; headers: Record<string, string> } {
  const schema = ((op.op.requestBody as { content?: Record<string, { schema?: Record<string, unknown> }> } | undefined)?.content?.['application/json']?.schema ?? {}) as {
    properties?: Record<string, { type?: string }>;
    required?: string[];
  };
  const json = { 'content-type': 'application/json' };
  const kind = rnd.pick(['wrong-top-level', 'wrong-property', 'missing-required', 'unparsable', 'too-deep', 'not-gzip', 'not-json']);
  const properties = Object.keys(schema.properties ?? {});
  if (kind === 'wrong-property' && properties.length) {
    const name = rnd.pick(properties);
    const type = schema.properties![name]!.type;
    const wrong = type === 'string' ? rnd.pick([12345, { $gt: '' }, ['a']]) : type === 'number' || type === 'integer' ? rnd.pick(['1', 'NaN', { $gt: 0 }]) : type === 'boolean' ? 'yes' : rnd.pick([42, 'text']);
    return { body: JSON.stringify({ [name]: wrong }), headers: json };
  }
  if (kind === 'missing-required' && schema.required?.length) return { body: JSON.stringify({ unrelated: rnd.pick(HOSTILE_VALUES) }), headers: json };
  if (kind === 'unparsable') return { body: '{"a": [1, 2', headers: json };
  if (kind === 'too-deep') return { body: `${'{"a":'.repeat(200)}1${'}'.repeat(200)}`, headers: json };
  if (kind === 'not-gzip') return { body: '{"a":1}', headers: { ...json, 'content-encoding': 'gzip' } };
  if (kind === 'not-json') return { body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  return { body: JSON.stringify(rnd.pick([[1, 2], 'text', 42, null, true])), headers: json };
}

function attemptsFor(op: OpenApiOperation, rnd: ReturnType<typeof random>): Attempt[] {
  const values = paramValues(w);
  const real = fillPath(op.path, values);
  const upload = Boolean((op.op.requestBody as { content?: Record<string, unknown> } | undefined)?.content?.['text/csv']);
  const strategies = ['no-token', 'forged-token', 'seller', 'stranger', 'bad-path', 'bad-query', 'bad-body', 'bad-method'].filter((s) => {
    if ((s === 'no-token' || s === 'forged-token') && op.access === 'public') return false;
    if (s === 'bad-path' && op.pathParams.length === 0) return false;
    if (s === 'bad-body' && !op.hasBody) return false;
    // Without a hostile body or path, a write by an authorised caller could be a legitimate one.
    if (op.method !== 'get' && (s === 'bad-query' || (s === 'seller' && op.access !== 'admin') || (s === 'stranger' && op.pathParams.length === 0))) return false;
    return true;
  });
  const out: Attempt[] = [];
  for (let i = 0; i < REQUESTS_PER_OPERATION; i++) {
    const strategy = rnd.pick(strategies);
    const base: Attempt = { strategy, method: op.method, url: real, token: w.admin, headers: {} };
    switch (strategy) {
      case 'no-token':
        out.push({ ...base, token: null, expectStatus: [401] });
        break;
      case 'forged-token':
        out.push({ ...base, token: rnd.pick(['x', `${w.seller.slice(0, -10)}AAAAAAAAAA`, 'eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.', 'a.b.c']), expectStatus: [401] });
        break;
      case 'seller':
        out.push({ ...base, token: w.seller, expectStatus: op.access === 'admin' ? [403] : undefined });
        break;
      case 'stranger':
        out.push({ ...base, token: w.stranger });
        break;
      case 'bad-path': {
        const param = rnd.pick(op.pathParams);
        out.push({ ...base, url: real.replace(encodeURIComponent(values[param]!), rnd.pick(HOSTILE_IDS)) });
        break;
      }
      case 'bad-query': {
        const names = ((op.op.parameters as Array<{ name: string; in: string }> | undefined) ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        const name = names.length ? rnd.pick(names) : 'unexpected';
        const value = rnd.pick(HOSTILE_QUERY);
        const shape = rnd.pick(['plain', 'operator', 'repeated']);
        const query = shape === 'operator' ? `${name}[$gt]=${value}` : shape === 'repeated' ? `${name}=${value}&${name}=1` : `${name}=${value}`;
        out.push({ ...base, url: `${real}?${query}`, token: rnd.pick([w.admin, w.seller]), expectStatus: undefined });
        break;
      }
      case 'bad-body': {
        if (upload) {
          const csv = rnd.pick(HOSTILE_CSV);
          const gzipped = rnd.next() < 0.2;
          out.push({ ...base, body: csv, headers: { 'content-type': 'text/csv', ...(gzipped ? { 'content-encoding': 'gzip' } : {}) } });
        } else {
          const { body, headers } = hostileJsonBody(op, rnd);
          out.push({ ...base, body, headers });
        }
        break;
      }
      case 'bad-method': {
        const taken = new Set(ops.filter((o) => o.path === op.path).map((o) => o.method));
        const method = rnd.pick(['get', 'post', 'put', 'patch', 'delete'].filter((m) => !taken.has(m)));
        // /api/datasets/imports is also /api/datasets/{datasetId} to a GET: another operation answers then.
        const other = ops.some((o) => o.method === method && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(real));
        out.push({ ...base, method, expectStatus: other ? undefined : [405] });
        break;
      }
    }
  }
  return out;
}

describe(`fuzz over the OpenAPI document (seed ${SEED.toString(16)}, ${REQUESTS_PER_OPERATION} requests per operation)`, () => {
  it('when every operation gets hostile requests, then nothing is a 5xx, errors are problems, headers are set, no write is accepted, state and CSVs stay safe, and roles hold', { timeout: 240_000 }, async () => {
    const rnd = random(SEED);
    let sent = 0;
    const state = await snapshotAll(w.db);
    let since = 'the start';
    for (const op of ops) {
      for (const a of attemptsFor(op, rnd)) {
        const label = `${a.strategy}: ${a.method.toUpperCase()} ${a.url.slice(0, 160)}`;
        let req = request(w.baseUrl)[a.method as 'get'](a.url).redirects(0).buffer(true);
        if (a.token) req = req.set('authorization', `Bearer ${a.token}`);
        for (const [k, v] of Object.entries(a.headers)) req = req.set(k, v);
        const res = a.body === undefined ? await req : await req.send(a.body);
        sent++;
        expect(res.status, label).toBeLessThan(500);
        expect(res.headers['x-content-type-options'], label).toBe('nosniff');
        expect(res.headers['content-security-policy'], label).toBeTruthy();
        if (new URL(a.url, w.baseUrl).pathname.startsWith('/api/')) expect(res.headers['cache-control'], label).toBe('no-store');
        if (res.status >= 400) {
          expect(res.headers['content-type'], label).toMatch(/^application\/problem\+json/);
          expect(JSON.parse(res.text), label).toMatchObject({ status: res.status, code: expect.any(String), detail: expect.any(String) });
        }
        if (a.expectStatus) expect(a.expectStatus, `${label} → ${res.status}`).toContain(res.status);
        // A seller is refused exactly the admin operations.
        if (a.token === w.seller && a.method === op.method) {
          if (op.access === 'admin') expect(res.status, label).toBe(403);
          else expect(res.status, label).not.toBe(403);
        }
        if (a.method !== 'get' && a.method === op.method) expect(res.status, `${label} was accepted`).toBeGreaterThanOrEqual(400);
        if (/text\/csv/.test(String(res.headers['content-type'])) && res.status === 200) {
          const cells = (parse(res.text, { relax_column_count: true }) as string[][]).flat();
          expect(cells.filter((c) => DANGEROUS_CELL.test(c)), label).toEqual([]);
        }
      }
      // Reads are compared in the next write's snapshot (and the last one), which names the span.
      if (op.method !== 'get' || op === ops[ops.length - 1]) {
        const after = await snapshotAll(w.db);
        expect(after, `state after the hostile requests since ${since} up to ${op.method.toUpperCase()} ${op.path}`).toEqual(state);
        since = `${op.method.toUpperCase()} ${op.path}`;
      }
    }
    expect(sent).toBe(ops.length * REQUESTS_PER_OPERATION);
    expect(sent).toBeGreaterThan(250);
  });
});
