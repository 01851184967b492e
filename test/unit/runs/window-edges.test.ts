/**
 * The engine's domain steps against the oracle on items placed exactly on the instants where
 * the window, weeks and months begin and end, on a full run and on a refresh that carries the
 * previous run's email buckets forward (pruned to the new window).
 */
import { describe, expect, it } from 'vitest';
import { accountRowsOfSlots, type AccountRow } from '../../../api/src/runs/domain/account-rows';
import { buildAddressBook } from '../../../api/src/runs/domain/address-book';
import { WINDOW_MS, type AccountBuckets, type Bucket } from '../../../api/src/runs/domain/engagement-buckets';
import { addMessages, applyCalendarChanges, meetingBuckets, pruneToWindow, type ConversationTails, type EventMeta, type MeetingLedger, type MessageMeta } from '../../../api/src/runs/domain/mailbox-contribution';
import { toEventMeta, toMessageMeta } from '../../../api/src/runs/graph/graph-mailbox.reader';
import { computeExpectedResult } from '../../../simulator/src/tenant/expected-aggregates';
import type { EnrichmentScope, ExpectedRow, Tenant } from '../../../simulator/src/tenant/tenant.types';
import { mailboxPartials } from '../../../api/src/runs/domain/account-partials';
import { decodePartialBytes, packPartials, partialBytes, type PackedPartials } from '../../../api/src/runs/output/partials-codec';
import { ShardSlots } from '../../../api/src/runs/output/shard-slots';
import { rankRows } from '../../../api/src/runs/domain/score-ranking';
import { scoreRowKey, scoreTermMismatches } from '../../support/score-oracle';
import { handBuiltTenant, userId, userMail, type HandMeeting, type HandMessage } from '../simulator/hand-built-tenant';

// The first window starts on a Monday at 00:00 UTC; the refresh's window a week later too.
const AS_OF_1 = Date.parse('2026-03-17T00:00:00Z');
const AS_OF_2 = Date.parse('2026-03-24T00:00:00Z');
const START_1 = '2025-03-17T00:00:00Z';
const START_2 = '2025-03-24T00:00:00Z';

const ana = userMail('ana');
const ben = userMail('ben');
const carla = 'carla@acme.example.com';
const dan = 'dan@bolt.example.com';
const acmeNoReply = 'no-reply@acme.example.com'; // mapped as a contact of Acme: counts
const boltPostmaster = 'postmaster@bolt.example.com'; // mapped as a contact of Bolt, but excluded
const acmeNotifications = 'notifications@acme.example.com'; // at Acme's domain, no contact: automatic

const ACCOUNTS = [
  { id: 'A', name: 'Acme', domains: ['acme.example.com'] },
  { id: 'B', name: 'Bolt', domains: ['bolt.example.com'] },
];
const CONTACTS = [
  { email: carla, accountId: 'A' },
  { email: 'No-Reply@Acme.example.com', accountId: 'A' },
  { email: dan, accountId: 'B' },
  { email: boltPostmaster, accountId: 'B' },
];

const MESSAGES: HandMessage[] = [
  { id: 'w-start-1', from: carla, to: [ana], sent: START_1 }, // exactly the first window's start: never counted
  { id: 'w-start-1-later', from: carla, to: [ana], sent: '2025-03-17T00:00:01Z' }, // just inside, Monday's week
  { id: 'w-start-2', from: ana, to: [carla], sent: START_2 }, // in the first window (a Monday: its own week), out of the second
  { id: 'w-start-2-hour', from: ana, to: [dan], sent: '2025-03-24T01:00:00Z' }, // inside both windows
  { id: 'sunday-late', from: carla, to: [ben], sent: '2025-11-30T23:30:00Z' }, // Sunday, November
  { id: 'month-start', from: ana, to: [carla], cc: [ben], sent: '2026-03-01T00:00:00Z' }, // a Sunday: a month's first instant
  { id: 'ninety', from: dan, to: [ana], sent: '2025-12-17T00:00:00Z' }, // exactly 90 days before the first as-of
  { id: 'as-of-1', from: ana, to: [carla], sent: '2026-03-17T00:00:00Z' }, // exactly the first as-of (Sent Items)
  { id: 'as-of-2', from: ana, to: [dan], sent: '2026-03-24T00:00:00Z' }, // exactly the second as-of
  { id: 'mapped-1', conversation: 'inv', from: acmeNoReply, to: [ana], sent: '2026-02-02T00:00:00Z' }, // mapped automatic contact, a Monday
  { id: 'mapped-2', conversation: 'inv', from: carla, to: [ana], sent: '2026-02-02T09:00:00Z' },
  { id: 'excluded', from: boltPostmaster, to: [ben], sent: '2026-02-03T10:00:00Z' }, // mapped but excluded
  { id: 'automatic', from: acmeNotifications, to: [ana], cc: [carla], sent: '2026-02-04T10:00:00Z' }, // automatic, not a contact
  { id: 'between', from: carla, to: [ben], sent: '2026-03-20T15:20:00Z' }, // only the refresh reads it
];

const MEETINGS: HandMeeting[] = [
  { iCalUId: 'm-start-1', organizer: ana, attendees: [carla], start: START_1, minutes: 30 }, // out
  { iCalUId: 'm-week', organizer: carla, attendees: [ana, ben], start: '2025-12-01T00:00:00Z', minutes: 60 }, // a Monday, the 1st
  { iCalUId: 'm-month', organizer: ben, attendees: [dan], start: '2026-02-01T00:00:00Z', minutes: 45 }, // a Sunday, the 1st
  { iCalUId: 'm-mapped', organizer: acmeNoReply, attendees: [ben], start: '2026-01-12T10:00:00Z', minutes: 30 }, // organised by the mapped address
  { iCalUId: 'm-as-of-1', organizer: ana, attendees: [dan], start: '2026-03-17T00:00:00Z', minutes: 30, created: '2026-03-01T00:00:00Z' }, // starts at the first as-of
  { iCalUId: 'm-start-2', organizer: dan, attendees: [ben], start: START_2, minutes: 30 }, // in the first window only
];

const tenant = handBuiltTenant({ users: ['ana', 'ben'], accounts: ACCOUNTS, contacts: CONTACTS, messages: MESSAGES, meetings: MEETINGS });
const selected = tenant.users.map((u) => ({ userId: u.id, mail: u.mail }));
const exclusions = { excludedAddresses: [boltPostmaster], matchAccountDomains: true };

interface MailboxState {
  buckets: AccountBuckets;
  tails: ConversationTails;
}

/**
 * The engine's domain steps over what each mailbox would serve through Graph at `asOf`: messages
 * received since the previous run (or the whole window), the whole window's calendar.
 */
function runDomain(t: Tenant, asOf: number, halfLifeDays: number, previous?: { asOf: number; states: Map<string, MailboxState> }) {
  const book = buildAddressBook({
    selected,
    organisationDomains: t.verifiedDomains,
    contacts: t.contacts,
    accountDomains: t.accounts.map((a) => ({ accountId: a.id, domains: a.domains })),
    matchAccountDomains: exclusions.matchAccountDomains,
    excludedAddresses: exclusions.excludedAddresses,
    excludedDomains: [],
  });
  const windowStart = asOf - WINDOW_MS;
  const slots = new ShardSlots();
  const states = new Map<string, MailboxState>();
  [...selected].sort((a, b) => (a.userId < b.userId ? -1 : 1)).forEach((mailbox, self) => {
    const scope = { self, book, asOf, windowStart, halfLifeDays };
    const prior = previous?.states.get(mailbox.userId);
    const since = prior ? previous!.asOf : windowStart;
    const messages = t
      .mailboxMessages(mailbox.userId, { visibleAt: new Date(asOf) })
      .filter((m) => Date.parse(m.receivedDateTime) > since)
      .map((m) => toMessageMeta(m))
      .filter((m): m is MessageMeta => m !== null);
    const buckets: AccountBuckets = prior ? structuredClone(prior.buckets) : new Map();
    const tails = prior ? new Map(prior.tails) : (new Map() as ConversationTails);
    pruneToWindow(buckets, tails, windowStart);
    const step = addMessages(messages, scope, buckets, tails);
    states.set(mailbox.userId, { buckets: structuredClone(step.buckets), tails: new Map(step.tails) });
    const events = t
      .mailboxEvents(mailbox.userId, { start: new Date(windowStart), end: new Date(asOf + 60_000), visibleAt: new Date(asOf) })
      .map((e) => toEventMeta(e))
      .filter((e): e is EventMeta => e !== null);
    // The calendar read in full, as a run without a sync state reads it: every item applied to an empty ledger.
    const ledger: MeetingLedger = new Map();
    applyCalendarChanges(ledger, events.map((event) => ({ removed: false as const, event })), scope);
    const meetings = meetingBuckets(ledger, scope);
    // The product's own merge: the mailbox's partials (one shard here), stored as bytes and merged in place as finalize does.
    for (const partials of mailboxPartials([step.buckets, meetings.buckets], 1).values()) slots.add(decodePartialBytes<PackedPartials>(partialBytes(packPartials(partials))));
  });
  const rows: AccountRow[] = t.accounts.flatMap((a) => accountRowsOfSlots({ id: a.id, name: a.name }, slots.inOrder(a.id), asOf, halfLifeDays));
  return { rows: rankRows(rows), states };
}

function oracleOf(asOf: number, halfLifeDays: number) {
  const scope: EnrichmentScope = { selectedUserIds: [userId('ana'), userId('ben')], asOf: new Date(asOf), halfLifeDays, ...exclusions };
  return computeExpectedResult(tenant, scope);
}

function expectEqualsOracle(actual: ReturnType<typeof runDomain>['rows'], expected: ReturnType<typeof oracleOf>, halfLifeDays: number) {
  const byKey = new Map(actual.map((r) => [scoreRowKey(r), r]));
  expect([...byKey.keys()].sort()).toEqual(expected.rows.map(scoreRowKey).sort());
  const mismatches: string[] = [];
  for (const exp of expected.rows) {
    const act = byKey.get(scoreRowKey(exp))! as unknown as Record<string, unknown>;
    for (const [column, value] of Object.entries(exp)) if (act[column] !== value) mismatches.push(`${scoreRowKey(exp)} ${column}: engine ${String(act[column])} oracle ${String(value)}`);
  }
  expect(mismatches).toEqual([]);
  expect(scoreTermMismatches(actual, expected.terms, halfLifeDays)).toEqual([]);
}

const rowOf = (rows: ExpectedRow[], account: string, level: ExpectedRow['AggregationLevel'], start: string) =>
  rows.find((r) => r.AccountId === account && r.AggregationLevel === level && r.AggregationStartDate === new Date(start).toISOString());

describe('window and period edges: engine domain against the oracle', () => {
  it('when items sit exactly on the window’s start and end and on week and month starts, then a full run equals the oracle', () => {
    const expected = oracleOf(AS_OF_1, 7);
    const full = runDomain(tenant, AS_OF_1, 7);
    expectEqualsOracle(full.rows, expected, 7);

    // What the edges mean, spelled out on the oracle the engine was just held to.
    const acmeYear = rowOf(expected.rows, 'A', 'Year', START_1)!;
    expect(acmeYear.EngagementStartDate).toBe('2025-03-17T00:00:01.000Z'); // the item at the window's start is out
    expect(rowOf(expected.rows, 'A', 'Week', START_2)?.NoOfEmails_ToAccount).toBe(1); // a Monday 00:00 item opens its week
    expect(rowOf(expected.rows, 'A', 'Week', '2025-11-24T00:00:00Z')?.NoOfEmails_FromAccount).toBe(1); // Sunday 23:30 stays in its week
    expect(rowOf(expected.rows, 'A', 'Week', '2025-12-01T00:00:00Z')?.NoOfMeetings_FromAccount).toBe(1);
    expect(rowOf(expected.rows, 'A', 'Month', '2025-12-01T00:00:00Z')?.NoOfMeetings_FromAccount).toBe(1);
    expect(rowOf(expected.rows, 'A', 'Month', '2026-03-01T00:00:00Z')?.NoOfEmails_ToAccount).toBe(2); // the 1st at 00:00 and the as-of
    expect(rowOf(expected.rows, 'B', 'Month', '2026-02-01T00:00:00Z')?.NoOfMeetings_ToAccount).toBe(1);
    expect(rowOf(expected.rows, 'A', 'Week', '2026-03-16T00:00:00Z')?.NoOfEmails_ToAccount).toBe(1); // the item at the as-of counts
  });

  it('when an address is mapped as a contact, then it counts though it looks automatic; excluded and unmapped automatic addresses do not', () => {
    const { rows } = oracleOf(AS_OF_1, 7);
    const feb = rowOf(rows, 'A', 'Week', '2026-02-02T00:00:00Z')!;
    expect(feb.NoOfEmails_FromAccount).toBe(2); // no-reply@ (mapped) and carla; notifications@ is not counted
    expect(feb.AverageDuration_Of_AccountEmailReplies).toBeNull(); // no organisation message before either
    expect(feb.NoOfAccountContactsInvolved_Emails).toBe(2);
    expect(rowOf(rows, 'A', 'Week', '2026-01-12T00:00:00Z')?.NoOfMeetings_FromAccount).toBe(1); // organised by the mapped address
    expect(rowOf(rows, 'B', 'Week', '2026-02-02T00:00:00Z')).toBeUndefined(); // postmaster@bolt is excluded
    const engine = runDomain(tenant, AS_OF_1, 7).rows;
    expect(engine.find((r) => r.AccountId === 'A' && r.AggregationLevel === 'Week' && r.AggregationStartDate === '2026-02-02T00:00:00.000Z')?.NoOfEmails_FromAccount).toBe(2);
  });

  it('when a refresh carries the previous run forward a week, then it drops what left the window and equals the oracle and a full run', () => {
    const first = runDomain(tenant, AS_OF_1, 7);
    const refresh = runDomain(tenant, AS_OF_2, 7, { asOf: AS_OF_1, states: first.states });
    const full = runDomain(tenant, AS_OF_2, 7);
    const expected = oracleOf(AS_OF_2, 7);
    expectEqualsOracle(refresh.rows, expected, 7);
    // Identical to the last bit: the carried buckets' sums are exact integers.
    expect(refresh.rows).toEqual(full.rows);
    // The item exactly at the new window's start was counted before and is gone now, from the
    // rows and from what the next refresh would carry.
    expect(rowOf(oracleOf(AS_OF_1, 7).rows, 'A', 'Week', START_2)).toBeDefined();
    const carried = [...refresh.states.values()].flatMap((s) => [...s.buckets.values()].flatMap((bySlot) => [...bySlot.keys()]));
    expect(carried.length).toBeGreaterThan(0);
    expect(carried.filter((h) => h <= Date.parse(START_2))).toEqual([]);
    expect(rowOf(expected.rows, 'A', 'Week', START_2)).toBeUndefined();
    expect(rowOf(expected.rows, 'B', 'Week', START_2)?.NoOfEmails_ToAccount).toBe(1); // the item an hour later stays
  });

  it('when the half-life is the default, then the engine still equals the oracle, and scores differ from a 7-day half-life only through the terms', () => {
    const expected = oracleOf(AS_OF_2, 30);
    const full = runDomain(tenant, AS_OF_2, 30);
    expectEqualsOracle(full.rows, expected, 30);
    const year = (rows: AccountRow[]) => rows.find((r) => r.AccountId === 'A' && r.AggregationLevel === 'Year')!.ScoreParts;
    expect(year(full.rows).activity).toBeGreaterThan(year(runDomain(tenant, AS_OF_2, 7).rows).activity);
  });
});
