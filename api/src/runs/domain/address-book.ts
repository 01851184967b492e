/**
 * Who an address is, for one enrichment: a selected mailbox, an organisation address, an
 * address of one or more accounts, or noise to ignore. Pure: built once per run from the
 * enrichment's configuration and the customer dataset, then asked in O(1) per address.
 */

const AUTOMATIC_LOCAL_PARTS = /^(?:no-?reply|do-?not-?reply|notifications?|mailer-daemon|postmaster|bounce.*)$/;

export function normalizeAddress(address: string | null | undefined): string {
  return (address ?? '').trim().toLowerCase();
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1);
}

/** Machine senders (no-reply, notifications, bounces) never count as people. */
export function isAutomaticAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  return AUTOMATIC_LOCAL_PARTS.test(at < 0 ? address : address.slice(0, at));
}

export interface AddressBookInput {
  /** Selected mailboxes (S). Their order is fixed by `userId` so every job sees the same one. */
  selected: Array<{ userId: string; mail: string }>;
  organisationDomains: string[];
  contacts: Iterable<{ email: string; accountId: string }>;
  /** Only used when matching by domain is on. */
  accountDomains?: Iterable<{ accountId: string; domains: string[] }>;
  matchAccountDomains: boolean;
  excludedAddresses: string[];
  excludedDomains: string[];
}

/** Everything the book says about one address, as `lookup` hands it out (shared: never modify). */
export interface AddressFacts {
  /** Normalised (trimmed, lower-case): the same object for every spelling of the address. */
  address: string;
  ignored: boolean;
  /** Index in S, or -1. */
  selected: number;
  organisation: boolean;
  accounts: readonly string[];
}

export interface AddressBook {
  /**
   * The facts about an address as written on a message, remembered per spelling: a mailbox's
   * messages name the same few hundred people thousands of times, and normalising and
   * classifying each occurrence again was most of the engine's per-message work.
   */
  lookup(raw: string | null | undefined): AddressFacts;
  /** Index of the address in S (sorted by user id), or -1. */
  selectedIndex(address: string): number;
  selectedCount: number;
  isOrganisation(address: string): boolean;
  /** Accounts the address belongs to (a contact match wins over a domain match). */
  accountsOf(address: string): readonly string[];
  /**
   * Excluded addresses and domains, and automatic senders, except that an address mapped as a
   * contact of the dataset is never taken for an automatic sender: the admin's mapping wins.
   */
  isIgnored(address: string): boolean;
  /**
   * Drops what `lookup` remembered (one entry per spelling of every address the process's
   * mailboxes met: 176,000 of them at 2,500 mailboxes, about 40 MB). The book itself stays; the
   * next lookups remember again. For when no mailbox of the run is being read (its finalize).
   */
  forgetLookups(): void;
}

const NONE: readonly string[] = Object.freeze([]);

export function buildAddressBook(input: AddressBookInput): AddressBook {
  const ordered = [...input.selected].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const selected = new Map<string, number>();
  ordered.forEach((s, i) => selected.set(normalizeAddress(s.mail), i));

  const organisation = new Set(input.organisationDomains.map(normalizeAddress));
  const contactAccounts = new Map<string, string[]>();
  for (const c of input.contacts) {
    const address = normalizeAddress(c.email);
    if (!address) continue;
    const list = contactAccounts.get(address);
    if (!list) contactAccounts.set(address, [c.accountId]);
    else if (!list.includes(c.accountId)) list.push(c.accountId);
  }
  const domainAccounts = new Map<string, string[]>();
  if (input.matchAccountDomains && input.accountDomains) {
    for (const a of input.accountDomains) {
      for (const d of a.domains) {
        const domain = normalizeAddress(d);
        if (!domain) continue;
        const list = domainAccounts.get(domain);
        if (!list) domainAccounts.set(domain, [a.accountId]);
        else if (!list.includes(a.accountId)) list.push(a.accountId);
      }
    }
  }
  const excludedAddresses = new Set(input.excludedAddresses.map(normalizeAddress));
  const excludedDomains = new Set(input.excludedDomains.map(normalizeAddress));

  const book: AddressBook = {
    lookup(raw) {
      const key = raw ?? '';
      let facts = known.get(key);
      if (!facts) {
        const address = normalizeAddress(key);
        // Every spelling of an address shares one facts object (and one normalised string).
        facts = known.get(address);
        if (!facts) {
          facts = { address, ignored: book.isIgnored(address), selected: book.selectedIndex(address), organisation: book.isOrganisation(address), accounts: book.accountsOf(address) };
          known.set(address, facts);
        }
        known.set(key, facts);
      }
      return facts;
    },
    selectedCount: ordered.length,
    selectedIndex: (address) => selected.get(address) ?? -1,
    isOrganisation: (address) => organisation.has(domainOf(address)),
    accountsOf(address) {
      const byContact = contactAccounts.get(address);
      if (byContact) return byContact;
      if (domainAccounts.size === 0) return NONE;
      return domainAccounts.get(domainOf(address)) ?? NONE;
    },
    isIgnored: (address) =>
      address === '' ||
      excludedAddresses.has(address) ||
      excludedDomains.has(domainOf(address)) ||
      (isAutomaticAddress(address) && !contactAccounts.has(address)),
    forgetLookups() {
      known = new Map();
    },
  };
  let known = new Map<string, AddressFacts>();
  return book;
}
