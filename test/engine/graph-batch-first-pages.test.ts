import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGraphClientFactory } from '../../api/src/platform/graph/graph-client.factory';
import { createMsalClientFactory } from '../../api/src/platform/graph/msal-client.factory';
import { createLogger } from '../../api/src/platform/logger/logger';
import { WINDOW_MS } from '../../api/src/runs/domain/engagement-buckets';
import { BatchSubRequestError, calendarDeltaQuery, calendarSyncQuery, isSyncStateLost, messagesQuery, readCalendarChanges, readFirstPages, readMessages, type CalendarRound, type ReadStats } from '../../api/src/runs/graph/graph-mailbox.reader';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { startTestSimulator, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../support/simulator';

let sim: RunningSimulator;
let tenantId: string;
let userId: string;

beforeAll(async () => {
  sim = await startTestSimulator();
  const handle = sim.tenants().find((t) => t.tenant.spec.slug === 'contoso')!;
  tenantId = handle.tenantId;
  userId = handle.tenant.users[3]!.id;
});
afterEach(() => {
  sim.setThrottling({ enabled: true, concurrencyPerMailbox: 4, budgetPerWindow: 10_000, windowMs: 600_000 });
});
afterAll(async () => {
  await sim?.close();
});

function client() {
  const msalFor = createMsalClientFactory({ clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, authorityHost: sim.url }, createLogger('silent'));
  return createGraphClientFactory({ baseUrl: sim.url, maxRetries: 5, retryDelaySeconds: 0, msalFor }).forApp(tenantId);
}

const policy = { attempts: 6, baseDelayMs: 50, maxDelayMs: 2000 };

async function ranges() {
  const asOf = sim.tenant(tenantId).now().getTime();
  return { messages: { after: new Date(asOf - WINDOW_MS), until: new Date(asOf) }, events: { start: new Date(asOf - WINDOW_MS), end: new Date(asOf + 60_000) } };
}

async function queries() {
  const r = await ranges();
  return { messages: messagesQuery(userId, r.messages.after, r.messages.until), calendar: calendarSyncQuery(userId, r.events.start, r.events.end) };
}

async function readAll(firstPages?: Awaited<ReturnType<typeof readFirstPages>>) {
  const r = await ranges();
  const q = await queries();
  const stats: ReadStats = { requests: 0, retries: 0 };
  const messages: string[] = [];
  const events: string[] = [];
  const round: CalendarRound = { deltaLink: null };
  for await (const page of readMessages(client(), userId, r.messages.after, r.messages.until, stats, policy, firstPages?.messages)) messages.push(...page.map((m) => m.internetMessageId));
  for await (const page of readCalendarChanges(client(), q.calendar, round, stats, policy, firstPages?.calendar ?? undefined)) events.push(...page.map((c) => (c.removed ? `removed ${c.id}` : `${c.event.iCalUId}@${c.event.start}`)));
  return { messages, events, deltaLink: round.deltaLink !== null };
}

describe('first pages through $batch', () => {
  it('when both first pages come in one batch, then paging on from them reads exactly what separate requests read', async () => {
    const r = await ranges();
    const stats: ReadStats = { requests: 0, retries: 0 };
    const first = await readFirstPages(client(), await queries(), stats, policy);
    expect(stats).toMatchObject({ requests: 2, retries: 0 });
    const batched = await readAll(first);
    const separate = await readAll();
    expect(batched.messages.length).toBeGreaterThan(0);
    expect(batched.events.length).toBeGreaterThan(0);
    expect(batched.deltaLink).toBe(true);
    expect(batched).toEqual(separate);
  });

  it('when a sub-request is throttled (429 inside a 200 batch), then the reader waits its Retry-After and sends only that one again', async () => {
    // One request per 1.5 s window for the mailbox: of the two sub-requests, one gets 429.
    sim.setThrottling({ enabled: true, concurrencyPerMailbox: 4, budgetPerWindow: 1, windowMs: 1500 });
    const r = await ranges();
    const stats: ReadStats = { requests: 0, retries: 0 };
    const started = Date.now();
    const first = await readFirstPages(client(), await queries(), stats, policy);
    expect(stats.retries).toBeGreaterThanOrEqual(1);
    // 2 sub-requests first, then only the throttled one (once or more).
    expect(stats.requests).toBe(2 + stats.retries);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(first.messages!.items.length).toBe((await readAll()).messages.length);
    expect(first.calendar!.items.length).toBeGreaterThan(0);
  });

  it('when a sub-request fails for good (404 for an unknown mailbox), then it fails with the status the classifier reads', async () => {
    const r = await ranges();
    const stats: ReadStats = { requests: 0, retries: 0 };
    const unknown = '00000000-0000-4000-8000-0000000000ff';
    const failure = await readFirstPages(client(), { messages: messagesQuery(unknown, r.messages.after, r.messages.until), calendar: calendarSyncQuery(unknown, r.events.start, r.events.end) }, stats, policy).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BatchSubRequestError);
    expect((failure as BatchSubRequestError).statusCode).toBe(404);
    expect(stats.retries).toBe(0);
  });

  it('when the calendar sync state is gone (410 inside the batch), then the calendar comes back null for a new sync and the messages page still arrives', async () => {
    const q = await queries();
    const round: CalendarRound = { deltaLink: null };
    for await (const page of readCalendarChanges(client(), q.calendar, round, { requests: 0, retries: 0 }, policy)) void page;
    sim.tenant(tenantId).expireDeltaTokens([userId]);
    const stats: ReadStats = { requests: 0, retries: 0 };
    const first = await readFirstPages(client(), { messages: q.messages, calendar: calendarDeltaQuery(round.deltaLink!) }, stats, policy);
    expect(first.calendar).toBeNull();
    expect(first.messages!.items.length).toBeGreaterThan(0);
    expect(stats.retries).toBe(0);
    // Paging through a lost sync outside a batch throws what the engine recognises.
    const lost = await (async () => {
      for await (const page of readCalendarChanges(client(), calendarDeltaQuery(round.deltaLink!), { deltaLink: null }, stats, policy)) void page;
    })().catch((e: unknown) => e);
    expect(isSyncStateLost(lost)).toBe(true);
  });
});
