import { createHash } from 'node:crypto';
import { domainOf, normalizeAddress, type AddressFacts } from './address-book';
import { addUnique } from './engagement-buckets';

/**
 * Which participants belong to busy domains that match no account (see unmatched-domains.ts for
 * the counting): the run's rules, and what a meeting ledger entry keeps about such domains.
 */

export interface UnmatchedDomainRules {
  /** The unmatched domain of a participant, or null (noise, ours, an account's, free mail, matched). */
  domainOf(facts: AddressFacts): string | null;
  /**
   * A person at such a domain as the distinct-people count needs them: a short hash of the
   * address, so a mailbox state carried between runs never holds a stranger's address.
   */
  personOf(facts: AddressFacts): string;
  /** Drops what the two above remembered per address (see AddressBook.forgetLookups). */
  forgetLookups(): void;
}

export function buildUnmatchedDomainRules(input: {
  /** Domains that match an account: account domains and the domains of contact addresses. */
  matchedDomains: Iterable<string>;
  freeMailDomains: Iterable<string>;
}): UnmatchedDomainRules {
  const skip = new Set<string>();
  for (const d of input.matchedDomains) skip.add(normalizeAddress(d).replace(/^@/, ''));
  for (const d of input.freeMailDomains) skip.add(normalizeAddress(d));
  let known = new Map<AddressFacts, string | null>();
  let people = new Map<AddressFacts, string>();
  return {
    forgetLookups() {
      known = new Map();
      people = new Map();
    },
    personOf(facts) {
      let key = people.get(facts);
      if (key === undefined) people.set(facts, (key = createHash('sha256').update(facts.address).digest('base64url').slice(0, 16)));
      return key;
    },
    domainOf(facts) {
      let d = known.get(facts);
      if (d === undefined) {
        const domain = domainOf(facts.address);
        d = facts.ignored || facts.organisation || facts.selected >= 0 || facts.accounts.length > 0 || !domain || skip.has(domain) ? null : domain;
        known.set(facts, d);
      }
      return d;
    },
  };
}

/** What a meeting ledger entry keeps about unmatched domains (see `ledgerMeeting`). */
export interface LedgerDomain {
  domain: string;
  fromDomain: boolean;
  people: string[];
}

/** The unmatched domains a meeting counts for, by its organiser's side. */
export function meetingDomains(organizer: AddressFacts, participants: readonly AddressFacts[], rules: UnmatchedDomainRules): LedgerDomain[] {
  const organizerDomain = rules.domainOf(organizer);
  const byDomain = new Map<string, string[]>();
  for (const p of participants) {
    const d = rules.domainOf(p);
    if (d) addUnique(byDomain.get(d) ?? byDomain.set(d, []).get(d)!, rules.personOf(p));
  }
  const out: LedgerDomain[] = [];
  for (const [domain, people] of byDomain) {
    const fromDomain = organizerDomain === domain;
    if (!fromDomain && !organizer.organisation) continue;
    out.push({ domain, fromDomain, people });
  }
  return out;
}
