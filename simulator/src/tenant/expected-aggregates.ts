/**
 * The expected-aggregates oracle: what the app's output entity must contain for a tenant
 * and an enrichment scope, computed from the generator's ground truth (logical items), not
 * from what the Graph endpoints serve. It is written independently of the app's aggregation
 * code on purpose: the two are compared in tests.
 *
 * Follows /work/shared/spec/engagement-metrics.md. Where the spec is silent:
 *  1. Organisation addresses are addresses in one of `tenant.verifiedDomains`. Every address
 *     is compared trimmed and lower-cased.
 *  2. An address belongs to account A when it is the email of a contact of A. With
 *     `matchAccountDomains`, an address that is no contact at all belongs to the account(s)
 *     whose domain equals its domain exactly (no subdomain matching); a contact match wins.
 *  3. Excluded addresses, addresses in excluded domains and automatic senders (local part
 *     no-reply / noreply / do-not-reply / donotreply / notification(s) / mailer-daemon /
 *     postmaster / bounce*) are ignored as participants. A message SENT by one of them (or a
 *     meeting ORGANISED by one) is not counted at all, and such messages are also left out
 *     of the conversation sequence used for reply times. An address that is a contact of the
 *     dataset is never an automatic sender (the admin's mapping wins); exclusions still apply.
 *  4. An item counts only if it is in the window (asOf − 365 days, asOf] (emails by
 *     sentDateTime, meetings by start) and visible at asOf in at least one selected mailbox
 *     (email: a non-draft copy whose receivedDateTime ≤ asOf; meeting: a selected holder and
 *     createdDateTime ≤ asOf). Drafts never count.
 *  5. Email participants: from, to, cc (never bcc). The email counts for A if the
 *     participants include an address of A and a member of S. Sender is an organisation
 *     address → ToAccount; sender is an address of A → FromAccount; otherwise not counted
 *     for A. Identity is internetMessageId (each logical message once).
 *  6. Meetings: singles, occurrences and exceptions (never series masters), not cancelled as
 *     of asOf (cancelledDateTime > asOf or none), identity iCalUId + start. Participants:
 *     organizer + attendees of every type (rooms are organisation addresses that are never
 *     members of S nor of an account, so they change nothing). Organizer an address of A →
 *     FromAccount; organizer an organisation address → ToAccount; otherwise not counted.
 *  7. NoOfContactsInvolved_* counts distinct members of S among the participants of the
 *     counted items; NoOfAccountContactsInvolved_* distinct addresses of A among them.
 *  8. Reply time: for each counted FromAccount email m of A, the conversation's messages
 *     visible at asOf in any selected mailbox (non-draft, in the window, once per
 *     internetMessageId, rule 3 applied) are ordered by sentDateTime (ties by
 *     internetMessageId); if the message directly before m was sent from an organisation
 *     address, (m.sent − previous.sent) in minutes is a sample. A row's value is the mean of
 *     the samples whose m falls in the row's period; null when there are none.
 *  9. Periods: Week = ISO week from Monday 00:00 UTC; Month = calendar month (UTC); Year =
 *     the whole window with AggregationStartDate = asOf − 365 days. A Week/Month row exists
 *     only when the account has a counted email or meeting in it (partial periods at the
 *     window edges count only in-window items). Every account in scope has a Year row.
 * 10. DaysSinceLastEmail = floor((asOf − latest counted email's sent) / 1 day);
 *     DaysSinceLastMeeting = same with the start of the latest counted meeting whose end ≤
 *     asOf (null if none has ended). AverageDuration_Of_Meetings is the mean of
 *     (end − start) in minutes over counted meetings (ended or not). Averages are not rounded.
 * 11. EngagementStartDate = earliest counted email sent / meeting start in the period.
 * 12. EngagementScore follows the spec item by item: each counted item of a row weighs
 *     w × 2^(−age / H) (email to the account 1, from it 2, meeting organised by the
 *     organisation 3, by the account 4; age from the row's reference instant: asOf for Year,
 *     min(period end, asOf) for Week and Month; H = scope.halfLifeDays, default 30);
 *     raw = ln(1 + Σ) + 0.5 ln(1 + P), P the account's distinct addresses on the row's
 *     counted emails and meetings; the score is round_half_up(100 × (L + E/2) / N) among the
 *     accounts with something counted in the same level and period, raws within 1e-9
 *     (relative) of a neighbour in sorted order being equal; 0 with nothing counted.
 *     `computeExpectedScoreTerms` also gives each row's terms and the card's recent counts
 *     (items in the 90 days up to the reference instant) and days since the last contact
 *     (latest email or ended meeting, to the reference instant).
 *
 * Memory: accumulators per account and period (with the distinct people seen there); items
 * are streamed conversation by conversation and meeting by meeting.
 */
import type { AggregationLevel, EnrichmentScope, ExpectedRow, Tenant } from './tenant.types';
import { forEachLogicalConversation, forEachLogicalMeeting, type LogicalItemOptions, type LogicalMeeting, type LogicalMessage } from './logical-items';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const WINDOW_DAYS = 365;
const RECENT_DAYS = 90;
const DEFAULT_HALF_LIFE_DAYS = 30;
const WEIGHT = { emailTo: 1, emailFrom: 2, meetingByOrganisation: 3, meetingByAccount: 4 } as const;

const AUTOMATIC_LOCAL_PART = /^(?:no-?reply|do-?not-?reply|notifications?|mailer-daemon|postmaster|bounce.*)$/;

export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at >= 0 ? address.slice(at + 1) : '';
}

function localPartOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at >= 0 ? address.slice(0, at) : address;
}

export function isAutomaticSender(address: string): boolean {
  return AUTOMATIC_LOCAL_PART.test(localPartOf(normalizeAddress(address)));
}

/** Monday 00:00 UTC of the ISO week containing `ms`. */
export function isoWeekStart(ms: number): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  const weekday = new Date(day).getUTCDay(); // 0 = Sunday
  return day - ((weekday + 6) % 7) * DAY_MS;
}

/** The first instant of the UTC calendar month containing `ms`. */
export function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** What the score of a row is made of, per the spec (see rule 12). */
export interface ExpectedScoreTerms {
  activity: number;
  activityEmailsToAccount: number;
  activityEmailsFromAccount: number;
  activityMeetingsByOrganisation: number;
  activityMeetingsByAccount: number;
  people: number;
  raw: number;
  recentEmails: number;
  recentMeetings: number;
  daysSinceLastContact: number | null;
}

interface PeriodAccumulator {
  level: AggregationLevel;
  startMs: number;
  emailsTo: number;
  emailsFrom: number;
  meetingsFrom: number;
  meetingsTo: number;
  selectedOnEmails: Set<string>;
  selectedOnMeetings: Set<string>;
  accountOnEmails: Set<string>;
  accountOnMeetings: Set<string>;
  earliestMs: number;
  latestEmailMs: number;
  latestEndedMeetingStartMs: number;
  /** Sums in whole milliseconds: exact, so the result does not depend on item order. */
  meetingMsSum: number;
  replyMsSum: number;
  replySamples: number;
  /** The instant ages are measured from for the score. */
  referenceMs: number;
  activityEmailsTo: number;
  activityEmailsFrom: number;
  activityMeetingsByOrganisation: number;
  activityMeetingsByAccount: number;
  recentEmails: number;
  recentMeetings: number;
}

function newAccumulator(level: AggregationLevel, startMs: number, asOfMs: number): PeriodAccumulator {
  let end = asOfMs;
  if (level === 'Week') end = startMs + 7 * DAY_MS;
  if (level === 'Month') {
    const d = new Date(startMs);
    end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return {
    level,
    startMs,
    referenceMs: Math.min(end, asOfMs),
    activityEmailsTo: 0,
    activityEmailsFrom: 0,
    activityMeetingsByOrganisation: 0,
    activityMeetingsByAccount: 0,
    recentEmails: 0,
    recentMeetings: 0,
    emailsTo: 0,
    emailsFrom: 0,
    meetingsFrom: 0,
    meetingsTo: 0,
    selectedOnEmails: new Set(),
    selectedOnMeetings: new Set(),
    accountOnEmails: new Set(),
    accountOnMeetings: new Set(),
    earliestMs: Number.POSITIVE_INFINITY,
    latestEmailMs: Number.NEGATIVE_INFINITY,
    latestEndedMeetingStartMs: Number.NEGATIVE_INFINITY,
    meetingMsSum: 0,
    replyMsSum: 0,
    replySamples: 0,
  };
}

/** Resolves addresses to selected users, accounts, organisation and ignored status. */
export class AddressBook {
  readonly selectedIds: Set<string>;
  private readonly selectedAddresses = new Set<string>();
  private readonly orgDomains: Set<string>;
  private readonly contactAccounts = new Map<string, string[]>();
  private readonly domainAccounts = new Map<string, string[]>();
  private readonly excludedAddresses: Set<string>;
  private readonly excludedDomains: Set<string>;

  constructor(tenant: Tenant, scope: EnrichmentScope, accountIds: Set<string>, accounts: Array<{ id: string; domains: string[] }>) {
    this.selectedIds = new Set(scope.selectedUserIds.map((id) => id.toLowerCase()));
    for (const u of tenant.users) {
      if (!this.selectedIds.has(u.id.toLowerCase())) continue;
      this.selectedAddresses.add(normalizeAddress(u.mail));
      this.selectedAddresses.add(normalizeAddress(u.userPrincipalName));
    }
    this.orgDomains = new Set(tenant.verifiedDomains.map(normalizeAddress));
    for (const c of scope.contacts ?? tenant.contacts) {
      if (!accountIds.has(c.accountId)) continue;
      const key = normalizeAddress(c.email);
      const list = this.contactAccounts.get(key) ?? [];
      if (!list.includes(c.accountId)) list.push(c.accountId);
      this.contactAccounts.set(key, list);
    }
    if (scope.matchAccountDomains) {
      for (const a of accounts) {
        for (const d of a.domains) {
          const key = normalizeAddress(d);
          const list = this.domainAccounts.get(key) ?? [];
          if (!list.includes(a.id)) list.push(a.id);
          this.domainAccounts.set(key, list);
        }
      }
    }
    this.excludedAddresses = new Set((scope.excludedAddresses ?? []).map(normalizeAddress));
    this.excludedDomains = new Set((scope.excludedDomains ?? []).map((d) => normalizeAddress(d).replace(/^@/, '')));
  }

  isIgnored(address: string): boolean {
    if (this.excludedAddresses.has(address) || this.excludedDomains.has(domainOf(address))) return true;
    return isAutomaticSender(address) && !this.contactAccounts.has(address);
  }

  isOrganisation(address: string): boolean {
    return this.orgDomains.has(domainOf(address));
  }

  isSelected(address: string): boolean {
    return this.selectedAddresses.has(address);
  }

  accountsOf(address: string): readonly string[] {
    const byContact = this.contactAccounts.get(address);
    if (byContact) return byContact;
    return this.domainAccounts.get(domainOf(address)) ?? [];
  }
}

interface PreparedMessage {
  source: LogicalMessage;
  sender: string;
  participants: string[];
}

/** The account's periods an item at `ms` falls in (Week, Month, Year), created on demand. */
class PeriodTable {
  private readonly byAccount = new Map<string, Map<string, PeriodAccumulator>>();

  constructor(
    private readonly windowStartMs: number,
    private readonly asOfMs: number,
  ) {}

  periodsFor(accountId: string, ms: number): PeriodAccumulator[] {
    let periods = this.byAccount.get(accountId);
    if (!periods) {
      periods = new Map();
      this.byAccount.set(accountId, periods);
    }
    const keys: Array<[AggregationLevel, number]> = [
      ['Week', isoWeekStart(ms)],
      ['Month', monthStart(ms)],
      ['Year', this.windowStartMs],
    ];
    return keys.map(([level, start]) => {
      const key = `${level}:${start}`;
      let acc = periods.get(key);
      if (!acc) {
        acc = newAccumulator(level, start, this.asOfMs);
        periods.set(key, acc);
      }
      return acc;
    });
  }

  periodsOf(accountId: string): PeriodAccumulator[] {
    return [...(this.byAccount.get(accountId)?.values() ?? [])];
  }
}

/**
 * A meeting occurrence as the selected mailboxes show it at the as-of (rules 4 and 6), the first
 * time its identity is met: its organiser, participants (noise removed) and the members of S
 * among them; null when it does not count at all.
 */
export function countableMeeting(
  meeting: LogicalMeeting,
  at: { asOfMs: number; inWindow: (ms: number) => boolean; selectedHolds: (userId: string) => boolean; book: AddressBook; seen: Set<string> },
): { organizer: string; participants: string[]; selected: string[] } | null {
  if (!at.inWindow(meeting.startMs) || meeting.createdMs > at.asOfMs) return null;
  if (meeting.cancelledMs !== null && meeting.cancelledMs <= at.asOfMs) return null;
  if (!meeting.holderUserIds.some(at.selectedHolds)) return null;
  const key = `${meeting.iCalUId}|${meeting.startMs}`;
  if (at.seen.has(key)) return null;
  at.seen.add(key);
  const organizer = normalizeAddress(meeting.organizer.address);
  if (at.book.isIgnored(organizer)) return null;
  const participants = distinct([organizer, ...meeting.attendees.map((a) => normalizeAddress(a.emailAddress.address))]).filter((a) => !at.book.isIgnored(a));
  const selected = participants.filter((p) => at.book.isSelected(p));
  return selected.length === 0 ? null : { organizer, participants, selected };
}

function distinct(list: string[]): string[] {
  return [...new Set(list)];
}

/** The output entity's rows the app must produce for `scope`, with their EngagementScore. */
export function computeExpectedAggregates(tenant: Tenant, scope: EnrichmentScope, opts: LogicalItemOptions = {}): ExpectedRow[] {
  return computeExpectedRows(tenant, scope, opts).map((r) => r.row);
}

/** Each row's score terms, keyed `AccountId|AggregationLevel|AggregationStartDate`. */
export function computeExpectedScoreTerms(tenant: Tenant, scope: EnrichmentScope, opts: LogicalItemOptions = {}): Map<string, ExpectedScoreTerms> {
  return computeExpectedResult(tenant, scope, opts).terms;
}

/** The rows and their score terms from one pass over the ground truth (the pass is the costly part). */
export function computeExpectedResult(tenant: Tenant, scope: EnrichmentScope, opts: LogicalItemOptions = {}): { rows: ExpectedRow[]; terms: Map<string, ExpectedScoreTerms> } {
  const all = computeExpectedRows(tenant, scope, opts);
  return {
    rows: all.map((r) => r.row),
    terms: new Map(all.map(({ row, terms }) => [`${row.AccountId}|${row.AggregationLevel}|${row.AggregationStartDate}`, terms])),
  };
}

function computeExpectedRows(tenant: Tenant, scope: EnrichmentScope, opts: LogicalItemOptions): Array<{ row: ExpectedRow; terms: ExpectedScoreTerms }> {
  const asOfMs = scope.asOf.getTime();
  const windowStartMs = asOfMs - WINDOW_DAYS * DAY_MS;
  const inWindow = (ms: number) => ms > windowStartMs && ms <= asOfMs;
  const accounts = (scope.accounts ?? tenant.accounts).map((a) => ({ id: a.id, name: a.name, domains: a.domains }));
  const accountIds = new Set(accounts.map((a) => a.id));
  const book = new AddressBook(tenant, scope, accountIds, accounts);
  const table = new PeriodTable(windowStartMs, asOfMs);
  const halfLifeMs = (scope.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS) * DAY_MS;
  /** One counted item's weight in a row: w × 2^(−age / H), age from the row's reference instant. */
  const decayed = (acc: PeriodAccumulator, weight: number, ms: number) => weight * Math.pow(2, -(acc.referenceMs - ms) / halfLifeMs);
  const isRecent = (acc: PeriodAccumulator, ms: number) => ms > acc.referenceMs - RECENT_DAYS * DAY_MS;
  const selectedHolds = (mailboxUserId: string) => book.selectedIds.has(mailboxUserId.toLowerCase());

  forEachLogicalConversation(
    tenant,
    (conversation) => {
      // The conversation as the selected mailboxes show it at asOf (rules 3, 4 and 8).
      const seen = new Set<string>();
      const visible: PreparedMessage[] = [];
      for (const m of conversation) {
        if (m.isDraft || !inWindow(m.sentMs) || seen.has(m.internetMessageId)) continue;
        if (!m.copies.some((c) => c.folder !== 'drafts' && c.visibleFromMs <= asOfMs && selectedHolds(c.mailboxUserId))) continue;
        const sender = normalizeAddress(m.from.address);
        if (book.isIgnored(sender)) continue;
        seen.add(m.internetMessageId);
        const participants = distinct([m.from, ...m.toRecipients, ...m.ccRecipients].map((a) => normalizeAddress(a.address))).filter((a) => !book.isIgnored(a));
        visible.push({ source: m, sender, participants });
      }
      visible.sort((a, b) => a.source.sentMs - b.source.sentMs || (a.source.internetMessageId < b.source.internetMessageId ? -1 : 1));

      visible.forEach((m, index) => {
        const selected = m.participants.filter((p) => book.isSelected(p));
        if (selected.length === 0) return;
        const accountsHere = distinct(m.participants.flatMap((p) => [...book.accountsOf(p)]));
        const senderIsOrg = book.isOrganisation(m.sender);
        const senderAccounts = book.accountsOf(m.sender);
        const previous = index > 0 ? visible[index - 1] : undefined;
        for (const accountId of accountsHere) {
          const toAccount = senderIsOrg;
          const fromAccount = !senderIsOrg && senderAccounts.includes(accountId);
          if (!toAccount && !fromAccount) continue; // a third party wrote it
          const ofAccount = m.participants.filter((p) => book.accountsOf(p).includes(accountId));
          const replyMs = fromAccount && previous && book.isOrganisation(previous.sender) ? m.source.sentMs - previous.source.sentMs : null;
          for (const acc of table.periodsFor(accountId, m.source.sentMs)) {
            if (toAccount) {
              acc.emailsTo++;
              acc.activityEmailsTo += decayed(acc, WEIGHT.emailTo, m.source.sentMs);
            } else {
              acc.emailsFrom++;
              acc.activityEmailsFrom += decayed(acc, WEIGHT.emailFrom, m.source.sentMs);
            }
            if (isRecent(acc, m.source.sentMs)) acc.recentEmails++;
            for (const s of selected) acc.selectedOnEmails.add(s);
            for (const a of ofAccount) acc.accountOnEmails.add(a);
            acc.earliestMs = Math.min(acc.earliestMs, m.source.sentMs);
            acc.latestEmailMs = Math.max(acc.latestEmailMs, m.source.sentMs);
            if (replyMs !== null) {
              acc.replyMsSum += replyMs;
              acc.replySamples++;
            }
          }
        }
      });
    },
    opts,
  );

  const seenMeetings = new Set<string>();
  forEachLogicalMeeting(
    tenant,
    (meeting) => {
      const visible = countableMeeting(meeting, { asOfMs, inWindow, selectedHolds, book, seen: seenMeetings });
      if (!visible) return;
      const { organizer, participants, selected } = visible;
      const organizerIsOrg = book.isOrganisation(organizer);
      const organizerAccounts = book.accountsOf(organizer);
      const durationMs = meeting.endMs - meeting.startMs;
      const ended = meeting.endMs <= asOfMs;
      for (const accountId of distinct(participants.flatMap((p) => [...book.accountsOf(p)]))) {
        const fromAccount = organizerAccounts.includes(accountId);
        const toAccount = !fromAccount && organizerIsOrg;
        if (!fromAccount && !toAccount) continue;
        const ofAccount = participants.filter((p) => book.accountsOf(p).includes(accountId));
        for (const acc of table.periodsFor(accountId, meeting.startMs)) {
          if (fromAccount) {
            acc.meetingsFrom++;
            acc.activityMeetingsByAccount += decayed(acc, WEIGHT.meetingByAccount, meeting.startMs);
          } else {
            acc.meetingsTo++;
            acc.activityMeetingsByOrganisation += decayed(acc, WEIGHT.meetingByOrganisation, meeting.startMs);
          }
          if (isRecent(acc, meeting.startMs)) acc.recentMeetings++;
          for (const s of selected) acc.selectedOnMeetings.add(s);
          for (const a of ofAccount) acc.accountOnMeetings.add(a);
          acc.earliestMs = Math.min(acc.earliestMs, meeting.startMs);
          acc.meetingMsSum += durationMs;
          if (ended) acc.latestEndedMeetingStartMs = Math.max(acc.latestEndedMeetingStartMs, meeting.startMs);
        }
      }
    },
    // Calendar edits as the tenant stood at the as-of (a later move is not seen yet).
    { ...opts, asOf: asOfMs },
  );

  const out: Array<{ row: ExpectedRow; terms: ExpectedScoreTerms }> = [];
  const levelOrder: Record<AggregationLevel, number> = { Year: 0, Month: 1, Week: 2 };
  for (const account of accounts) {
    const periods = table.periodsOf(account.id);
    if (!periods.some((p) => p.level === 'Year')) periods.push(newAccumulator('Year', windowStartMs, asOfMs));
    periods.sort((a, b) => levelOrder[a.level] - levelOrder[b.level] || a.startMs - b.startMs);
    for (const p of periods) out.push({ row: toRow(account, p, asOfMs), terms: termsOf(p) });
  }
  rankWithinPeriods(out);
  return out;
}

function termsOf(p: PeriodAccumulator): ExpectedScoreTerms {
  const activity = p.activityEmailsTo + p.activityEmailsFrom + p.activityMeetingsByOrganisation + p.activityMeetingsByAccount;
  const people = new Set([...p.accountOnEmails, ...p.accountOnMeetings]).size;
  const lastContact = Math.max(p.latestEmailMs, p.latestEndedMeetingStartMs);
  return {
    activity,
    activityEmailsToAccount: p.activityEmailsTo,
    activityEmailsFromAccount: p.activityEmailsFrom,
    activityMeetingsByOrganisation: p.activityMeetingsByOrganisation,
    activityMeetingsByAccount: p.activityMeetingsByAccount,
    people,
    raw: Math.log(1 + activity) + 0.5 * Math.log(1 + people),
    recentEmails: p.recentEmails,
    recentMeetings: p.recentMeetings,
    daysSinceLastContact: Number.isFinite(lastContact) ? Math.floor((p.referenceMs - lastContact) / DAY_MS) : null,
  };
}

/**
 * EngagementScore per rule 12: within each (level, period), the accounts with something counted
 * are sorted by raw; a raw within 1e-9 (relative) of the one before it is equal to it; with L
 * the accounts below an account's group and E its group's size, the score is
 * round_half_up(100 × (L + E/2) / N).
 */
function rankWithinPeriods(rows: Array<{ row: ExpectedRow; terms: ExpectedScoreTerms }>): void {
  const groups = new Map<string, Array<{ row: ExpectedRow; raw: number }>>();
  for (const { row, terms } of rows) {
    const counted = row.NoOfEmails_ToAccount + row.NoOfEmails_FromAccount + row.NoOfMeetings_FromAccount + row.NoOfMeetings_ToAccount;
    if (counted === 0) continue;
    const key = `${row.AggregationLevel}|${row.AggregationStartDate}`;
    const group = groups.get(key) ?? [];
    group.push({ row, raw: terms.raw });
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    group.sort((a, b) => a.raw - b.raw);
    const n = group.length;
    let lower = 0;
    while (lower < n) {
      let equal = 1;
      while (lower + equal < n) {
        const previous = group[lower + equal - 1]!.raw;
        const next = group[lower + equal]!.raw;
        if (next - previous > 1e-9 * Math.max(Math.abs(previous), Math.abs(next))) break;
        equal++;
      }
      const score = Math.floor((100 * (lower + equal / 2)) / n + 0.5);
      for (let k = lower; k < lower + equal; k++) group[k]!.row.EngagementScore = score;
      lower += equal;
    }
  }
}

function toRow(account: { id: string; name: string }, p: PeriodAccumulator, asOfMs: number): ExpectedRow {
  const meetings = p.meetingsFrom + p.meetingsTo;
  const daysSince = (ms: number) => (Number.isFinite(ms) ? Math.floor((asOfMs - ms) / DAY_MS) : null);
  return {
    AccountId: account.id,
    AccountName: account.name,
    AggregationLevel: p.level,
    AggregationStartDate: new Date(p.startMs).toISOString(),
    NoOfEmails_ToAccount: p.emailsTo,
    NoOfEmails_FromAccount: p.emailsFrom,
    NoOfMeetings_FromAccount: p.meetingsFrom,
    NoOfMeetings_ToAccount: p.meetingsTo,
    NoOfContactsInvolved_Emails: p.selectedOnEmails.size,
    NoOfContactsInvolved_Meetings: p.selectedOnMeetings.size,
    NoOfAccountContactsInvolved_Emails: p.accountOnEmails.size,
    NoOfAccountContactsInvolved_Meetings: p.accountOnMeetings.size,
    EngagementStartDate: Number.isFinite(p.earliestMs) ? new Date(p.earliestMs).toISOString() : null,
    DaysSinceLastEmail: daysSince(p.latestEmailMs),
    DaysSinceLastMeeting: daysSince(p.latestEndedMeetingStartMs),
    AverageDuration_Of_Meetings: meetings > 0 ? p.meetingMsSum / meetings / MINUTE_MS : null,
    AverageDuration_Of_AccountEmailReplies: p.replySamples > 0 ? p.replyMsSum / p.replySamples / MINUTE_MS : null,
    // Set by rankWithinPeriods once every account's rows exist.
    EngagementScore: 0,
  };
}

export interface ExpectedAggregatesSummary {
  /** Accounts whose Year row has at least one counted email or meeting. */
  accountsWithActivity: number;
  /** Sum over accounts' Year rows (a message involving two accounts counts for each). */
  totalEmails: number;
  totalMeetings: number;
  rows: number;
}

export function expectedAggregatesSummary(rows: readonly ExpectedRow[]): ExpectedAggregatesSummary {
  let accountsWithActivity = 0;
  let totalEmails = 0;
  let totalMeetings = 0;
  for (const r of rows) {
    if (r.AggregationLevel !== 'Year') continue;
    const emails = r.NoOfEmails_ToAccount + r.NoOfEmails_FromAccount;
    const meetings = r.NoOfMeetings_FromAccount + r.NoOfMeetings_ToAccount;
    if (emails + meetings > 0) accountsWithActivity++;
    totalEmails += emails;
    totalMeetings += meetings;
  }
  return { accountsWithActivity, totalEmails, totalMeetings, rows: rows.length };
}
