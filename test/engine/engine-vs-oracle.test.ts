import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphClientFactory } from '../../api/src/platform/graph/graph-client.factory';
import { createMsalClientFactory } from '../../api/src/platform/graph/msal-client.factory';
import { createLogger } from '../../api/src/platform/logger/logger';
import { buildAddressBook } from '../../api/src/runs/domain/address-book';
import { accountRowsOfSlots, type AccountRow } from '../../api/src/runs/domain/account-rows';
import { WINDOW_MS, type AccountBuckets, type Bucket } from '../../api/src/runs/domain/engagement-buckets';
import { addMessages, applyCalendarChanges, meetingBuckets, pruneLedger, pruneToWindow, type CalendarChange, type ConversationTails, type MeetingLedger, type MessageMeta } from '../../api/src/runs/domain/mailbox-contribution';
import { calendarDeltaQuery, calendarSyncQuery, readCalendarChanges, readMessages, type CalendarRound, type ReadStats } from '../../api/src/runs/graph/graph-mailbox.reader';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { computeExpectedAggregates, computeExpectedResult, isAutomaticSender } from '../../simulator/src/tenant/expected-aggregates';
import type { EnrichmentScope, Tenant } from '../../simulator/src/tenant/tenant.types';
import { mailboxPartials } from '../../api/src/runs/domain/account-partials';
import { decodePartialBytes, packPartials, partialBytes, type PackedPartials } from '../../api/src/runs/output/partials-codec';
import { ShardSlots } from '../../api/src/runs/output/shard-slots';
import { rankRows } from '../../api/src/runs/domain/score-ranking';
import { scoreTermMismatches } from '../support/score-oracle';
import { startTestSimulator, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../support/simulator';

let sim: RunningSimulator;
let tenant: Tenant;
let tenantId: string;

beforeAll(async () => {
  sim = await startTestSimulator();
  const handle = sim.tenants().find((t) => t.tenant.spec.slug === 'contoso')!;
  tenant = handle.tenant;
  tenantId = handle.tenantId;
});
afterAll(async () => {
  await sim?.close();
});

async function collect<T>(it: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of it) out.push(...page);
  return out;
}

interface MailboxState {
  messageBuckets: AccountBuckets;
  tails: ConversationTails;
  ledger: MeetingLedger;
  deltaLink: string;
}

/** The engine's domain steps composed in memory, reading the simulator through Graph. */
async function runEngine(selected: Array<{ userId: string; mail: string }>, asOf: number, previous?: { asOf: number; states: Map<string, MailboxState> }, options: { matchAccountDomains?: boolean; excludedDomains?: string[]; halfLifeDays?: number } = {}) {
  const halfLifeDays = options.halfLifeDays ?? 30;
  const msalFor = createMsalClientFactory({ clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, authorityHost: sim.url }, createLogger('silent'));
  const client = createGraphClientFactory({ baseUrl: sim.url, maxRetries: 5, retryDelaySeconds: 0, msalFor }).forApp(tenantId);
  const book = buildAddressBook({
    selected,
    organisationDomains: tenant.verifiedDomains,
    contacts: tenant.contacts,
    accountDomains: tenant.accounts.map((a) => ({ accountId: a.id, domains: a.domains })),
    matchAccountDomains: options.matchAccountDomains ?? false,
    excludedAddresses: [],
    excludedDomains: options.excludedDomains ?? [],
  });
  const windowStart = asOf - WINDOW_MS;
  const ordered = [...selected].sort((a, b) => (a.userId < b.userId ? -1 : 1));
  const stats: ReadStats = { requests: 0, retries: 0 };
  const slots = new ShardSlots();
  const states = new Map<string, MailboxState>();
  let messagesRead = 0;
  await Promise.all(
    ordered.map(async (mailbox, self) => {
      const scope = { self, book, asOf, windowStart, halfLifeDays };
      const prior = previous?.states.get(mailbox.userId);
      const since = prior ? new Date(previous!.asOf) : new Date(windowStart);
      const messages: MessageMeta[] = await collect(readMessages(client, mailbox.userId, since, new Date(asOf), stats));
      const buckets = prior ? structuredClone(prior.messageBuckets) : new Map();
      const tails = prior ? new Map(prior.tails) : new Map();
      pruneToWindow(buckets, tails, windowStart);
      const step = addMessages(messages, scope, buckets, tails);
      messagesRead += step.messagesRead;
      // The calendar: a refresh applies the changes since the previous run's delta link to its ledger.
      const query = prior ? calendarDeltaQuery(prior.deltaLink) : calendarSyncQuery(mailbox.userId, new Date(windowStart), new Date(asOf + 365 * 86_400_000));
      const round: CalendarRound = { deltaLink: null };
      const changes: CalendarChange[] = await collect(readCalendarChanges(client, query, round, stats));
      const ledger: MeetingLedger = prior ? new Map(prior.ledger) : new Map();
      pruneLedger(ledger, windowStart);
      applyCalendarChanges(ledger, changes, scope);
      const meetings = meetingBuckets(ledger, scope);
      states.set(mailbox.userId, { messageBuckets: step.buckets, tails: step.tails, ledger, deltaLink: round.deltaLink! });
      // The product's own merge: the mailbox's partials (new buckets, never the carried state itself), stored as bytes and merged in place as finalize does.
      for (const partials of mailboxPartials([step.buckets, meetings.buckets], 1).values()) slots.add(decodePartialBytes<PackedPartials>(partialBytes(packPartials(partials))));
    }),
  );
  const rows: AccountRow[] = [];
  for (const account of tenant.accounts) rows.push(...accountRowsOfSlots({ id: account.id, name: account.name }, slots.inOrder(account.id), asOf, halfLifeDays));
  return { rows: rankRows(rows), states, stats, messagesRead };
}

const key = (r: { AccountId: string; AggregationLevel: string; AggregationStartDate: string }) => `${r.AccountId}|${r.AggregationLevel}|${r.AggregationStartDate}`;

/** Every column (EngagementScore included) and every score term equal the oracle's for the same scope. */
function compare(actual: Awaited<ReturnType<typeof runEngine>>['rows'], scope: EnrichmentScope) {
  const { rows: expected, terms } = computeExpectedResult(tenant, scope);
  const a = new Map(actual.map((r) => [key(r), r]));
  const e = new Map(expected.map((r) => [key(r), r]));
  expect([...a.keys()].sort()).toEqual([...e.keys()].sort());
  const mismatches: string[] = [];
  for (const [k, exp] of e) {
    const act = a.get(k)!;
    for (const column of Object.keys(exp) as Array<keyof typeof exp>) {
      const x = act[column as keyof AccountRow];
      const y = exp[column];
      const same = typeof x === 'number' && typeof y === 'number' ? Math.abs(x - y) < 1e-6 : x === y;
      if (!same) mismatches.push(`${k} ${column}: engine ${x} oracle ${y}`);
    }
  }
  expect(mismatches.slice(0, 20)).toEqual([]);
  expect(scoreTermMismatches(actual, terms, scope.halfLifeDays ?? 30).slice(0, 20)).toEqual([]);
}

describe('engine domain against the simulator oracle', () => {
  it('when 20 mailboxes of the demo tenant are read through Graph, then every row and column equals the oracle', async () => {
    const selected = tenant.users.slice(0, 20).map((u) => ({ userId: u.id, mail: u.mail }));
    const asOf = sim.tenant(tenantId).now().getTime();
    const { rows } = await runEngine(selected, asOf);
    const scope = { selectedUserIds: selected.map((s) => s.userId), asOf: new Date(asOf) };
    expect(rows.filter((r) => r.AggregationLevel === 'Year' && r.NoOfEmails_ToAccount + r.NoOfEmails_FromAccount > 0).length).toBeGreaterThan(20);
    // The selection holds mail from automatic addresses the dataset maps as contacts: without
    // the mapping's exception the oracle counts less, so equal rows prove the engine counts them.
    const withoutException = computeExpectedAggregates(tenant, { ...scope, contacts: tenant.contacts.filter((c) => !isAutomaticSender(c.email)) });
    const fromAccount = (list: Array<{ AggregationLevel: string; NoOfEmails_FromAccount: number }>) => list.filter((r) => r.AggregationLevel === 'Year').reduce((n, r) => n + r.NoOfEmails_FromAccount, 0);
    expect(fromAccount(rows)).toBeGreaterThan(fromAccount(withoutException));
    compare(rows, scope);
  });

  it('when domain matching is on, a domain is excluded and the half-life is 7 days, then the rows still equal the oracle', async () => {
    const selected = tenant.users.slice(10, 30).map((u) => ({ userId: u.id, mail: u.mail }));
    const asOf = sim.tenant(tenantId).now().getTime();
    const excludedDomains = [tenant.accounts[3]!.domains[0]!];
    const { rows } = await runEngine(selected, asOf, undefined, { matchAccountDomains: true, excludedDomains, halfLifeDays: 7 });
    compare(rows, { selectedUserIds: selected.map((s) => s.userId), asOf: new Date(asOf), matchAccountDomains: true, excludedDomains, halfLifeDays: 7 });
  });

  it('when a refresh reads only the week since the previous run, then it equals a full run as of the later instant', async () => {
    const selected = tenant.users.slice(0, 12).map((u) => ({ userId: u.id, mail: u.mail }));
    const handle = sim.tenant(tenantId);
    const first = handle.now().getTime();
    const initial = await runEngine(selected, first);
    handle.advance(7 * 86_400_000);
    const later = handle.now().getTime();
    const refresh = await runEngine(selected, later, { asOf: first, states: initial.states });
    const full = await runEngine(selected, later);
    expect(refresh.messagesRead).toBeGreaterThan(0);
    expect(refresh.messagesRead * 10).toBeLessThan(full.messagesRead);
    compare(refresh.rows, { selectedUserIds: selected.map((s) => s.userId), asOf: new Date(later) });
    // Scores and their terms included, to the last bit: the carried email buckets' sums are exact.
    expect(refresh.rows).toEqual(full.rows);
  });
});
