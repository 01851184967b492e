import { describe, expect, it } from 'vitest';
import { computeExpectedAggregates, computeExpectedScoreTerms, expectedAggregatesSummary, isAutomaticSender, isoWeekStart } from '../../../simulator/src/tenant/expected-aggregates';
import type { EnrichmentScope, ExpectedRow } from '../../../simulator/src/tenant/tenant.types';
import { handBuiltTenant, userId, userMail, type HandMeeting, type HandMessage } from './hand-built-tenant';

// 2026-03-15 is a Sunday; the window starts on Saturday 2025-03-15 12:00 UTC.
const AS_OF = new Date('2026-03-15T12:00:00Z');
const WINDOW_START = '2025-03-15T12:00:00.000Z';

const ana = userMail('ana');
const ben = userMail('ben');
const nia = userMail('nia'); // an organisation user who is never selected
const carla = 'carla.cruz@acme.example.com'; // stored mixed case in the dataset
const dan = 'dan@acme.example.com';
const eve = 'eve@bolt.example.com';
const fay = 'fay@acme.example.com'; // a contact of Bolt at Acme's domain

const ACCOUNTS = [
  { id: 'A', name: 'Acme', domains: ['acme.example.com'] },
  { id: 'B', name: 'Bolt, Inc.', domains: ['bolt.example.com', 'bolt.example.net'] },
  { id: 'C', name: 'Calm', domains: ['calm.example.com'] },
];
const CONTACTS = [
  { email: 'Carla.Cruz@Acme.example.com', accountId: 'A' },
  { email: dan, accountId: 'A' },
  { email: eve, accountId: 'B' },
  { email: fay, accountId: 'B' },
];

function run(messages: HandMessage[], meetings: HandMeeting[] = [], scope: Partial<EnrichmentScope> = {}): ExpectedRow[] {
  const tenant = handBuiltTenant({ users: ['ana', 'ben', 'nia'], accounts: ACCOUNTS, contacts: CONTACTS, messages, meetings });
  return computeExpectedAggregates(tenant, { selectedUserIds: [userId('ana'), userId('ben')], asOf: AS_OF, ...scope });
}

function row(rows: ExpectedRow[], accountId: string, level: ExpectedRow['AggregationLevel'] = 'Year', start?: string): ExpectedRow {
  const found = rows.filter((r) => r.AccountId === accountId && r.AggregationLevel === level && (start === undefined || r.AggregationStartDate === start));
  expect(found, `${accountId} ${level} ${start ?? ''}`).toHaveLength(1);
  return found[0] as ExpectedRow;
}

function emails(r: ExpectedRow): [number, number] {
  return [r.NoOfEmails_ToAccount, r.NoOfEmails_FromAccount];
}

describe('expected aggregates: emails', () => {
  it('when a seller writes and the contact replies, then one To, one From and the gap as reply time', () => {
    const rows = run([
      { id: 'm1', conversation: 'c1', from: ana, to: [carla], sent: '2026-03-02T09:00:00Z' },
      { id: 'm2', conversation: 'c1', from: carla, to: [ana], sent: '2026-03-02T11:30:00Z' },
    ]);
    const year = row(rows, 'A');
    expect(emails(year)).toEqual([1, 1]);
    expect(year.NoOfContactsInvolved_Emails).toBe(1);
    expect(year.NoOfAccountContactsInvolved_Emails).toBe(1);
    expect(year.AverageDuration_Of_AccountEmailReplies).toBe(150);
    expect(year.EngagementStartDate).toBe('2026-03-02T09:00:00.000Z');
    expect(year.DaysSinceLastEmail).toBe(13);
    expect(year.AggregationStartDate).toBe(WINDOW_START);
    expect(emails(row(rows, 'A', 'Week', '2026-03-02T00:00:00.000Z'))).toEqual([1, 1]);
    expect(emails(row(rows, 'A', 'Month', '2026-03-01T00:00:00.000Z'))).toEqual([1, 1]);
  });

  it('when a third party writes to a contact and a seller, then nothing is counted for the account', () => {
    const rows = run([{ id: 'x1', from: 'host@events.example.org', to: [carla, ana], sent: '2026-03-02T09:00:00Z' }]);
    expect(emails(row(rows, 'A'))).toEqual([0, 0]);
    expect(rows.filter((r) => r.AccountId === 'A')).toHaveLength(1);
  });

  it('when one message sits in two selected mailboxes, then it counts once with both people involved', () => {
    const rows = run([{ id: 'd1', from: carla, to: [ana], cc: [ben], sent: '2026-03-02T09:00:00Z' }]);
    const year = row(rows, 'A');
    expect(emails(year)).toEqual([0, 1]);
    expect(year.NoOfContactsInvolved_Emails).toBe(2);
    const onlyAna = run([{ id: 'd1', from: carla, to: [ana], cc: [ben], sent: '2026-03-02T09:00:00Z' }], [], { selectedUserIds: [userId('ana')] });
    expect(row(onlyAna, 'A').NoOfContactsInvolved_Emails).toBe(1);
  });

  it('when the only selected person is BCC, then the message is not counted', () => {
    const rows = run([
      { id: 'b1', from: carla, to: [dan], bcc: [ana], sent: '2026-03-02T09:00:00Z' },
      { id: 'b2', from: carla, to: [nia], bcc: [ben], sent: '2026-03-02T10:00:00Z' },
    ]);
    expect(emails(row(rows, 'A'))).toEqual([0, 0]);
  });

  it('when a selected person is BCC on a counted message, then they are not among the people involved', () => {
    const rows = run([{ id: 'b3', from: ana, to: [carla], bcc: [ben], sent: '2026-03-02T09:00:00Z' }]);
    const year = row(rows, 'A');
    expect(emails(year)).toEqual([1, 0]);
    expect(year.NoOfContactsInvolved_Emails).toBe(1);
  });

  it('when a domain is excluded, then its addresses are ignored as participants', () => {
    const rows = run([{ id: 'e1', from: ana, to: [carla, eve], sent: '2026-03-02T09:00:00Z' }], [], { excludedDomains: ['Acme.example.com'] });
    expect(emails(row(rows, 'A'))).toEqual([0, 0]);
    expect(emails(row(rows, 'B'))).toEqual([1, 0]);
  });

  it('when the sender is an excluded address, then the message is not counted for any account', () => {
    const rows = run([{ id: 'e2', from: carla, to: [ana], cc: [eve], sent: '2026-03-02T09:00:00Z' }], [], { excludedAddresses: [' Carla.Cruz@ACME.example.com '] });
    expect(emails(row(rows, 'A'))).toEqual([0, 0]);
    expect(emails(row(rows, 'B'))).toEqual([0, 0]);
  });

  it('when an excluded organisation address sends to a contact, then the message is not counted', () => {
    const rows = run([{ id: 'e3', from: ben, to: [carla], cc: [ana], sent: '2026-03-02T09:00:00Z' }], [], { excludedAddresses: [ben] });
    expect(emails(row(rows, 'A'))).toEqual([0, 0]);
    const kept = run([{ id: 'e3', from: ben, to: [carla], cc: [ana], sent: '2026-03-02T09:00:00Z' }]);
    expect(emails(row(kept, 'A'))).toEqual([1, 0]);
  });

  it('when an automatic organisation message sits between our message and the reply, then it is skipped for the reply time', () => {
    const rows = run([
      { id: 'n1', conversation: 'n', from: ana, to: [carla], sent: '2026-03-02T09:00:00Z' },
      { id: 'n2', conversation: 'n', from: 'notifications@org.example', to: [carla], cc: [ana], sent: '2026-03-02T09:10:00Z' },
      { id: 'n3', conversation: 'n', from: carla, to: [ana], sent: '2026-03-02T09:30:00Z' },
    ]);
    const year = row(rows, 'A');
    expect(emails(year)).toEqual([1, 1]);
    expect(year.AverageDuration_Of_AccountEmailReplies).toBe(30);
  });

  it('when an automatic sender writes from an account domain, then it is not counted even with domain matching', () => {
    expect(['noreply@x.com', 'No-Reply@x.com', 'do-not-reply@x', 'donotreply@x', 'notification@x', 'notifications@x', 'mailer-daemon@x', 'postmaster@x', 'bounces-123@x'].every(isAutomaticSender)).toBe(true);
    expect(['noreply.person@x.com', 'reply@x.com', 'ana@x.com'].some(isAutomaticSender)).toBe(false);
    const rows = run(
      [
        { id: 'a1', from: 'noreply@acme.example.com', to: [ana], sent: '2026-03-02T09:00:00Z' },
        { id: 'a2', from: 'notifications@acme.example.com', to: [ana], sent: '2026-03-02T10:00:00Z' },
        { id: 'a3', from: ana, to: [carla, 'no-reply@acme.example.com'], sent: '2026-03-02T11:00:00Z' },
      ],
      [],
      { matchAccountDomains: true },
    );
    const year = row(rows, 'A');
    expect(emails(year)).toEqual([1, 0]);
    expect(year.NoOfAccountContactsInvolved_Emails).toBe(1);
  });

  it('when domain matching is off, then a non-contact at the account domain does not count; when on, it does and a contact match wins', () => {
    const messages: HandMessage[] = [
      { id: 'z1', from: 'zed@acme.example.com', to: [ana], sent: '2026-03-02T09:00:00Z' },
      { id: 'z2', from: fay, to: [ana], sent: '2026-03-02T10:00:00Z' },
      { id: 'z3', from: 'ops@bolt.example.net', to: [ben], sent: '2026-03-02T11:00:00Z' },
    ];
    const off = run(messages);
    expect(emails(row(off, 'A'))).toEqual([0, 0]);
    expect(emails(row(off, 'B'))).toEqual([0, 1]);
    const on = run(messages, [], { matchAccountDomains: true });
    expect(emails(row(on, 'A'))).toEqual([0, 1]);
    expect(row(on, 'A').NoOfAccountContactsInvolved_Emails).toBe(1);
    expect(emails(row(on, 'B'))).toEqual([0, 2]);
  });

  it('when stored and written addresses differ in case and spacing, then they still match', () => {
    const rows = run([{ id: 'k1', from: 'CARLA.CRUZ@acme.EXAMPLE.com', to: [ana.toUpperCase()], sent: '2026-03-02T09:00:00Z' }], [], {
      contacts: [{ email: '  Carla.Cruz@ACME.example.com ', accountId: 'A' }],
    });
    expect(emails(row(rows, 'A'))).toEqual([0, 1]);
  });

  it('when one message involves two accounts, then it counts once for each', () => {
    const rows = run([{ id: 't1', from: ana, to: [carla], cc: [eve], sent: '2026-03-02T09:00:00Z' }]);
    expect(emails(row(rows, 'A'))).toEqual([1, 0]);
    expect(emails(row(rows, 'B'))).toEqual([1, 0]);
    expect(expectedAggregatesSummary(rows)).toMatchObject({ accountsWithActivity: 2, totalEmails: 2, totalMeetings: 0 });
  });

  it('when a draft exists, then it never counts and is skipped when finding the message before a reply', () => {
    const rows = run([
      { id: 'r1', conversation: 'd', from: ana, to: [carla], sent: '2026-03-02T09:00:00Z' },
      { id: 'r2', conversation: 'd', from: ana, to: [carla], sent: '2026-03-02T09:30:00Z', draft: true },
      { id: 'r3', conversation: 'd', from: carla, to: [ana], sent: '2026-03-02T10:00:00Z' },
    ]);
    const year = row(rows, 'A');
    expect(emails(year)).toEqual([1, 1]);
    expect(year.AverageDuration_Of_AccountEmailReplies).toBe(60);
  });
});

describe('expected aggregates: reply times', () => {
  const messages: HandMessage[] = [
    // Week of 2 March: the reply follows our follow-up (40 min), then a second account message (no sample).
    { id: 'r1', conversation: 'r', from: ana, to: [carla], sent: '2026-03-03T08:00:00Z' },
    { id: 'r2', conversation: 'r', from: ana, to: [carla], sent: '2026-03-03T09:00:00Z' },
    { id: 'r3', conversation: 'r', from: carla, to: [ana], sent: '2026-03-03T09:40:00Z' },
    { id: 'r4', conversation: 'r', from: dan, to: [ana], sent: '2026-03-03T10:00:00Z' },
    // Our message was seen by no selected mailbox, so the reply has no visible predecessor.
    { id: 'q1', conversation: 'q', from: nia, to: [carla], sent: '2026-03-04T08:00:00Z' },
    { id: 'q2', conversation: 'q', from: carla, to: [nia], cc: [ana], sent: '2026-03-04T10:00:00Z' },
    // Week of 9 March: an internal forward is an organisation message before the reply (30 min).
    { id: 'p1', conversation: 'p', from: carla, to: [ana], sent: '2026-03-10T08:00:00Z' },
    { id: 'p2', conversation: 'p', from: ana, to: [ben], sent: '2026-03-10T08:30:00Z' },
    { id: 'p3', conversation: 'p', from: carla, to: [ana], sent: '2026-03-10T09:00:00Z' },
  ];

  it('when replies follow organisation messages, then only those directly after one are samples, averaged per period', () => {
    const rows = run(messages);
    expect(row(rows, 'A', 'Week', '2026-03-02T00:00:00.000Z').AverageDuration_Of_AccountEmailReplies).toBe(40);
    expect(row(rows, 'A', 'Week', '2026-03-09T00:00:00.000Z').AverageDuration_Of_AccountEmailReplies).toBe(30);
    const year = row(rows, 'A');
    expect(year.AverageDuration_Of_AccountEmailReplies).toBe(35);
    expect(emails(year)).toEqual([2, 5]);
  });

  it('when the organisation message is visible to a selected mailbox, then it becomes the predecessor', () => {
    const rows = run(messages, [], { selectedUserIds: [userId('ana'), userId('ben'), userId('nia')] });
    // q2 now follows q1 (120 min): samples 40, 120 in week one.
    expect(row(rows, 'A', 'Week', '2026-03-02T00:00:00.000Z').AverageDuration_Of_AccountEmailReplies).toBe(80);
  });

  it('when an account sends no reply to us, then the reply time is null', () => {
    const rows = run([{ id: 'o1', from: ana, to: [carla], sent: '2026-03-02T09:00:00Z' }]);
    expect(row(rows, 'A').AverageDuration_Of_AccountEmailReplies).toBeNull();
  });
});

describe('expected aggregates: window and periods', () => {
  it('when items sit on the window edges, then (asOf − 365 d, asOf] and visibility at asOf decide', () => {
    const rows = run([
      { id: 'w1', from: carla, to: [ana], sent: '2025-03-15T12:00:00Z' }, // exactly the window start: out
      { id: 'w2', from: carla, to: [ana], sent: '2025-03-15T12:00:01Z' }, // just inside
      { id: 'w3', from: ana, to: [carla], sent: '2026-03-15T12:00:00Z' }, // at asOf, in the sender's Sent Items
      { id: 'w4', from: carla, to: [ana], sent: '2026-03-15T11:59:58Z' }, // not delivered until after asOf
      { id: 'w5', from: ana, to: [carla], sent: '2026-03-15T12:01:00Z' }, // after asOf
    ]);
    const year = row(rows, 'A');
    expect(emails(year)).toEqual([1, 1]);
    expect(year.EngagementStartDate).toBe('2025-03-15T12:00:01.000Z');
    expect(year.DaysSinceLastEmail).toBe(0);
    // Partial first periods exist and hold only the in-window item.
    expect(emails(row(rows, 'A', 'Week', '2025-03-10T00:00:00.000Z'))).toEqual([0, 1]);
    expect(emails(row(rows, 'A', 'Month', '2025-03-01T00:00:00.000Z'))).toEqual([0, 1]);
  });

  it('when an email is sent on a Sunday, then its week starts on the Monday before', () => {
    expect(new Date(isoWeekStart(Date.parse('2026-03-08T20:00:00Z'))).toISOString()).toBe('2026-03-02T00:00:00.000Z');
    const rows = run([
      { id: 's1', from: ana, to: [carla], sent: '2026-03-08T20:00:00Z' },
      { id: 's2', from: ana, to: [carla], sent: '2026-03-09T00:00:00Z' },
    ]);
    expect(emails(row(rows, 'A', 'Week', '2026-03-02T00:00:00.000Z'))).toEqual([1, 0]);
    expect(emails(row(rows, 'A', 'Week', '2026-03-09T00:00:00.000Z'))).toEqual([1, 0]);
    expect(emails(row(rows, 'A', 'Month', '2026-03-01T00:00:00.000Z'))).toEqual([2, 0]);
    expect(rows.filter((r) => r.AccountId === 'A' && r.AggregationLevel === 'Week')).toHaveLength(2);
  });

  it('when an account has no activity, then it has exactly one Year row of zeros and nulls', () => {
    const rows = run([{ id: 'n1', from: ana, to: [carla], sent: '2026-03-02T09:00:00Z' }]);
    expect(rows.filter((r) => r.AccountId === 'C')).toEqual([
      {
        AccountId: 'C',
        AccountName: 'Calm',
        AggregationLevel: 'Year',
        AggregationStartDate: WINDOW_START,
        NoOfEmails_ToAccount: 0,
        NoOfEmails_FromAccount: 0,
        NoOfMeetings_FromAccount: 0,
        NoOfMeetings_ToAccount: 0,
        NoOfContactsInvolved_Emails: 0,
        NoOfContactsInvolved_Meetings: 0,
        NoOfAccountContactsInvolved_Emails: 0,
        NoOfAccountContactsInvolved_Meetings: 0,
        EngagementStartDate: null,
        DaysSinceLastEmail: null,
        DaysSinceLastMeeting: null,
        AverageDuration_Of_Meetings: null,
        AverageDuration_Of_AccountEmailReplies: null,
        EngagementScore: 0,
      },
    ]);
  });

  it('when the scope lists only some accounts, then only those have rows', () => {
    const rows = run([{ id: 'n1', from: ana, to: [carla, eve], sent: '2026-03-02T09:00:00Z' }], [], { accounts: [ACCOUNTS[1]!] });
    expect(new Set(rows.map((r) => r.AccountId))).toEqual(new Set(['B']));
  });
});

describe('expected aggregates: meetings', () => {
  it('when one meeting has ended and a later one is still running, then days-since uses the ended one and both count', () => {
    const rows = run([], [
      { iCalUId: 'g1', organizer: ana, attendees: [carla, ben], start: '2026-03-12T10:00:00Z', minutes: 60 },
      { iCalUId: 'g2', organizer: carla, attendees: [ana], start: '2026-03-15T11:50:00Z', minutes: 30 },
    ]);
    const year = row(rows, 'A');
    expect([year.NoOfMeetings_FromAccount, year.NoOfMeetings_ToAccount]).toEqual([1, 1]);
    expect(year.DaysSinceLastMeeting).toBe(3);
    expect(year.AverageDuration_Of_Meetings).toBe(45);
    expect(year.NoOfContactsInvolved_Meetings).toBe(2);
    expect(year.NoOfAccountContactsInvolved_Meetings).toBe(1);
    expect(year.EngagementStartDate).toBe('2026-03-12T10:00:00.000Z');
  });

  it('when the only meeting has not ended, then it counts but days-since is null', () => {
    const rows = run([], [{ iCalUId: 'g2', organizer: carla, attendees: [ana], start: '2026-03-15T11:50:00Z', minutes: 30 }]);
    const year = row(rows, 'A');
    expect(year.NoOfMeetings_FromAccount).toBe(1);
    expect(year.DaysSinceLastMeeting).toBeNull();
    expect(year.AverageDuration_Of_Meetings).toBe(30);
  });

  it('when meetings are cancelled, future, third-party or without a selected person, then only the valid ones count', () => {
    const rows = run([], [
      { iCalUId: 'c-before', organizer: ana, attendees: [carla], start: '2026-03-10T10:00:00Z', minutes: 30, cancelled: '2026-03-09T10:00:00Z' },
      { iCalUId: 'c-after', organizer: ana, attendees: [carla], start: '2026-03-10T11:00:00Z', minutes: 30, cancelled: '2026-03-16T10:00:00Z' },
      { iCalUId: 'future', organizer: ana, attendees: [carla], start: '2026-03-16T10:00:00Z', minutes: 30, created: '2026-03-01T10:00:00Z' },
      { iCalUId: 'third', organizer: 'host@partner.example.org', attendees: [carla, ana], start: '2026-03-10T12:00:00Z', minutes: 30 },
      { iCalUId: 'unselected', organizer: carla, attendees: [nia], start: '2026-03-10T13:00:00Z', minutes: 30 },
      { iCalUId: 'internal', organizer: ana, attendees: [ben], start: '2026-03-10T14:00:00Z', minutes: 30 },
      // Entered after the fact: not in any calendar yet at asOf.
      { iCalUId: 'late', organizer: ana, attendees: [carla], start: '2026-03-14T10:00:00Z', minutes: 30, created: '2026-03-15T13:00:00Z' },
    ]);
    const year = row(rows, 'A');
    expect([year.NoOfMeetings_FromAccount, year.NoOfMeetings_ToAccount]).toEqual([0, 1]);
  });

  it('when a meeting involves two accounts and a room, then it counts for each account and the room changes nothing', () => {
    const rows = run([], [{ iCalUId: 'two', organizer: ana, attendees: [carla, dan, eve], rooms: [`room-1@org.example`], start: '2026-03-10T10:00:00Z', minutes: 90 }]);
    expect(row(rows, 'A').NoOfMeetings_ToAccount).toBe(1);
    expect(row(rows, 'A').NoOfAccountContactsInvolved_Meetings).toBe(2);
    expect(row(rows, 'B').NoOfMeetings_ToAccount).toBe(1);
    expect(row(rows, 'B').NoOfContactsInvolved_Meetings).toBe(1);
    expect(expectedAggregatesSummary(rows).totalMeetings).toBe(2);
  });

  it('when occurrences of a series share no iCalUId, then each occurrence counts separately', () => {
    const rows = run([], [
      { iCalUId: 'occ-1', organizer: carla, attendees: [ana], start: '2026-02-02T10:00:00Z', minutes: 30, type: 'occurrence' },
      { iCalUId: 'occ-2', organizer: carla, attendees: [ana], start: '2026-02-09T10:00:00Z', minutes: 30, type: 'occurrence' },
      { iCalUId: 'occ-3', organizer: carla, attendees: [ana], start: '2026-02-17T15:00:00Z', minutes: 30, type: 'exception' },
    ]);
    expect(row(rows, 'A').NoOfMeetings_FromAccount).toBe(3);
    expect(row(rows, 'A', 'Month', '2026-02-01T00:00:00.000Z').NoOfMeetings_FromAccount).toBe(3);
    expect(rows.filter((r) => r.AccountId === 'A' && r.AggregationLevel === 'Week')).toHaveLength(3);
  });
});

describe('expected aggregates: automatic addresses mapped as contacts', () => {
  const contacts = [...CONTACTS, { email: 'Postmaster@acme.example.com', accountId: 'A' }];

  it('when the dataset maps an automatic address as a contact, then its mail and meetings count; excluded, it does not', () => {
    const messages: HandMessage[] = [{ id: 'pm1', from: 'postmaster@acme.example.com', to: [ana], sent: '2026-03-02T09:00:00Z' }];
    const meetings: HandMeeting[] = [{ iCalUId: 'pm-m', organizer: 'postmaster@acme.example.com', attendees: [ben], start: '2026-03-03T10:00:00Z', minutes: 30 }];
    const year = row(run(messages, meetings, { contacts }), 'A');
    expect(emails(year)).toEqual([0, 1]);
    expect(year.NoOfMeetings_FromAccount).toBe(1);
    expect(year.NoOfAccountContactsInvolved_Emails).toBe(1);
    const excluded = row(run(messages, meetings, { contacts, excludedAddresses: ['postmaster@acme.example.com'] }), 'A');
    expect([...emails(excluded), excluded.NoOfMeetings_FromAccount]).toEqual([0, 0, 0]);
    const unmapped = row(run(messages, meetings, { matchAccountDomains: true }), 'A');
    expect([...emails(unmapped), unmapped.NoOfMeetings_FromAccount]).toEqual([0, 0, 0]);
  });
});

describe('expected aggregates: engagement score', () => {
  const key = (account: string, level: string, start: string) => `${account}|${level}|${start}`;

  it('when items have aged by whole half-lives, then each weighs w / 2^(age / H) and raw follows', () => {
    const messages: HandMessage[] = [
      { id: 's1', from: carla, to: [ana], sent: '2026-02-13T12:00:00Z' }, // from the account, 30 days: 2 / 2
      { id: 's2', from: ana, to: [dan], sent: '2026-03-15T12:00:00Z' }, // to the account, at asOf: 1
    ];
    const meetings: HandMeeting[] = [{ iCalUId: 's3', organizer: ana, attendees: [carla], start: '2026-01-14T12:00:00Z', minutes: 30 }]; // by us, 60 days: 3 / 4
    const terms = computeExpectedScoreTerms(handBuiltTenant({ users: ['ana', 'ben', 'nia'], accounts: ACCOUNTS, contacts: CONTACTS, messages, meetings }), {
      selectedUserIds: [userId('ana'), userId('ben')],
      asOf: AS_OF,
    }).get(key('A', 'Year', WINDOW_START))!;
    expect(terms).toMatchObject({ activityEmailsFromAccount: 1, activityEmailsToAccount: 1, activityMeetingsByOrganisation: 0.75, activityMeetingsByAccount: 0 });
    expect(terms.activity).toBe(2.75);
    expect(terms.people).toBe(2); // carla on email and meeting, dan
    expect(terms.raw).toBeCloseTo(Math.log(3.75) + 0.5 * Math.log(3), 12);
    expect(terms.recentEmails).toBe(2);
    expect(terms.recentMeetings).toBe(1);
    expect(terms.daysSinceLastContact).toBe(0);
  });

  it('when a week row is in the past, then ages run to the end of its week', () => {
    const messages: HandMessage[] = [{ id: 'p1', from: carla, to: [ana], sent: '2026-03-02T00:00:00Z' }];
    const tenant = handBuiltTenant({ users: ['ana', 'ben', 'nia'], accounts: ACCOUNTS, contacts: CONTACTS, messages });
    const terms = computeExpectedScoreTerms(tenant, { selectedUserIds: [userId('ana')], asOf: AS_OF, halfLifeDays: 7 });
    expect(terms.get(key('A', 'Week', '2026-03-02T00:00:00.000Z'))!.activity).toBe(1); // 2 × 2^(−7 / 7)
    expect(terms.get(key('A', 'Month', '2026-03-01T00:00:00.000Z'))!.activity).toBeCloseTo(2 * 2 ** (-(13.5) / 7), 12); // to asOf
  });

  it('when accounts are active, then they are ranked by mid-rank percentile with ties; the inactive score 0', () => {
    const rows = run([
      { id: 'k1', from: carla, to: [ana], sent: '2026-03-10T09:00:00Z' },
      { id: 'k2', from: eve, to: [ana], sent: '2026-03-10T09:00:00Z' },
    ]);
    // Acme and Bolt tie (one email each from one person at the same time): (0 + 2/2) / 2 = 50 %.
    expect([row(rows, 'A').EngagementScore, row(rows, 'B').EngagementScore, row(rows, 'C').EngagementScore]).toEqual([50, 50, 0]);
    const more = run([
      { id: 'k1', from: carla, to: [ana], sent: '2026-03-10T09:00:00Z' },
      { id: 'k2', from: eve, to: [ana], sent: '2026-03-10T09:00:00Z' },
      { id: 'k3', from: ana, to: [eve], sent: '2026-03-11T09:00:00Z' },
    ]);
    expect([row(more, 'A').EngagementScore, row(more, 'B').EngagementScore]).toEqual([25, 75]);
    expect(row(more, 'B', 'Week', '2026-03-09T00:00:00.000Z').EngagementScore).toBe(75);
  });
});
