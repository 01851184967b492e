import { addUnique, slotKey } from './engagement-buckets';
import type { AddressFacts } from './address-book';
import { messageOwner, selectedAmong, type MailboxScope, type MeetingLedger, type MessageCollector } from './mailbox-contribution';
import { ScratchList } from './scratch-list';
import { StringTable } from './string-table';
import type { UnmatchedDomainRules } from './unmatched-domain-rules';

/**
 * Busy external domains that match no account of the dataset, pure. Counted by the spec's rules
 * for accounts, with a domain in the account's place: an email counts for domain D when its
 * participants (from, to, cc, noise removed) include an address at D and a member of S, once per
 * message (the owner rule), "from D" when D's address sent it and "to D" when the organisation
 * did (a third party's message is not counted); a meeting likewise by its organiser. A domain is
 * unmatched when it is not the organisation's, not excluded, not a free-mail domain, and neither
 * an account's domain nor the domain of any contact of the dataset. Automatic senders and
 * excluded addresses are noise here as everywhere. Only aggregates leave this module, and a
 * domain is listed only when at least 3 of its people and 3 selected mailboxes are involved.
 */

export const MIN_PEOPLE_THEIRS = 3;
export const MIN_PEOPLE_OURS = 3;

/** One domain's counted items in one slot (see `slotKey`), from one or more mailboxes. */
export interface DomainBucket {
  h: number;
  emailsTo: number;
  emailsFrom: number;
  meetingsTo: number;
  meetingsFrom: number;
  /** People at the domain on counted items, as `personOf` keys (never addresses; reduced to a count when stored). */
  people: string[];
  /** Indexes in S of the selected people on counted items. */
  selected: number[];
  latest: number | null;
}

/** Emails counted for accounts or unmatched domains in one slot, and those for unmatched domains only. */
export interface ShareSlot {
  h: number;
  external: number;
  unmatched: number;
}

/** A mailbox's (or a run's) unmatched-domain activity by domain and slot, plus the email share. */
export interface DomainActivity {
  domains: Map<string, Map<number, DomainBucket>>;
  share: Map<number, ShareSlot>;
}

export const emptyDomainActivity = (): DomainActivity => ({ domains: new Map(), share: new Map() });

function bucket(a: DomainActivity, domain: string, h: number): DomainBucket {
  let slots = a.domains.get(domain);
  if (!slots) a.domains.set(domain, (slots = new Map()));
  let b = slots.get(h);
  if (!b) slots.set(h, (b = { h, emailsTo: 0, emailsFrom: 0, meetingsTo: 0, meetingsFrom: 0, people: [], selected: [], latest: null }));
  return b;
}

function shareSlot(a: DomainActivity, h: number): ShareSlot {
  let s = a.share.get(h);
  if (!s) a.share.set(h, (s = { h, external: 0, unmatched: 0 }));
  return s;
}

/** Adds the messages this mailbox counts (the owner rule) to `into`. */
export function addDomainEmails(messages: MessageCollector, scope: MailboxScope, rules: UnmatchedDomainRules, into: DomainActivity): DomainActivity {
  // Scratch lists, emptied for each message (see applyMessages).
  const selected = new ScratchList<number>();
  const domains = new ScratchList<string>();
  for (let n = 0; n < messages.size; n++) {
    const m = messages.message(n);
    if (messageOwner(m.sender, m.participants) !== scope.self) continue;
    if (selectedAmong(m.participants, selected).size === 0) continue;
    const sender = m.sender;
    const forAccount = countsForAnAccount(sender, m.participants);
    const senderDomain = rules.domainOf(sender);
    domains.clear();
    for (const p of m.participants) {
      const d = rules.domainOf(p);
      if (d && !domains.includes(d)) domains.push(d);
    }
    let forDomain = false;
    for (let k = 0; k < domains.size; k++) {
      const d = domains.items[k]!;
      const fromDomain = senderDomain === d;
      if (!fromDomain && !sender.organisation) continue;
      const b = bucket(into, d, slotKey(m.sent));
      if (fromDomain) b.emailsFrom++;
      else b.emailsTo++;
      for (const p of m.participants) if (rules.domainOf(p) === d) addUnique(b.people, rules.personOf(p));
      for (let k = 0; k < selected.size; k++) addUnique(b.selected, selected.items[k]!);
      b.latest = b.latest === null ? m.sent : Math.max(b.latest, m.sent);
      forDomain = true;
    }
    if (forAccount || forDomain) {
      const s = shareSlot(into, slotKey(m.sent));
      s.external++;
      if (forDomain && !forAccount) s.unmatched++;
    }
  }
  return into;
}

/** Whether a message counts for some account: one of its participants is an account's, and the organisation or that account sent it. */
function countsForAnAccount(sender: AddressFacts, participants: readonly AddressFacts[]): boolean {
  for (const p of participants) {
    if (p.accounts.length === 0) continue;
    if (sender.organisation) return true;
    for (const account of p.accounts) if (sender.accounts.includes(account)) return true;
  }
  return false;
}

/** Adds the ledger's meetings in the window (each identity once) to `into`. */
export function addDomainMeetings(ledger: MeetingLedger, scope: Pick<MailboxScope, 'asOf' | 'windowStart'>, into: DomainActivity): DomainActivity {
  const seen = new Set<number>();
  for (const m of ledger.values()) {
    if (!m.domains?.length || !(m.start > scope.windowStart && m.start <= scope.asOf) || seen.has(m.identity)) continue;
    seen.add(m.identity);
    for (const { domain, fromDomain, people } of m.domains) {
      const b = bucket(into, domain, slotKey(m.start));
      if (fromDomain) b.meetingsFrom++;
      else b.meetingsTo++;
      for (const p of people) addUnique(b.people, p);
      for (const i of m.selected) addUnique(b.selected, i);
      b.latest = b.latest === null ? m.start : Math.max(b.latest, m.start);
    }
  }
  return into;
}

/** Adds `from` into `into` (slots merge: sums add, sets unite). */
export function mergeDomainActivity(into: DomainActivity, from: DomainActivity): DomainActivity {
  for (const [domain, slots] of from.domains) {
    for (const b of slots.values()) {
      const t = bucket(into, domain, b.h);
      t.emailsTo += b.emailsTo;
      t.emailsFrom += b.emailsFrom;
      t.meetingsTo += b.meetingsTo;
      t.meetingsFrom += b.meetingsFrom;
      for (const p of b.people) addUnique(t.people, p);
      for (const i of b.selected) addUnique(t.selected, i);
      t.latest = t.latest === null ? b.latest : b.latest === null ? t.latest : Math.max(t.latest, b.latest);
    }
  }
  for (const s of from.share.values()) {
    const t = shareSlot(into, s.h);
    t.external += s.external;
    t.unmatched += s.unmatched;
  }
  return into;
}

/** Drops the slots that fell out of the window (a refresh carries the rest). */
export function pruneDomainActivity(a: DomainActivity, windowStart: number): DomainActivity {
  for (const [domain, slots] of a.domains) {
    for (const h of slots.keys()) if (h <= windowStart) slots.delete(h);
    if (slots.size === 0) a.domains.delete(domain);
  }
  for (const h of a.share.keys()) if (h <= windowStart) a.share.delete(h);
  return a;
}

/**
 * As a mailbox state keeps it between runs (the email part: meetings live in the ledger), and as a
 * mailbox's partials carry it to finalize (emails and meetings): columns, one entry per domain
 * slot, each domain's slots after each other, people as indexes into one table. Kept as a list of
 * slot objects (`LegacyPackedDomainActivity`), a mailbox's activity was about 100 KB of JSON,
 * spelled out twice per mailbox read (its state, its partials) and parsed back by the next
 * refresh and by finalize: the largest part of encoding a mailbox's outcome (issue 13).
 */
export interface PackedDomainActivity {
  domains: string[];
  /** How many slots each domain has: its slots follow each other in the columns. */
  counts: number[];
  h: number[];
  emailsTo: number[];
  emailsFrom: number[];
  meetingsTo: number[];
  meetingsFrom: number[];
  latest: Array<number | null>;
  /** Per slot, its people as indexes into `people`. */
  peopleOf: number[][];
  people: string[];
  selected: number[][];
  share: { h: number[]; external: number[]; unmatched: number[] };
}

/** How states written before issue 13 packed the activity (still read: a refresh's base may be one). */
export interface LegacyPackedDomainActivity {
  domains: Array<[string, DomainBucket[]]>;
  share: ShareSlot[];
}

const isLegacy = (p: PackedDomainActivity | LegacyPackedDomainActivity): p is LegacyPackedDomainActivity => !('counts' in p);

/**
 * Packs `a` into columns. The columns share the slots' `selected` lists: a caller that changes
 * `a` afterwards must have turned the packed value into bytes first.
 */
export function packDomainActivity(a: DomainActivity): PackedDomainActivity {
  let total = 0;
  for (const slots of a.domains.values()) total += slots.size;
  const column = <T>() => new Array<T>(total);
  const people = new StringTable();
  const p: PackedDomainActivity = {
    domains: [], counts: [], h: column(), emailsTo: column(), emailsFrom: column(), meetingsTo: column(), meetingsFrom: column(), latest: column(),
    peopleOf: column(), people: people.strings, selected: column(),
    share: { h: new Array(a.share.size), external: new Array(a.share.size), unmatched: new Array(a.share.size) },
  };
  let j = 0;
  for (const [domain, slots] of a.domains) {
    p.domains.push(domain);
    p.counts.push(slots.size);
    for (const b of slots.values()) {
      p.h[j] = b.h;
      p.emailsTo[j] = b.emailsTo;
      p.emailsFrom[j] = b.emailsFrom;
      p.meetingsTo[j] = b.meetingsTo;
      p.meetingsFrom[j] = b.meetingsFrom;
      p.latest[j] = b.latest;
      p.peopleOf[j] = people.indexesOf(b.people);
      p.selected[j] = b.selected;
      j++;
    }
  }
  let k = 0;
  for (const s of a.share.values()) {
    p.share.h[k] = s.h;
    p.share.external[k] = s.external;
    p.share.unmatched[k] = s.unmatched;
    k++;
  }
  return p;
}

export function unpackDomainActivity(p: PackedDomainActivity | LegacyPackedDomainActivity | undefined): DomainActivity {
  const a = emptyDomainActivity();
  if (!p) return a;
  if (isLegacy(p)) {
    for (const [d, list] of p.domains) a.domains.set(d, new Map(list.map((b) => [b.h, { ...b, people: [...b.people], selected: [...b.selected] }])));
    for (const s of p.share) a.share.set(s.h, { ...s });
    return a;
  }
  let j = 0;
  for (let d = 0; d < p.domains.length; d++) {
    const slots = new Map<number, DomainBucket>();
    for (const end = j + p.counts[d]!; j < end; j++) {
      const peopleOf = p.peopleOf[j]!;
      const people = new Array<string>(peopleOf.length);
      for (let k = 0; k < peopleOf.length; k++) people[k] = p.people[peopleOf[k]!]!;
      const h = p.h[j]!;
      slots.set(h, { h, emailsTo: p.emailsTo[j]!, emailsFrom: p.emailsFrom[j]!, meetingsTo: p.meetingsTo[j]!, meetingsFrom: p.meetingsFrom[j]!, people, selected: [...p.selected[j]!], latest: p.latest[j]! });
    }
    a.domains.set(p.domains[d]!, slots);
  }
  for (let k = 0; k < p.share.h.length; k++) {
    const h = p.share.h[k]!;
    a.share.set(h, { h, external: p.share.external[k]!, unmatched: p.share.unmatched[k]! });
  }
  return a;
}

/** One listed domain: counts only. */
export interface UnmatchedDomainRow {
  domain: string;
  emailsToDomain: number;
  emailsFromDomain: number;
  meetings: number;
  meetingsByDomain: number;
  peopleTheirs: number;
  peopleOurs: number;
  lastContact: number;
}

export interface UnmatchedDomainsSummary {
  /** Busiest first (emails and meetings together), then by domain. */
  domains: UnmatchedDomainRow[];
  /** Unmatched domains left out because fewer than 3 of their people or of ours were involved. */
  belowThreshold: number;
  /** Emails counted for an account or an unmatched domain in the window, and those for unmatched domains only. */
  externalEmails: number;
  unmatchedEmails: number;
}

/** The run's figures from everyone's activity: the threshold applied, people reduced to counts. */
export function summariseUnmatchedDomains(a: DomainActivity, window: { start: number; end: number }): UnmatchedDomainsSummary {
  return new UnmatchedDomainsTally(window).add(packDomainActivity(a)).summary();
}

/** One domain's figures over the window, as the summary shows them. */
interface DomainTally {
  row: UnmatchedDomainRow;
  people: Set<string>;
  ours: Set<number>;
}

/**
 * A run's unmatched-domain figures summed mailbox by mailbox, straight from each mailbox's packed
 * activity: per domain only what the summary shows (counts, distinct people on both sides, last
 * contact, over the window's slots). Merging every mailbox's activity slot by slot first, then
 * summing, gave the same figures but held the whole run's activity in memory and cost finalize
 * seconds at 2,500 mailboxes (issue 13).
 */
export class UnmatchedDomainsTally {
  private readonly domains = new Map<string, DomainTally>();
  private externalEmails = 0;
  private unmatchedEmails = 0;

  constructor(private readonly window: { start: number; end: number }) {}

  private inWindow(h: number): boolean {
    return h > this.window.start && h <= this.window.end;
  }

  add(packed: PackedDomainActivity | LegacyPackedDomainActivity): this {
    const a = isLegacy(packed) ? packDomainActivity(unpackDomainActivity(packed)) : packed;
    let j = 0;
    for (let d = 0; d < a.domains.length; d++) {
      const domain = a.domains[d]!;
      for (const end = j + a.counts[d]!; j < end; j++) {
        if (!this.inWindow(a.h[j]!)) continue;
        let t = this.domains.get(domain);
        if (!t) {
          t = { row: { domain, emailsToDomain: 0, emailsFromDomain: 0, meetings: 0, meetingsByDomain: 0, peopleTheirs: 0, peopleOurs: 0, lastContact: 0 }, people: new Set(), ours: new Set() };
          this.domains.set(domain, t);
        }
        t.row.emailsToDomain += a.emailsTo[j]!;
        t.row.emailsFromDomain += a.emailsFrom[j]!;
        t.row.meetings += a.meetingsTo[j]! + a.meetingsFrom[j]!;
        t.row.meetingsByDomain += a.meetingsFrom[j]!;
        for (const p of a.peopleOf[j]!) t.people.add(a.people[p]!);
        for (const i of a.selected[j]!) t.ours.add(i);
        const latest = a.latest[j]!;
        if (latest !== null) t.row.lastContact = Math.max(t.row.lastContact, latest);
      }
    }
    for (let k = 0; k < a.share.h.length; k++) {
      if (!this.inWindow(a.share.h[k]!)) continue;
      this.externalEmails += a.share.external[k]!;
      this.unmatchedEmails += a.share.unmatched[k]!;
    }
    return this;
  }

  summary(): UnmatchedDomainsSummary {
    const domains: UnmatchedDomainRow[] = [];
    let belowThreshold = 0;
    for (const { row, people, ours } of this.domains.values()) {
      const listed = { ...row, peopleTheirs: people.size, peopleOurs: ours.size };
      if (listed.peopleTheirs >= MIN_PEOPLE_THEIRS && listed.peopleOurs >= MIN_PEOPLE_OURS) domains.push(listed);
      else belowThreshold++;
    }
    const total = (r: UnmatchedDomainRow) => r.emailsToDomain + r.emailsFromDomain + r.meetings;
    domains.sort((x, y) => total(y) - total(x) || (x.domain < y.domain ? -1 : x.domain > y.domain ? 1 : 0));
    return { domains, belowThreshold, externalEmails: this.externalEmails, unmatchedEmails: this.unmatchedEmails };
  }
}
