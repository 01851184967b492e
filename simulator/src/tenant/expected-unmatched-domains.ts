/**
 * The oracle for busy domains that match no account: what the app must report for a tenant and
 * an enrichment scope, from the generator's ground truth (logical items), written apart from the
 * app's code on purpose. The rules of expected-aggregates apply (visibility at the as-of,
 * noise, identity, the window), with a domain in an account's place:
 *  1. An address is at an unmatched domain when it is not ignored (rule 3 there), not an
 *     organisation address, not a selected mailbox, belongs to no account, and its domain is
 *     none of: an account's domains, the domain of a contact of the dataset, a free-mail
 *     domain of `freeMailDomains`.
 *  2. An email counts for such a domain D when its participants include an address at D and a
 *     member of S: from D when sent from D, to D when sent by the organisation; else not at all.
 *     A meeting likewise by its organiser.
 *  3. People: distinct addresses at D on counted items; ours: distinct members of S on them;
 *     last contact: the latest counted email's sent time or meeting's start.
 *  4. Listed when at least 3 of their people and 3 of ours are involved; the others are counted
 *     in `belowThreshold`.
 *  5. The email share: emails counted for an account or an unmatched domain (external), and
 *     those counted for an unmatched domain and no account (unmatched).
 */
import { AddressBook, countableMeeting, domainOf, normalizeAddress } from './expected-aggregates';
import { forEachLogicalConversation, forEachLogicalMeeting, type LogicalItemOptions } from './logical-items';
import type { EnrichmentScope, Tenant } from './tenant.types';

const DAY_MS = 86_400_000;

export interface ExpectedUnmatchedDomain {
  domain: string;
  emailsToDomain: number;
  emailsFromDomain: number;
  meetings: number;
  meetingsByDomain: number;
  peopleTheirs: number;
  peopleOurs: number;
  lastContact: number;
}

export interface ExpectedUnmatchedDomains {
  domains: ExpectedUnmatchedDomain[];
  belowThreshold: number;
  externalEmails: number;
  unmatchedEmails: number;
}

interface Tally {
  emailsTo: number;
  emailsFrom: number;
  meetings: number;
  meetingsByDomain: number;
  people: Set<string>;
  ours: Set<string>;
  last: number;
}

export function computeExpectedUnmatchedDomains(tenant: Tenant, scope: EnrichmentScope & { freeMailDomains: readonly string[] }, opts: LogicalItemOptions = {}): ExpectedUnmatchedDomains {
  const asOfMs = scope.asOf.getTime();
  const windowStartMs = asOfMs - 365 * DAY_MS;
  const inWindow = (ms: number) => ms > windowStartMs && ms <= asOfMs;
  const accounts = (scope.accounts ?? tenant.accounts).map((a) => ({ id: a.id, name: a.name, domains: a.domains }));
  const accountIds = new Set(accounts.map((a) => a.id));
  const book = new AddressBook(tenant, scope, accountIds, accounts);
  const matched = new Set<string>([...scope.freeMailDomains.map(normalizeAddress)]);
  for (const a of accounts) for (const d of a.domains) matched.add(normalizeAddress(d));
  for (const c of scope.contacts ?? tenant.contacts) if (accountIds.has(c.accountId)) matched.add(domainOf(normalizeAddress(c.email)));
  const unmatchedDomain = (address: string): string | null => {
    if (book.isIgnored(address) || book.isOrganisation(address) || book.isSelected(address) || book.accountsOf(address).length > 0) return null;
    const d = domainOf(address);
    return d && !matched.has(d) ? d : null;
  };
  const selectedHolds = (userId: string) => book.selectedIds.has(userId.toLowerCase());
  const tallies = new Map<string, Tally>();
  const tally = (d: string) => tallies.get(d) ?? tallies.set(d, { emailsTo: 0, emailsFrom: 0, meetings: 0, meetingsByDomain: 0, people: new Set(), ours: new Set(), last: 0 }).get(d)!;
  let externalEmails = 0;
  let unmatchedEmails = 0;

  const seen = new Set<string>();
  forEachLogicalConversation(
    tenant,
    (conversation) => {
      for (const m of conversation) {
        if (m.isDraft || !inWindow(m.sentMs) || seen.has(m.internetMessageId)) continue;
        if (!m.copies.some((c) => c.folder !== 'drafts' && c.visibleFromMs <= asOfMs && selectedHolds(c.mailboxUserId))) continue;
        const sender = normalizeAddress(m.from.address);
        if (book.isIgnored(sender)) continue;
        seen.add(m.internetMessageId);
        const participants = [...new Set([m.from, ...m.toRecipients, ...m.ccRecipients].map((a) => normalizeAddress(a.address)))].filter((a) => !book.isIgnored(a));
        const ours = participants.filter((p) => book.isSelected(p));
        if (ours.length === 0) continue;
        const senderIsOrg = book.isOrganisation(sender);
        const forAccount = participants.some((p) => book.accountsOf(p).some((a) => senderIsOrg || book.accountsOf(sender).includes(a)));
        const senderDomain = unmatchedDomain(sender);
        let forDomain = false;
        for (const d of new Set(participants.map(unmatchedDomain).filter((x): x is string => x !== null))) {
          if (senderDomain !== d && !senderIsOrg) continue;
          const t = tally(d);
          if (senderDomain === d) t.emailsFrom++;
          else t.emailsTo++;
          for (const p of participants) if (unmatchedDomain(p) === d) t.people.add(p);
          for (const s of ours) t.ours.add(s);
          t.last = Math.max(t.last, m.sentMs);
          forDomain = true;
        }
        if (forAccount || forDomain) externalEmails++;
        if (forDomain && !forAccount) unmatchedEmails++;
      }
    },
    opts,
  );

  const seenMeetings = new Set<string>();
  forEachLogicalMeeting(
    tenant,
    (meeting) => {
      const visible = countableMeeting(meeting, { asOfMs, inWindow, selectedHolds, book, seen: seenMeetings });
      if (!visible) return;
      const { organizer, participants, selected: ours } = visible;
      const organizerDomain = unmatchedDomain(organizer);
      const organizerIsOrg = book.isOrganisation(organizer);
      for (const d of new Set(participants.map(unmatchedDomain).filter((x): x is string => x !== null))) {
        if (organizerDomain !== d && !organizerIsOrg) continue;
        const t = tally(d);
        t.meetings++;
        if (organizerDomain === d) t.meetingsByDomain++;
        for (const p of participants) if (unmatchedDomain(p) === d) t.people.add(p);
        for (const s of ours) t.ours.add(s);
        t.last = Math.max(t.last, meeting.startMs);
      }
    },
    { ...opts, asOf: asOfMs },
  );

  const domains: ExpectedUnmatchedDomain[] = [];
  let belowThreshold = 0;
  for (const [domain, t] of tallies) {
    if (t.people.size < 3 || t.ours.size < 3) {
      belowThreshold++;
      continue;
    }
    domains.push({ domain, emailsToDomain: t.emailsTo, emailsFromDomain: t.emailsFrom, meetings: t.meetings, meetingsByDomain: t.meetingsByDomain, peopleTheirs: t.people.size, peopleOurs: t.ours.size, lastContact: t.last });
  }
  domains.sort((a, b) => a.domain.localeCompare(b.domain));
  return { domains, belowThreshold, externalEmails, unmatchedEmails };
}
