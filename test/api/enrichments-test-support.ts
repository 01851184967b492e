import request from 'supertest';
import type { Express } from 'express';
import type { Db } from 'mongodb';
import { createApp } from '../../api/src/app';
import type { ResultsRuntime } from '../../api/src/results/results-runtime';
import { ALL_COLLECTIONS } from '../../api/src/collections';
import { ensureSchema } from '../../api/src/platform/db/ensure-schema';
import { createLogger } from '../../api/src/platform/logger/logger';
import { buildDependencies } from '../../api/src/dependencies';
import type { RunningSimulator, SimulatorOptions } from '../../simulator/src/simulator';
import { testAppConfig } from '../support/app-config';
import { createTestDatabase, type TestDatabase } from '../support/mongo';
import { startTestSimulator } from '../support/simulator';

/** One API over its own database and simulator, with helpers to sign in and call it. */
export interface AdminTestHarness {
  app: Express;
  sim: RunningSimulator;
  db: Db;
  /** The API's published-results runtime (its pointer cache, its DuckDB). */
  results: ResultsRuntime;
  tokenFor(tenantId: string, userId: string): Promise<string>;
  persona(tenantId: string, persona: 'tenantAdmin' | 'enrichmentAdmin' | 'seller'): string;
  close(): Promise<void>;
}

export async function startAdminHarness(label: string, simOptions: Partial<SimulatorOptions> = {}, config: Record<string, string> = {}): Promise<AdminTestHarness> {
  const sim = await startTestSimulator(simOptions);
  const t: TestDatabase = await createTestDatabase(label);
  await ensureSchema(t.db, ALL_COLLECTIONS);
  const deps = buildDependencies(testAppConfig(sim, t.uri, t.db.databaseName, config), t.db, createLogger('silent'));
  const app = createApp(deps);
  const tokens = new Map<string, string>();
  return {
    app,
    sim,
    db: t.db,
    results: deps.results,
    async tokenFor(tenantId, userId) {
      const key = `${tenantId}/${userId}`;
      if (!tokens.has(key)) {
        const res = await request(app).post('/api/dev/sign-in').send({ tenantId, userId }).expect(200);
        tokens.set(key, res.body.accessToken as string);
      }
      return tokens.get(key)!;
    },
    persona(tenantId, persona) {
      const u = sim.tenant(tenantId).tenant.users.find((x) => x.persona === persona);
      if (!u) throw new Error(`no ${persona} in ${tenantId}`);
      return u.id;
    },
    async close() {
      await deps.results.close();
      await sim.close();
      await t.drop();
    },
  };
}

/** Every document of the named collections (minus _id), to compare before and after a refusal. */
export async function snapshot(db: Db, names: string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const n of names) out[n] = await db.collection(n).find({}, { projection: { _id: 0 } }).sort({ tenantId: 1 }).toArray();
  return out;
}

export const DATA_COLLECTIONS = ['datasets', 'dataset_accounts', 'dataset_contacts', 'enrichments', 'consent_events', 'consent_nonces'];

/** Imports a tenant's demo dataset (the simulator's CSVs) through the REST API; returns its id. */
export async function importDemoDataset(h: AdminTestHarness, tenantId: string, token: string, name = 'Demo customers'): Promise<string> {
  const { accountsCsv, contactsCsv } = h.sim.tenant(tenantId).tenant.datasetCsv();
  const auth = { authorization: `Bearer ${token}` };
  const session = await request(h.app).post('/api/datasets/imports').set(auth).send({ name }).expect(201);
  const id = session.body.id as string;
  await request(h.app)
    .put(`/api/datasets/imports/${id}/accounts`)
    .query({ accountIdColumn: 'AccountId', nameColumn: 'AccountName', domainsColumn: 'Domains' })
    .set(auth)
    .set('content-type', 'text/csv')
    .send(accountsCsv)
    .expect(200);
  await request(h.app).put(`/api/datasets/imports/${id}/contacts`).query({ emailColumn: 'Email', accountIdColumn: 'AccountId' }).set(auth).set('content-type', 'text/csv').send(contactsCsv).expect(200);
  const committed = await request(h.app).post(`/api/datasets/imports/${id}/commit`).set(auth).send({ mode: 'all-or-nothing' }).expect(200);
  return committed.body.id as string;
}
