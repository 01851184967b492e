import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Db } from 'mongodb';
import request from 'supertest';
import { expect } from 'vitest';
import { createApp } from '../../api/src/app';
import { ALL_COLLECTIONS } from '../../api/src/collections';
import { ensureSchema } from '../../api/src/platform/db/ensure-schema';
import { answerClientErrorsAsProblems } from '../../api/src/platform/http/client-error';
import { createLogger } from '../../api/src/platform/logger/logger';
import { buildDependencies } from '../../api/src/dependencies';
import { emptyCounters, type RunDocument } from '../../api/src/runs/lifecycle/runs.store';
import { EstimateStore, type EstimateDocument } from '../../api/src/estimate/estimate.store';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { seedResult } from '../api/results-test-support';
import { testAppConfig } from '../support/app-config';
import { createTestDatabase, type TestDatabase } from '../support/mongo';
import { startTestSimulator } from '../support/simulator';

/**
 * One tenant's world for the security suite, built through the API where it can be: a committed
 * customer dataset, an open import whose rejected rows carry spreadsheet formulas, an enrichment
 * with a published result (account names include formulas too), a saved segment and a finished
 * run; plus an admin and a seller of that tenant and an admin of another tenant.
 */
export interface SecurityWorld {
  /** The API listening on a loopback port (Node's own HTTP parser in front, as in production). */
  baseUrl: string;
  db: Db;
  sim: RunningSimulator;
  /** Every log line the API wrote (level debug and above), as parsed JSON. */
  logs: Array<Record<string, unknown>>;
  tenantId: string;
  admin: string;
  seller: string;
  /** An admin of another tenant: everything of this world is not found for them. */
  stranger: string;
  ids: { enrichmentId: string; datasetId: string; segmentId: string; importId: string; runId: string; accountId: string; draftKey: string };
  close(): Promise<void>;
}

export const FORMULA_VALUES = [
  '=HYPERLINK("http://x.example", "rej")',
  "=cmd|' /C calc'!A0",
  '+1-1@@bad',
  '-2+3',
  '@SUM(A1)',
  ' =1+1',
  '\t=1+1',
  '\uFF1D1+1',
  '\uFF0B1',
  '\uFF0D1',
  '\uFF20SUM(A1)',
  "|cmd '/C calc'",
];

/** A cell a spreadsheet would evaluate: the triggers, after any leading whitespace, or a leading tab/CR/LF. */
export const DANGEROUS_CELL = /^(?:[\t\r\n]|\s*[=+\-@|\uFF1D\uFF0B\uFF0D\uFF20])/u;

const hex32 = (n: number) => n.toString(16).padStart(32, '0');

export async function startSecurityWorld(label: string, extraConfig: Record<string, string> = {}): Promise<SecurityWorld> {
  const sim = await startTestSimulator();
  const t: TestDatabase = await createTestDatabase(label);
  await ensureSchema(t.db, ALL_COLLECTIONS);
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const config = testAppConfig(sim, t.uri, t.db.databaseName, { LOG_LEVEL: 'debug', ...extraConfig });
  const app = createApp(buildDependencies(config, t.db, logger));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  answerClientErrorsAsProblems(server);
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const contoso = sim.tenants().find((x) => x.tenant.spec.displayName.startsWith('Contoso'))!.tenant;
  const fabrikam = sim.tenants().find((x) => x.tenant.spec.displayName.startsWith('Fabrikam'))!.tenant;
  const personaId = (tenant: typeof contoso, persona: string) => tenant.users.find((u) => u.persona === persona)!.id;
  const signIn = async (tenantId: string, userId: string) =>
    (await request(baseUrl).post('/api/dev/sign-in').send({ tenantId, userId }).expect(200)).body.accessToken as string;
  const tenantId = contoso.spec.tenantId;
  const admin = await signIn(tenantId, personaId(contoso, 'enrichmentAdmin'));
  const seller = await signIn(tenantId, personaId(contoso, 'seller'));
  const stranger = await signIn(fabrikam.spec.tenantId, personaId(fabrikam, 'enrichmentAdmin'));
  const auth = { authorization: `Bearer ${admin}` };

  // A committed dataset (for the enrichment) and an open import with formula-laden rejections.
  const importFiles = async (name: string, accounts: string, contacts: string) => {
    const session = await request(baseUrl).post('/api/datasets/imports').set(auth).send({ name }).expect(201);
    const id = session.body.id as string;
    await request(baseUrl).put(`/api/datasets/imports/${id}/accounts`).query({ accountIdColumn: 'AccountId', nameColumn: 'Name', domainsColumn: 'Domains' }).set(auth).type('text/csv').send(accounts).expect(200);
    await request(baseUrl).put(`/api/datasets/imports/${id}/contacts`).query({ emailColumn: 'Email', accountIdColumn: 'AccountId' }).set(auth).type('text/csv').send(contacts).expect(200);
    return id;
  };
  const committed = await importFiles('Security customers', 'AccountId,Name,Domains,Industry\r\nA1,Alpha,alpha.example,Retail\r\nA2,Beta,beta.example,Energy\r\n', 'Email,AccountId\r\nann@alpha.example,A1\r\nbo@beta.example,A2\r\n');
  await request(baseUrl).post(`/api/datasets/imports/${committed}/commit`).set(auth).send({ mode: 'all-or-nothing' }).expect(200);
  const datasetId = ((await request(baseUrl).get('/api/datasets').set(auth).expect(200)).body.items[0] as { id: string }).id;
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const importId = await importFiles(
    'Formula rejections',
    'AccountId,Name,Domains\r\nA1,Alpha,alpha.example\r\n',
    ['Email,AccountId', 'ann@alpha.example,A1', ...FORMULA_VALUES.map((v) => `${quote(v)},A1`)].join('\r\n') + '\r\n',
  );

  // An enrichment with a published result, written as the engine would leave it.
  const enrichmentId = `enr_${hex32(0xe1)}`;
  const runId = 'run_security_1';
  await seedResult(t.db, { tenantId, enrichmentId, runId, accounts: 30, datasetId: `ds_${hex32(0xd1)}`, seed: 11 });
  const at = new Date('2026-03-02T01:00:00Z');
  const run: RunDocument = {
    _id: runId, tenantId, enrichmentId, trigger: 'manual', requestedBy: personaId(contoso, 'enrichmentAdmin'), asOf: new Date('2026-03-02T00:00:00Z'),
    mode: 'full', baseRunId: null, fingerprint: null, state: 'completed', phase: 'done', counters: emptyCounters(3), errors: [],
    summary: { accountsEnriched: 30, emailsProcessed: 100, meetingsProcessed: 10, daysCovered: 365, durationMs: 1000 }, failureReason: null,
    createdAt: at, startedAt: at, endedAt: at, updatedAt: at,
  };
  await t.db.collection<RunDocument>('enrichment_runs').insertOne(run);
  // A wizard's estimate of a draft selection, as the estimate job leaves it.
  const draftKey = hex32(0xe5).repeat(2);
  const draft: EstimateDocument = {
    _id: EstimateStore.draftId(tenantId, draftKey), tenantId, enrichmentId: null, draft: { key: draftKey, userIds: [personaId(contoso, 'seller').toLowerCase()] }, mailboxKey: draftKey,
    requestId: 'estimate-security', state: 'done', asOf: new Date('2026-03-02T00:00:00Z'), enrichmentVersion: null, mailboxesTotal: 1, mailboxesDone: 1, mailboxesFailed: 0,
    model: { requestSeconds: 0.3, itemSeconds: 0.001, concurrency: 4 },
    result: { mailboxes: 1, messages: 120, events: 40, weekMessages: 5, requestsFull: 2, requestsRefresh: 2, firstRunSeconds: 1, refreshSeconds: 1 },
    failureReason: null, requestedAt: at, requestedBy: 'test', startedAt: at, endedAt: at,
  };
  await t.db.collection<EstimateDocument>('enrichment_estimates').insertOne(draft);
  const segment = await request(baseUrl)
    .post(`/api/enrichments/${enrichmentId}/segments`)
    .set(auth)
    .send({ name: 'Engaged', definition: { level: 'Year', root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'EngagementScore', operator: '>=', value: 0 }] } } })
    .expect(201);

  return {
    baseUrl,
    db: t.db,
    sim,
    logs,
    tenantId,
    admin,
    seller,
    stranger,
    ids: { enrichmentId, datasetId, segmentId: segment.body.id as string, importId, runId, accountId: 'ACC-000001', draftKey },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sim.close();
      await t.drop();
    },
  };
}

/** Every document of every collection of the database (agenda's queue included), in a stable order. */
export async function snapshotAll(db: Db): Promise<Record<string, unknown[]>> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  const out: Record<string, unknown[]> = {};
  for (const name of names) {
    const docs = await db.collection(name).find({}).toArray();
    out[name] = docs.map((d) => JSON.stringify(d)).sort();
  }
  return out;
}

/** What every error answer must be: problem+json whose body agrees with the status line. */
export function expectProblem(res: { status: number; headers: Record<string, string>; body: unknown; text?: string }, context = ''): void {
  expect(res.headers['content-type'], `${context}: content type of a ${res.status}`).toMatch(/^application\/problem\+json/);
  const body = (res.body && typeof res.body === 'object' && Object.keys(res.body).length ? res.body : JSON.parse(res.text ?? '{}')) as Record<string, unknown>;
  expect(body, context).toMatchObject({ status: res.status, type: expect.any(String), title: expect.any(String), detail: expect.any(String), code: expect.any(String) });
}

export interface OpenApiOperation {
  method: string;
  path: string;
  access: 'public' | 'user' | 'admin';
  pathParams: string[];
  hasBody: boolean;
  op: Record<string, unknown>;
}

/** The operations of /api/openapi.json, each with the access level it declares in x-access. */
export async function openApiOperations(baseUrl: string): Promise<OpenApiOperation[]> {
  const doc = (await request(baseUrl).get('/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, Record<string, unknown>>> };
  const ops: OpenApiOperation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const parameters = (op.parameters as Array<{ name: string; in: string }> | undefined) ?? [];
      ops.push({
        method,
        path,
        access: op['x-access'] as OpenApiOperation['access'],
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        hasBody: Boolean(op.requestBody),
        op,
      });
    }
  }
  return ops;
}

/** A path with each {param} filled from `values` (URL-encoded), e.g. the world's real ids. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x'));
}

/** The world's ids by the names path parameters use. */
export function paramValues(w: SecurityWorld): Record<string, string> {
  return { id: w.ids.enrichmentId, enrichmentId: w.ids.enrichmentId, datasetId: w.ids.datasetId, segmentId: w.ids.segmentId, importId: w.ids.importId, runId: w.ids.runId, accountId: w.ids.accountId, key: w.ids.draftKey };
}

/** Valid bodies for the operations a seller may send a body to (reads with a body, their own alert mute). A new one must be added here. */
export const sellerBodies: Record<string, unknown> = {
  'post /api/enrichments/{enrichmentId}/segments/count': { level: 'Year', root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'EngagementScore', operator: '>', value: 10 }] } },
  'post /api/enrichments/{enrichmentId}/measures': { aggregate: 'avg', column: 'EngagementScore', groupBy: 'Industry' },
  // A seller's own alert mute (a user-level setting, not a read: the only seller write).
  'put /api/me/alerts': { muted: false },
};

/** Values for required query parameters, by name. */
const queryValues: Record<string, string> = { q: 'ad', name: 'A new enrichment' };

/** Calls one operation of the document with the world's real ids and its required query parameters. */
export function callOperation(w: SecurityWorld, op: OpenApiOperation, token: string | null, body?: unknown) {
  const required = ((op.op.parameters as Array<{ name: string; in: string; required?: boolean }> | undefined) ?? []).filter((p) => p.in === 'query' && p.required);
  const query = Object.fromEntries(required.map((p) => [p.name, queryValues[p.name] ?? 'x']));
  const req = request(w.baseUrl)[op.method as 'get'](fillPath(op.path, paramValues(w))).query(query).redirects(0);
  if (token) req.set('authorization', `Bearer ${token}`);
  return body === undefined ? req : req.send(body as object);
}
