import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeJwt, SignJWT } from 'jose';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsentState } from '../../api/src/consent/consent-state';
import { MICROSOFT_365_FRAME_ANCESTORS, tabContentSecurityPolicy } from '../../api/src/platform/http/security-headers';
import { ensureSigningKeys } from '../../simulator/src/keys/signing-keys';
import { testAppConfig } from '../support/app-config';
import {
  DANGEROUS_CELL,
  FORMULA_VALUES,
  expectProblem,
  fillPath,
  openApiOperations,
  paramValues,
  startSecurityWorld,
  type OpenApiOperation,
  type SecurityWorld,
} from './security-support';

/** Each class of hostile request the probe found, replayed: a 4xx problem that names it, never a 500. */
let w: SecurityWorld;
let ops: OpenApiOperation[];
const HARNESS_ORIGIN = 'http://localhost:5999';

beforeAll(async () => {
  w = await startSecurityWorld('sec_hostile', { TEAMS_HOST_ORIGINS: HARNESS_ORIGIN });
  ops = await openApiOperations(w.baseUrl);
});
afterAll(async () => w?.close());

const asAdmin = (r: request.Test) => r.set('authorization', `Bearer ${w.admin}`);
const api = () => request(w.baseUrl);

/** An open import of its own, with accounts uploaded (so the contacts stage can be tried too). */
async function freshImport(name: string): Promise<string> {
  const id = (await asAdmin(api().post('/api/datasets/imports')).send({ name }).expect(201)).body.id as string;
  await asAdmin(api().put(`/api/datasets/imports/${id}/accounts`).query({ accountIdColumn: 'AccountId', nameColumn: 'Name' })).type('text/csv').send('AccountId,Name\r\nA1,Alpha\r\n').expect(200);
  return id;
}
const condition = { type: 'condition', column: 'EngagementScore', operator: '>', value: 1 };
const nested = (levels: number): unknown => {
  let node: unknown = condition;
  for (let i = 0; i < levels; i++) node = { type: 'group', combinator: 'and', children: [node] };
  return node;
};
/** The same tree as JSON text, built without recursion (JSON.stringify itself overflows at this depth). */
const nestedJson = (levels: number): string => `${'{"type":"group","combinator":"and","children":['.repeat(levels)}${JSON.stringify(condition)}${']}'.repeat(levels)}`;

describe('malformed percent-encoding in a path parameter', () => {
  it('when any parameter of any operation is %, %ZZ, %E0%A4%A or %C0%AF, then it is a 400 problem naming the encoding', async () => {
    const withParams = ops.filter((o) => o.pathParams.length > 0);
    expect(withParams.length).toBeGreaterThan(30);
    for (const op of withParams) {
      for (const param of op.pathParams) {
        for (const bad of ['%', '%ZZ', '%E0%A4%A', '%C0%AF']) {
          const url = fillPath(op.path, paramValues(w)).replace(encodeURIComponent(paramValues(w)[param]!), bad);
          const res = await asAdmin(api()[op.method as 'get'](url));
          expect(res.status, `${op.method} ${url}`).toBe(400);
          expectProblem(res, `${op.method} ${url}`);
          expect(res.body.detail).toMatch(/percent-encoding/);
        }
      }
    }
  });
});

describe('a body that does not decode as its Content-Encoding says', () => {
  it('when a JSON body claims gzip but is not, then every operation with a body answers 400 naming the encoding; an unknown encoding is 415', async () => {
    const withBody = ops.filter((o) => o.hasBody);
    expect(withBody.length).toBeGreaterThan(10);
    for (const op of withBody) {
      const url = fillPath(op.path, paramValues(w));
      const bad = await asAdmin(api()[op.method as 'post'](url)).set('content-type', 'application/json').set('content-encoding', 'gzip').send('{"name":"x"}');
      expect(bad.status, `${op.method} ${url}`).toBe(400);
      expectProblem(bad, `${op.method} ${url}`);
      expect(bad.body.detail).toMatch(/Content-Encoding/);
      const unknown = await asAdmin(api()[op.method as 'post'](url)).set('content-type', 'application/json').set('content-encoding', 'compress').send('{}');
      expect(unknown.status, `${op.method} ${url}`).toBe(415);
      expectProblem(unknown);
    }
  });

  it('when an upload claims gzip but is not, then it is a 400; real gzip is read', async () => {
    const bad = await asAdmin(api().post('/api/datasets/preview')).type('text/csv').set('content-encoding', 'gzip').send('a,b\n1,2\n');
    expect(bad.status).toBe(400);
    expectProblem(bad);
    expect(bad.body.detail).toMatch(/Content-Encoding/);
    const good = await asAdmin(api().post('/api/datasets/preview')).type('text/csv').set('content-encoding', 'gzip').send(gzipSync('a,b\n1,2\n')).expect(200);
    expect(good.body).toEqual({ columns: ['a', 'b'], rows: [{ a: '1', b: '2' }] });
    const other = await asAdmin(api().post('/api/datasets/preview')).type('text/csv').set('content-encoding', 'compress').send('a\n1\n');
    expect(other.status).toBe(415);
  });
});

describe('CSV uploads the parser refuses', () => {
  const bodies: Array<[string, string | Buffer, RegExp]> = [
    ['a quote inside an unquoted field', 'Email,AccountId\r\nann@alpha.example,A"1\r\n', /double quote/],
    ['binary data', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR\u0000\u0001')]), /NUL bytes/],
    ['an empty body', '', /empty|no data rows/],
    ['a quote never closed', 'Email,AccountId\r\n"ann@alpha.example,A1\r\n', /never closed|cannot be read/],
  ];

  it('when the preview and both import stages get such files, then each is a 400 naming the problem and the import keeps its stages', async () => {
    const importId = await freshImport('Refused files');
    const before = (await asAdmin(api().get(`/api/datasets/imports/${importId}`)).expect(200)).body;
    for (const [what, body, detail] of bodies) {
      const targets = [
        api().post('/api/datasets/preview'),
        api().put(`/api/datasets/imports/${importId}/accounts`).query({ accountIdColumn: 'AccountId', nameColumn: 'Name' }),
        api().put(`/api/datasets/imports/${importId}/contacts`).query({ emailColumn: 'Email', accountIdColumn: 'AccountId' }),
      ];
      for (const target of targets) {
        const res = await asAdmin(target).type('text/csv').send(body);
        expect(res.status, what).toBe(400);
        expectProblem(res, what);
        expect(res.body.detail, what).toMatch(detail);
      }
    }
    const after = (await asAdmin(api().get(`/api/datasets/imports/${importId}`)).expect(200)).body;
    expect(after).toEqual(before);
  });
});

describe('one request cannot stall the others', () => {
  const wideHeader = Array.from({ length: 50_000 }, (_, i) => `Column${i}`).join(',');

  it('when a CSV header has 50,000 columns, then the preview and the stages refuse it by its column count', async () => {
    const importId = await freshImport('Wide header');
    for (const target of [api().post('/api/datasets/preview'), api().put(`/api/datasets/imports/${importId}/accounts`).query({ accountIdColumn: 'Column1', nameColumn: 'Column2' })]) {
      const res = await asAdmin(target).type('text/csv').send(`${wideHeader}\r\n${wideHeader}\r\n`);
      expect(res.status).toBe(400);
      expectProblem(res);
      expect(res.body.detail).toMatch(/more than 1,000 columns; at most 1,000 columns are accepted/);
    }
    // Fewer columns with long names: the header's size is capped too, and so is a row.
    const longNames = Array.from({ length: 900 }, (_, i) => `${'n'.repeat(90)}${i}`).join(',');
    const wideRes = await asAdmin(api().post('/api/datasets/preview')).type('text/csv').send(`${longNames}\r\nx\r\n`);
    expect(wideRes.status).toBe(400);
    expect(wideRes.body.detail).toMatch(/header row is more than 64 KB/);
    const longRow = await asAdmin(api().post('/api/datasets/preview')).type('text/csv').send(`a,b\r\n"${'x'.repeat(1_100_000)}",1\r\n`);
    expect(longRow.status).toBe(400);
    expect(longRow.body.detail).toMatch(/a row is longer than 1 MB/);
  });

  /** An upload whose body we write piece by piece, keeping it open between pieces. */
  function openUpload(pathAndQuery: string) {
    const url = new URL(pathAndQuery, w.baseUrl);
    const req = http.request(url, { method: 'PUT', headers: { authorization: `Bearer ${w.admin}`, 'content-type': 'text/csv' } });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
    let answered = false;
    void response.then(() => (answered = true), () => (answered = true));
    return { req, response, answered: () => answered, write: (chunk: string) => new Promise<void>((resolve) => req.write(chunk, () => resolve())) };
  }

  it('when the 50,000-column header arrives on an upload that stays open, then /healthz answers meanwhile and the upload is refused before its body ends', async () => {
    const upload = openUpload(`/api/datasets/imports/${await freshImport('Wide upload')}/accounts?accountIdColumn=Column1&nameColumn=Column2`);
    // The header and the start of a first row (the parser emits a record once it sees what follows it).
    await upload.write(`${wideHeader}\r\nA1,Alpha`);
    const health = await api().get('/healthz').expect(200);
    expect(health.body).toEqual({ status: 'ok' });
    // The server answers while we still hold the body open: it did not wait for (or read) the rest.
    const refused = await upload.response;
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).detail).toMatch(/more than 1,000 columns/);
    upload.req.destroy();
  });

  it('when a large upload is being processed, then /healthz answers between its pieces, before the upload is answered', { timeout: 240_000 }, async () => {
    const upload = openUpload(`/api/datasets/imports/${await freshImport('Large upload')}/accounts?accountIdColumn=AccountId&nameColumn=Name`);
    await upload.write('AccountId,Name,Industry\r\n');
    for (let piece = 0; piece < 5; piece++) {
      const rows = Array.from({ length: 4000 }, (_, i) => `P${piece}-${i},Account ${piece}-${i},Retail`).join('\r\n');
      await upload.write(`${rows}\r\n`);
      await api().get('/healthz').expect(200);
      expect(upload.answered()).toBe(false);
    }
    upload.req.end();
    const done = await upload.response;
    expect(done.status).toBe(200);
    expect(JSON.parse(done.body).accounts).toMatchObject({ received: 20_000, valid: 20_000 });
  });
});

describe('segment names', () => {
  it('when a segment is named $where, a.b or like an operator, then the name is stored and read back as text; a NUL is refused by name', async () => {
    const url = `/api/enrichments/${w.ids.enrichmentId}/segments/${w.ids.segmentId}`;
    const definition = { level: 'Year', root: { type: 'group', combinator: 'and', children: [{ ...condition, operator: '>=', value: 0 }] } };
    for (const name of ['$where', 'a.b', '{"$gt":""}', 'Engaged']) {
      const res = await asAdmin(api().put(url)).send({ name, definition }).expect(200);
      expect(res.body.name).toBe(name);
      expect((await asAdmin(api().get(url)).expect(200)).body.name).toBe(name);
    }
    for (const name of ['x\u0000y', 'two\nlines']) {
      const res = await asAdmin(api().put(url)).send({ name, definition });
      expect(res.status).toBe(400);
      expectProblem(res);
      expect(res.body.detail).toMatch(/body\.name: a name cannot contain control characters/);
    }
    expect((await asAdmin(api().get(url)).expect(200)).body.name).toBe('Engaged');
  });

  it('when a segment is renamed onto another segment\'s name, then it is a 409 problem, not a 500', async () => {
    const base = `/api/enrichments/${w.ids.enrichmentId}/segments`;
    const definition = { level: 'Year', root: { type: 'group', combinator: 'and', children: [condition] } };
    const a = await asAdmin(api().post(base)).send({ name: 'Taken $where', definition }).expect(201);
    const b = await asAdmin(api().post(base)).send({ name: 'Other a.b', definition }).expect(201);
    const clash = await asAdmin(api().put(`${base}/${b.body.id}`)).send({ name: 'TAKEN $WHERE', definition });
    expect(clash.status).toBe(409);
    expectProblem(clash);
    expect((await asAdmin(api().get(`${base}/${b.body.id}`)).expect(200)).body.name).toBe('Other a.b');
    await asAdmin(api().delete(`${base}/${a.body.id}`)).expect(204);
    await asAdmin(api().delete(`${base}/${b.body.id}`)).expect(204);
  });
});

describe('condition trees nested thousands of levels deep', () => {
  it('when segments count, segment save and change, measures and the grid filter get one, then each is a 400 naming the nesting', async () => {
    const base = `/api/enrichments/${w.ids.enrichmentId}`;
    const deep = nestedJson(5000);
    const json = (r: request.Test, body: string) => asAdmin(r).set('content-type', 'application/json').send(body);
    const attempts = [
      json(api().post(`${base}/segments/count`), `{"level":"Year","root":${deep}}`),
      json(api().post(`${base}/segments`), `{"name":"Deep","definition":{"level":"Year","root":${deep}}}`),
      json(api().put(`${base}/segments/${w.ids.segmentId}`), `{"name":"Deep","definition":{"level":"Year","root":${deep}}}`),
      json(api().post(`${base}/measures`), `{"aggregate":"count","filter":${deep}}`),
      // In a URL, a few hundred levels is what fits under the header limit.
      asAdmin(api().get(`${base}/results/rows`)).query({ filter: JSON.stringify(nested(150)) }),
    ];
    for (const attempt of attempts) {
      const res = await attempt;
      expect(res.status, res.text.slice(0, 200)).toBe(400);
      expectProblem(res);
      expect(res.body.detail).toMatch(/more than 32 levels deep/);
    }
  });

  it('when a tree is within the limit but deeper than four groups, then the definition rule names it', async () => {
    const res = await asAdmin(api().post(`/api/enrichments/${w.ids.enrichmentId}/segments/count`)).send({ level: 'Year', root: nested(6) }).expect(400);
    expect(res.body.detail).toMatch(/groups nest at most 4 deep/);
  });
});

describe('tokens', () => {
  async function forged(change: (claims: Record<string, unknown>) => Record<string, unknown>): Promise<string> {
    const keys = await ensureSigningKeys(path.resolve(process.env.SIM_STATE_DIR!));
    const claims = change({ ...decodeJwt(w.seller) });
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keys.kid }).sign(keys.privateKey);
  }
  const now = () => Math.floor(Date.now() / 1000);

  it('when a correctly signed token has no exp, an iat or nbf years ahead, or no iat, then it is refused with 401', async () => {
    const control = await forged((c) => c);
    await api().get('/api/me').set('authorization', `Bearer ${control}`).expect(200);
    const cases: Array<[string, (c: Record<string, unknown>) => Record<string, unknown>, RegExp]> = [
      ['no exp', ({ exp: _e, ...c }) => c, /no exp claim/],
      ['iat ten years ahead', (c) => ({ ...c, iat: now() + 10 * 365 * 86400, exp: now() + 11 * 365 * 86400 }), /issued in the future/],
      ['nbf ten years ahead', (c) => ({ ...c, nbf: now() + 10 * 365 * 86400 }), /not valid yet/],
      ['no iat', ({ iat: _i, ...c }) => c, /no iat claim/],
    ];
    for (const [what, change, detail] of cases) {
      const res = await api().get('/api/me').set('authorization', `Bearer ${await forged(change)}`);
      expect(res.status, what).toBe(401);
      expectProblem(res, what);
      expect(res.body.detail, what).toMatch(detail);
    }
  });
});

describe('methods and malformed requests Node refuses', () => {
  it('when /healthz or /readyz get anything but GET, then it is a 405 problem with Allow', async () => {
    for (const p of ['/healthz', '/readyz']) {
      for (const method of ['post', 'put', 'patch', 'delete'] as const) {
        const res = await api()[method](p);
        expect(res.status, `${method} ${p}`).toBe(405);
        expectProblem(res);
        expect(res.headers.allow).toBe('GET, HEAD');
      }
    }
  });

  it('when an API path exists with other methods, then it is a 405; an unknown path is a 404 problem (HTML never)', async () => {
    const wrong = await asAdmin(api().patch('/api/me'));
    expect(wrong.status).toBe(405);
    expectProblem(wrong);
    const nowhere = await api().post('/nowhere');
    expect(nowhere.status).toBe(404);
    expectProblem(nowhere);
  });

  function raw(text: string): Promise<string> {
    const url = new URL(w.baseUrl);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => socket.write(text));
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => (data += c));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
  }
  const parseRaw = (text: string) => {
    const [head, body] = text.split('\r\n\r\n');
    return { status: Number(head!.split(' ')[1]), headers: head!.toLowerCase(), body: JSON.parse(body!) as Record<string, unknown> };
  };

  it('when a request line or header is malformed, then Node\'s 400 carries a problem document', async () => {
    const res = parseRaw(await raw('GET /healthz HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n'));
    expect(res.status).toBe(400);
    expect(res.headers).toContain('content-type: application/problem+json');
    expect(res.body).toMatchObject({ status: 400, code: 'validation' });
  });

  it('when the headers exceed 16 KiB, then Node\'s 431 carries a problem document that says the limit', async () => {
    const res = parseRaw(await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(res.status).toBe(431);
    expect(res.headers).toContain('content-type: application/problem+json');
    expect(res.body).toMatchObject({ status: 431, code: 'headers-too-large', detail: expect.stringMatching(/16 KiB/) });
  });
});

describe('logs', () => {
  it('when a client puts an address in a path, then the request log names the route pattern and never the address', async () => {
    const address = 'megan.bowen@contoso.example';
    await request(w.baseUrl).get(`/api/enrichments/${w.ids.enrichmentId}/customers/${encodeURIComponent(address)}`).set('authorization', `Bearer ${w.seller}`).expect(404);
    await request(w.baseUrl).get(`/api/${address}`).set('authorization', `Bearer ${w.seller}`).expect(404);
    await request(w.baseUrl).get(`/api/accounts?search=${encodeURIComponent(address)}`).set('authorization', `Bearer ${w.seller}`).expect(200);
    await new Promise((resolve) => setImmediate(resolve));
    const text = w.logs.map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toContain('megan.bowen');
    const routes = w.logs.map((l) => l.route).filter(Boolean);
    expect(routes).toContain('/api/enrichments/:enrichmentId/customers/:accountId');
    expect(routes).toContain('unmatched');
    expect(w.logs.every((l) => !('req' in l) || !('url' in (l.req as object)) && !('path' in (l.req as object)))).toBe(true);
  });
});

describe('consent', () => {
  const secret = () => testAppConfig(w.sim, 'mongodb://unused/', 'x').consent.stateSecret;
  const fabrikamId = () => w.sim.tenants().find((x) => x.tenant.spec.displayName.startsWith('Fabrikam'))!.tenant.spec.tenantId;

  async function awaitingEnrichment(tenantId: string, id: string) {
    const now = new Date();
    await w.db.collection('enrichments').insertOne({
      _id: id as never, tenantId, name: `Waiting ${id.slice(-4)}`, nameKey: `waiting ${id.slice(-4)}`, entityName: 'Office',
      mailboxes: { selections: [], resolved: [], unresolved: [], count: 0 }, datasetId: 'ds_x', mapping: { emailField: 'Email', accountIdField: 'AccountId' },
      exclusions: { addresses: [], domains: [] }, matchAccountDomains: false, consentAgreement: { agreedBy: 'admin', agreedAt: now },
      consent: { state: 'awaiting', requestedAt: now, requestedBy: 'admin', recipients: [], decidedAt: null, decidedBy: null, source: null, refusalReason: null },
      paused: false, version: 1, createdBy: 'admin', updatedBy: 'admin', createdAt: now, updatedAt: now,
    });
  }
  const consentOf = async (tenantId: string, id: string) => (await w.db.collection('enrichments').findOne({ tenantId, _id: id as never }))!.consent as { state: string; refusalReason: string | null };

  it('when the callback says admin_consent=True but nobody granted anything, then nothing is recorded as consented and the tab is told "not confirmed"', async () => {
    const tenantId = fabrikamId();
    const id = `enr_${'f'.repeat(31)}1`;
    await awaitingEnrichment(tenantId, id);
    const { state } = createConsentState(secret(), tenantId, id, new Date());
    const cb = await api().get('/api/consent/callback').query({ admin_consent: 'True', tenant: tenantId, state }).expect(302);
    expect(cb.headers.location).toContain('consent=unconfirmed');
    expect((await consentOf(tenantId, id)).state).toBe('awaiting');
    const events = await w.db.collection('consent_events').find({ tenantId, enrichmentId: id }).toArray();
    expect(events.map((e) => e.event)).toEqual(['unconfirmed-callback']);
    expect(events[0]!.detail).toMatch(/Callback received, consent not confirmed: no app-only token/);

    // Once a Global Administrator really grants it, the same kind of callback records it.
    w.sim.tenant(tenantId).grantConsent();
    try {
      const again = await api().get('/api/consent/callback').query({ admin_consent: 'True', tenant: tenantId, state: createConsentState(secret(), tenantId, id, new Date()).state }).expect(302);
      expect(again.headers.location).toContain('consent=granted');
      expect((await consentOf(tenantId, id)).state).toBe('consented');
    } finally {
      w.sim.tenant(tenantId).revokeConsent();
    }
  });

  it('when a refusal reason carries markup, control characters and 2,000 characters, then it is stored as capped plain text', async () => {
    const tenantId = w.tenantId;
    const id = `enr_${'e'.repeat(31)}2`;
    await awaitingEnrichment(tenantId, id);
    const { state } = createConsentState(secret(), tenantId, id, new Date());
    const description = `<img src=x onerror=alert(1)>\u0000\u001b[31m${'x'.repeat(1990)}`;
    await api().get('/api/consent/callback').query({ admin_consent: 'True', tenant: tenantId, state, error: 'access_denied', error_description: description }).expect(302);
    const consent = (await asAdmin(api().get(`/api/enrichments/${id}/consent`)).expect(200)).body as { state: string; refusalReason: string };
    expect(consent.state).toBe('refused');
    expect(consent.refusalReason.length).toBeLessThanOrEqual(500);
    expect(consent.refusalReason).toMatch(/^access_denied: <img src=x onerror=alert\(1\)> \[31mx+…$/);
    expect(consent.refusalReason).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('CSV injection', () => {
  const cellsOf = (text: string) => (parse(text, { relax_column_count: true }) as string[][]).flat();

  it('when any CSV the product writes holds formula text, then every such cell is neutralised', async () => {
    const e = w.ids.enrichmentId;
    const files = [
      (await asAdmin(api().get(`/api/datasets/imports/${w.ids.importId}/rejections.csv`)).expect(200)).text,
      (await asAdmin(api().get(`/api/enrichments/${e}/results/rows.csv`)).expect(200)).text,
      (await asAdmin(api().get(`/api/enrichments/${e}/segments/${w.ids.segmentId}/members.csv`)).expect(200)).text,
    ];
    for (const [i, file] of files.entries()) {
      const cells = cellsOf(file);
      expect(cells.filter((c) => DANGEROUS_CELL.test(c)), `file ${i}`).toEqual([]);
      // Not vacuous: each file carried formula text, now prefixed with an apostrophe.
      expect(cells.some((c) => c.startsWith("'") && DANGEROUS_CELL.test(c.slice(1))), `file ${i}: ${file.slice(0, 300)}`).toBe(true);
    }
    // The import trims cells, so leading blanks are gone here (the writer's unit test covers them).
    const rejected = cellsOf(files[0]!);
    for (const value of FORMULA_VALUES) expect(rejected).toContain(`'${value.trim()}`);
  });
});

describe('headers', () => {
  it('when the tab is loaded, then its CSP lets exactly the Teams, Outlook and Microsoft 365 hosts (and the test harness here) frame it', async () => {
    const res = await api().get('/?page=customers').expect(200);
    const policy = String(res.headers['content-security-policy']);
    const ancestors = /frame-ancestors ([^;]+)/.exec(policy)![1]!.split(' ');
    expect(ancestors).toEqual([...MICROSOFT_365_FRAME_ANCESTORS, HARNESS_ORIGIN]);
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // Production refuses TEAMS_HOST_ORIGINS; without it the list is Microsoft's hosts alone.
    expect(/frame-ancestors ([^;]+)/.exec(tabContentSecurityPolicy([]))![1]!.split(' ')).toEqual([...MICROSOFT_365_FRAME_ANCESTORS]);
  });

  it('when anything is answered, then nosniff is set; authenticated API answers are not cached', async () => {
    const paths: Array<[string, boolean]> = [
      ['/healthz', false],
      ['/privacy', false],
      ['/', false],
      ['/api/openapi.json', false],
      ['/api/me', false],
      ['/api/me', true],
      ['/api/results', true],
      [`/api/enrichments/${w.ids.enrichmentId}/results/rows`, true],
      ['/api/datasets', true],
      ['/api/nothing-here', true],
    ];
    for (const [p, signedIn] of paths) {
      const req = api().get(p);
      const res = await (signedIn ? req.set('authorization', `Bearer ${w.seller}`) : req);
      expect(res.headers['x-content-type-options'], p).toBe('nosniff');
      expect(res.headers['content-security-policy'], p).toBeTruthy();
      if (p.startsWith('/api/') && p !== '/api/openapi.json') expect(res.headers['cache-control'], p).toBe('no-store');
    }
  });
});
