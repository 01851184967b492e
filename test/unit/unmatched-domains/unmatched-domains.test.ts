import { describe, expect, it } from 'vitest';
import { buildAddressBook } from '../../../api/src/runs/domain/address-book';
import { HOUR_MS, WINDOW_MS } from '../../../api/src/runs/domain/engagement-buckets';
import { applyCalendarChanges, collectMessages, meetingBuckets, packLedger, unpackLedger, type EventMeta, type MailboxScope, type MeetingLedger, type MessageMeta } from '../../../api/src/runs/domain/mailbox-contribution';
import {
  addDomainEmails,
  addDomainMeetings,
  emptyDomainActivity,
  type DomainBucket,
  mergeDomainActivity,
  packDomainActivity,
  pruneDomainActivity,
  summariseUnmatchedDomains,
  UnmatchedDomainsTally,
  unpackDomainActivity,
} from '../../../api/src/runs/domain/unmatched-domains';
import { buildUnmatchedDomainRules } from '../../../api/src/runs/domain/unmatched-domain-rules';
import { decodePartialBytes, partialBytes } from '../../../api/src/runs/output/partials-codec';

const asOf = Date.UTC(2026, 2, 2);
const windowStart = asOf - WINDOW_MS;
const ours = ['ann', 'bob', 'cid', 'dee'].map((n, i) => ({ userId: `u${i}`, mail: `${n}@contoso.example` }));
const book = buildAddressBook({
  selected: ours,
  organisationDomains: ['contoso.example'],
  contacts: [{ email: 'pat@customer.example', accountId: 'A1' }, { email: 'kim@gmail.com', accountId: 'A2' }],
  accountDomains: [{ accountId: 'A3', domains: ['listed.example'] }],
  matchAccountDomains: false,
  excludedAddresses: [],
  excludedDomains: ['excluded.example'],
});
const rules = buildUnmatchedDomainRules({ matchedDomains: ['customer.example', 'gmail.com', 'listed.example'], freeMailDomains: ['gmail.com', 'hotmail.com'] });
const scopeOf = (self: number): MailboxScope => ({ self, book, asOf, windowStart, halfLifeDays: 30, domains: rules });

let n = 0;
const message = (from: string, to: string[], at: number, cc: string[] = []): MessageMeta => {
  n++;
  const iso = new Date(at).toISOString();
  return { internetMessageId: `<m${n}@x>`, conversationId: `c${n}`, from, to, cc, sentDateTime: iso, receivedDateTime: iso, isDraft: false };
};
const event = (organizer: string, attendees: string[], at: number): EventMeta => {
  n++;
  return { id: `e${n}`, iCalUId: `ical${n}`, type: 'singleInstance', start: new Date(at).toISOString(), end: new Date(at + HOUR_MS).toISOString(), organizer, attendees, isCancelled: false };
};
const day = 86_400_000;
/** Emails of one mailbox (index `self`), as the engine collects them. */
const emails = (self: number, list: MessageMeta[]) => addDomainEmails(collectMessages(null, list, scopeOf(self)), scopeOf(self), rules, emptyDomainActivity());

describe('which participants are at a busy domain that matches no account', () => {
  it('when an address is a stranger at an unknown company, then its domain counts; ours, accounts, contact domains, free mail, excluded and automatic ones do not', () => {
    const domain = (a: string) => rules.domainOf(book.lookup(a));
    expect(domain('lee@prospect.example')).toBe('prospect.example');
    expect(domain('LEE@Prospect.Example ')).toBe('prospect.example');
    expect(domain('ann@contoso.example')).toBeNull();
    expect(domain('pat@customer.example')).toBeNull();
    // Another address at a contact's domain: the domain matches an account.
    expect(domain('sam@customer.example')).toBeNull();
    expect(domain('sam@listed.example')).toBeNull();
    expect(domain('joe@hotmail.com')).toBeNull();
    expect(domain('joe@excluded.example')).toBeNull();
    expect(domain('no-reply@prospect.example')).toBeNull();
  });
  it('when people are counted, then they are kept as hashes, never as addresses', () => {
    const a = emails(0, [message('lee@prospect.example', ['ann@contoso.example'], asOf - day)]);
    const people = [...a.domains.get('prospect.example')!.values()][0]!.people;
    expect(people).toHaveLength(1);
    expect(people[0]).not.toContain('@');
    expect(people[0]).toBe(rules.personOf(book.lookup('lee@prospect.example')));
  });
});

describe('forgetting what was looked up (a finalize frees the memory)', () => {
  it('when the book and the rules forget their lookups between two mailboxes, then every address gets the same answers and the counts are the same', () => {
    const list = [
      message('lee@prospect.example', ['ann@contoso.example', 'pat@customer.example'], asOf - day),
      message('ann@contoso.example', ['LEE@Prospect.Example', 'max@prospect.example'], asOf - 2 * day, ['no-reply@prospect.example']),
    ];
    const before = emails(0, list);
    const facts = book.lookup('lee@prospect.example');
    const person = rules.personOf(facts);
    book.forgetLookups();
    rules.forgetLookups();
    const again = book.lookup('lee@prospect.example');
    // A new object: what was remembered is gone, and the answers are the same.
    expect(again).not.toBe(facts);
    expect(again).toEqual(facts);
    expect(book.lookup(' LEE@prospect.example')).toBe(again);
    expect(rules.domainOf(again)).toBe('prospect.example');
    expect(rules.personOf(again)).toBe(person);
    expect(emails(0, list)).toEqual(before);
  });
});

describe('counting for a domain, as the spec counts for an account', () => {
  it('when a stranger writes, we answer and a third party copies them, then emails are counted each way and the third party\'s is not', () => {
    const a = emails(0, [
      message('lee@prospect.example', ['ann@contoso.example'], asOf - 3 * day),
      message('ann@contoso.example', ['lee@prospect.example', 'max@prospect.example'], asOf - 2 * day),
      message('events@fair.example', ['ann@contoso.example', 'lee@prospect.example'], asOf - day),
    ]);
    const s = summariseUnmatchedDomains(a, { start: windowStart, end: asOf });
    // Below the threshold (2 of theirs, 1 of ours): not listed, but counted for the share.
    expect(s.domains).toEqual([]);
    expect(s.belowThreshold).toBe(2);
    expect(s).toMatchObject({ externalEmails: 3, unmatchedEmails: 3 });
    const slots = [...a.domains.get('prospect.example')!.values()];
    expect(slots.reduce((x, b) => x + b.emailsFrom, 0)).toBe(1);
    expect(slots.reduce((x, b) => x + b.emailsTo, 0)).toBe(1);
    expect(a.domains.get('fair.example')!.size).toBe(1);
  });
  it('when a message involves an account too, then it is external but not unmatched email; one held by two selected mailboxes counts once', () => {
    const both = message('ann@contoso.example', ['pat@customer.example', 'lee@prospect.example', 'bob@contoso.example'], asOf - day);
    const first = emails(0, [both]);
    const second = emails(1, [both]);
    const all = mergeDomainActivity(mergeDomainActivity(emptyDomainActivity(), first), second);
    const s = summariseUnmatchedDomains(all, { start: windowStart, end: asOf });
    expect(s).toMatchObject({ externalEmails: 1, unmatchedEmails: 0 });
    expect([...all.domains.get('prospect.example')!.values()][0]!.emailsTo).toBe(1);
  });
  it('when 3 of their people and 3 of ours are involved, then the domain is listed with counts only, and items outside the window are not', () => {
    const people = ['lee', 'max', 'ray'];
    const list = people.map((p, i) => message(`${p}@prospect.example`, [ours[i]!.mail], asOf - (i + 1) * day));
    list.push(message('zed@prospect.example', ['dee@contoso.example'], windowStart));
    // Every one of these is owned by its recipient's mailbox.
    const all = emptyDomainActivity();
    ours.forEach((_, self) => mergeDomainActivity(all, emails(self, list)));
    const s = summariseUnmatchedDomains(all, { start: windowStart, end: asOf });
    expect(s.domains).toEqual([{ domain: 'prospect.example', emailsToDomain: 0, emailsFromDomain: 3, meetings: 0, meetingsByDomain: 0, peopleTheirs: 3, peopleOurs: 3, lastContact: asOf - day }]);
  });
  it('when each mailbox\'s activity is tallied on its own, then the figures equal those of the merged activity', () => {
    const people = ['lee', 'max', 'ray'];
    const list = people.map((p, i) => message(`${p}@prospect.example`, [ours[i]!.mail], asOf - (i + 1) * day));
    list.push(message('ann@contoso.example', ['lee@prospect.example', 'pat@customer.example'], asOf - 4 * day));
    list.push(message('zed@prospect.example', ['dee@contoso.example'], windowStart));
    const window = { start: windowStart, end: asOf };
    const perMailbox = ours.map((_, self) => emails(self, list));
    const merged = emptyDomainActivity();
    for (const a of perMailbox) mergeDomainActivity(merged, a);
    const tally = new UnmatchedDomainsTally(window);
    for (const a of perMailbox) tally.add(packDomainActivity(a));
    const expected = summariseUnmatchedDomains(merged, window);
    expect(expected.domains.length).toBeGreaterThan(0);
    expect(tally.summary()).toEqual(expected);
  });
  it('when meetings are held with the domain, then the ledger keeps them for the domain alone and the account buckets ignore them', () => {
    const scope = scopeOf(0);
    const ledger: MeetingLedger = new Map();
    applyCalendarChanges(ledger, [
      { removed: false, event: event('ann@contoso.example', ['lee@prospect.example', 'bob@contoso.example', 'cid@contoso.example'], asOf - 5 * day) },
      { removed: false, event: event('lee@prospect.example', ['ann@contoso.example', 'max@prospect.example', 'ray@prospect.example'], asOf - 4 * day) },
      { removed: false, event: event('lee@prospect.example', ['ann@contoso.example'], asOf + 4 * day) },
    ], scope);
    expect(ledger.size).toBe(3);
    expect(meetingBuckets(ledger, scope)).toEqual({ buckets: new Map(), meetingsCounted: 0 });
    // Packed and unpacked as the mailbox state keeps it.
    const a = addDomainMeetings(unpackLedger(packLedger(ledger)), scope, emptyDomainActivity());
    const s = summariseUnmatchedDomains(a, { start: windowStart, end: asOf });
    expect(s.domains).toEqual([{ domain: 'prospect.example', emailsToDomain: 0, emailsFromDomain: 0, meetings: 2, meetingsByDomain: 1, peopleTheirs: 3, peopleOurs: 3, lastContact: asOf - 4 * day }]);
    // Meetings are not emails: the share is about email.
    expect(s.externalEmails).toBe(0);
  });
});

describe('carrying between runs', () => {
  it('when the activity is packed, unpacked and pruned to a later window, then what fell out is gone and the rest is unchanged', () => {
    const a = emails(0, [message('lee@prospect.example', ['ann@contoso.example'], windowStart + day), message('lee@prospect.example', ['ann@contoso.example'], asOf - day)]);
    const carried = pruneDomainActivity(unpackDomainActivity(JSON.parse(JSON.stringify(packDomainActivity(a)))), windowStart + 2 * day);
    expect([...carried.domains.get('prospect.example')!.keys()]).toHaveLength(1);
    expect([...carried.share.values()].reduce((x, s) => x + s.external, 0)).toBe(1);
    expect(unpackDomainActivity(undefined)).toEqual(emptyDomainActivity());
  });

  // Twelve days of messages from three people at the domain, and one to an account: enough slots
  // for the columns to be written as binary number columns.
  const busy = () =>
    emails(0, [
      ...Array.from({ length: 12 }, (_, i) => message(`${['lee', 'max', 'ray'][i % 3]}@prospect.example`, ['ann@contoso.example'], asOf - (i + 1) * day)),
      message('ann@contoso.example', ['pat@customer.example', 'lee@prospect.example'], asOf - 20 * day),
    ]);

  it('when the activity goes to bytes and back as a state keeps it, then it unpacks to the same slots', () => {
    const a = busy();
    const back = unpackDomainActivity(decodePartialBytes(partialBytes(packDomainActivity(a))));
    expect(back).toEqual(a);
    expect([...back.domains.get('prospect.example')!.values()].flatMap((b) => b.people).sort()).toHaveLength(13);
  });

  it('when a state from before columns keeps the activity as lists of slots, then it unpacks and tallies to the same figures', () => {
    const a = busy();
    const legacy = { domains: [...a.domains].map(([d, slots]) => [d, [...slots.values()]] as [string, DomainBucket[]]), share: [...a.share.values()] };
    const stored = JSON.parse(JSON.stringify(legacy));
    expect(unpackDomainActivity(stored)).toEqual(a);
    const window = { start: windowStart, end: asOf };
    expect(new UnmatchedDomainsTally(window).add(stored).summary()).toEqual(summariseUnmatchedDomains(a, window));
  });
});
