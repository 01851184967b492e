import request from 'supertest';
import { expect } from 'vitest';
import type { EnrichmentDocument } from '../../api/src/enrichments/enrichments.store';
import type { SimTenantHandle } from '../../simulator/src/state/sim-tenant-handle';
import { seedDataset, seedEnrichment, startRuntime, type Runtime } from '../runs/run-test-support';
import { startStack, type TestStack } from '../support/stack';

/**
 * The whole API over the demo tenant (Contoso) with a worker on the same database, one
 * enrichment over its first `mailboxes` users, and admin and seller tokens: what the admin views
 * (mailbox health, unmatched domains, the estimate) are tested against.
 */
export interface AdminViewsWorld {
  stack: TestStack;
  handle: SimTenantHandle;
  runtime: Runtime;
  enrichment: EnrichmentDocument;
  mailboxes: Array<{ userId: string; mail: string }>;
  admin: string;
  seller: string;
  /** Starts a run through the API and waits until it has ended; it must complete. */
  completedRun(body?: Record<string, unknown>): Promise<AdminRunBody>;
  close(): Promise<void>;
}

export interface AdminRunBody {
  id: string;
  state: string;
  asOf: string;
  retryOf: string | null;
  counters: { mailboxesDone: number; mailboxesFailed: number; mailboxesFullRead: number; messagesRead: number; eventsRead: number };
  summary: { durationMs: number } | null;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function startAdminViewsWorld(name: string, opts: { mailboxes: number; enrichmentName: string; retryBaseMs?: number }): Promise<AdminViewsWorld> {
  let handle!: SimTenantHandle;
  const stack = await startStack({ name, runsClock: (sim) => sim.tenant(handle.tenantId).now() });
  handle = stack.simulator.tenants().find((h) => h.tenant.spec.slug === 'contoso')!;
  const dataset = await seedDataset(stack.db, handle.tenantId, handle.tenant);
  const mailboxes = handle.tenant.users.slice(0, opts.mailboxes).map((u) => ({ userId: u.id, mail: u.mail }));
  const enrichment = await seedEnrichment(stack.db, handle.tenantId, dataset._id, mailboxes, { name: opts.enrichmentName });
  const runtime = await startRuntime(stack.db, stack.simulator, handle.tenantId, opts.retryBaseMs === undefined ? {} : { retryBaseMs: opts.retryBaseMs });
  const persona = (p: string) => handle.tenant.users.find((u) => u.persona === p)!.id;
  const signIn = async (userId: string) => (await request(stack.baseUrl).post('/api/dev/sign-in').send({ tenantId: handle.tenantId, userId }).expect(200)).body.accessToken as string;
  const admin = await signIn(persona('enrichmentAdmin'));
  const seller = await signIn(persona('seller'));
  const runPath = `/api/enrichments/${enrichment._id}/runs`;
  return {
    stack,
    handle,
    runtime,
    enrichment,
    mailboxes,
    admin,
    seller,
    async completedRun(body = { mode: 'auto' }) {
      const started = (await request(stack.baseUrl).post(runPath).set(bearer(admin)).send(body).expect(202)).body as AdminRunBody;
      return waitForEnd(stack, admin, `${runPath}/${started.id}`);
    },
    async close() {
      await runtime.stop();
      await stack.close();
    },
  };
}

/** Polls a run (by its API path) until it has ended: completed, or the test fails with its state. */
export async function waitForEnd(stack: TestStack, token: string, path: string): Promise<AdminRunBody> {
  for (;;) {
    const r = (await request(stack.baseUrl).get(path).set(bearer(token)).expect(200)).body as AdminRunBody;
    if (['completed', 'failed', 'cancelled'].includes(r.state)) {
      expect(r.state).toBe('completed');
      return r;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}
