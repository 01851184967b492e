/**
 * The in-memory part of a synthetic tenant: users, groups, customer accounts and contacts,
 * licences, plus the plan the activity model works from (teams, account ownership and how
 * engaged each account is). Everything is derived from the spec's seed with named streams.
 */
import type { SimAccount, SimContact, SimGroup, SimUser, SubscribedSku, TenantSpec } from './tenant.types';
import { guidFrom, rngFor, type Rng } from './random';
import {
  ACCOUNT_COUNTRIES,
  COMPANY_CORES,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  CONTACT_TITLES,
  DEPARTMENTS,
  GIVEN_NAMES,
  INDUSTRIES,
  MAPPED_AUTOMATIC_LOCAL_PARTS,
  ROOM_NAMES,
  SALES_REGIONS,
  SURNAMES,
} from './directory-vocabulary';

/** Someone who can appear on a message or meeting. `userIndex` is -1 outside the tenant. */
export interface Party {
  name: string;
  /** The address as written on messages (may differ in case from the dataset's copy). */
  address: string;
  userIndex: number;
}

export interface TeamPlan {
  index: number;
  /** Indices into `users`; 5–8 people who work together (CC'd together, shared accounts). */
  members: number[];
  department: string;
}

export interface DirectoryModel {
  primaryDomain: string;
  verifiedDomains: string[];
  users: SimUser[];
  userDepartment: string[];
  groups: SimGroup[];
  accounts: SimAccount[];
  contacts: SimContact[];
  subscribedSkus: SubscribedSku[];
  teams: TeamPlan[];
  teamOfUser: number[];
  userParties: Party[];
  contactParties: Party[];
  /** Contact indices per account index (people only: see `accountAutomaticContact`). */
  accountContacts: number[][];
  /**
   * Per account index, the automatic address (no-reply@, postmaster@ …) the dataset lists as one
   * of its contacts, or null. The account's automatic mail comes from it, and because the admin
   * mapped it, it counts: the spec's exception to the automatic-sender rule.
   */
  accountAutomaticContact: Array<string | null>;
  /** Relative engagement of each account (0 = no activity at all; heavy-tailed otherwise). */
  accountWeights: number[];
  accountWeightTotal: number;
  /** The team that works each account (its mail and meetings live in that team's unit). */
  accountTeam: number[];
  /** The user (index) who usually writes to the account. */
  accountOwner: number[];
  teamAccounts: number[][];
  rooms: Party[];
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

function uniqueLocalPart(base: string, taken: Set<string>): string {
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}${n}`;
  taken.add(candidate);
  return candidate;
}

/** Non-English `preferredLanguage` values some users carry, one of each language the app speaks. */
const PREFERRED_LANGUAGES = ['fr-FR', 'pl-PL', 'sv-SE', 'id-ID', 'zh-HK'] as const;

function buildUsers(spec: TenantSpec, primaryDomain: string): { users: SimUser[]; departments: string[]; regions: string[] } {
  const rng = rngFor(spec.seed, 'directory:users');
  const taken = new Set<string>();
  const users: SimUser[] = [];
  const departments: string[] = [];
  const regions: string[] = [];
  const deptWeights = DEPARTMENTS.map((d) => d.weight);
  const regionWeights = SALES_REGIONS.map((r) => r.weight);

  for (let i = 0; i < spec.mailboxes; i++) {
    const givenName = rng.pick(GIVEN_NAMES);
    const surname = rng.pick(SURNAMES);
    let department: string;
    let jobTitle: string;
    let persona: SimUser['persona'];
    if (i === 0) {
      persona = 'tenantAdmin';
      department = 'IT';
      jobTitle = 'IT Administrator';
    } else if (i === 1) {
      persona = 'enrichmentAdmin';
      department = 'Sales Operations';
      jobTitle = 'Sales Operations Manager';
    } else if (i === 2) {
      persona = 'seller';
      department = 'Sales';
      jobTitle = 'Account Executive';
    } else {
      const dept = rng.weightedPick(DEPARTMENTS, deptWeights);
      department = dept.name;
      jobTitle = rng.pick(dept.titles);
    }
    // Sales people belong to a region (the seller persona to North America).
    const region = department === 'Sales' ? (i === 2 ? 'na' : rng.weightedPick(SALES_REGIONS, regionWeights).key) : '';
    const local = uniqueLocalPart(`${slugify(givenName)}.${slugify(surname)}`, taken);
    const mail = `${local}@${primaryDomain}`;
    const user: SimUser = {
      id: guidFrom(spec.seed, `user:${i}`),
      displayName: `${givenName} ${surname}`,
      givenName,
      surname,
      mail,
      userPrincipalName: mail,
      jobTitle,
      department,
      accountEnabled: true,
      isGlobalAdmin: i === 0,
      appRoles: i === 1 ? ['EngagementAdmin'] : [],
    };
    if (persona) user.persona = persona;
    // Every fourth ordinary user reads another language, by index (no draw: the rest of the tenant stays as it was).
    if (i >= 3 && i % 4 === 3) user.preferredLanguage = PREFERRED_LANGUAGES[((i - 3) / 4) % PREFERRED_LANGUAGES.length];
    users.push(user);
    departments.push(department);
    regions.push(region);
  }

  // One or two more Global Administrators among the ordinary users.
  const ordinary = users.length - 3;
  if (ordinary > 0) {
    const extra = ordinary >= 20 ? 2 : 1;
    for (const idx of rng.sample(Array.from({ length: ordinary }, (_, k) => k + 3), extra)) {
      (users[idx] as SimUser).isGlobalAdmin = true;
    }
  }
  return { users, departments, regions };
}

/** Splits people into about-equal chunks of roughly 6–7 (sizes differ by at most one). */
function chunkEvenly(people: number[]): number[][] {
  const count = Math.max(1, Math.round(people.length / 6.5));
  const out: number[][] = [];
  let cursor = 0;
  for (let t = 0; t < count; t++) {
    const size = Math.floor(people.length / count) + (t < people.length % count ? 1 : 0);
    out.push(people.slice(cursor, cursor + size));
    cursor += size;
  }
  return out;
}

/**
 * Teams of about 5–8 people who work together. Departments with at least five people form
 * their own teams; people of smaller departments are pooled into mixed teams. Order is
 * deterministic (departments by name, people by index).
 */
export function planTeams(departments: readonly string[]): TeamPlan[] {
  const byDepartment = new Map<string, number[]>();
  departments.forEach((d, i) => {
    const list = byDepartment.get(d) ?? [];
    list.push(i);
    byDepartment.set(d, list);
  });
  const chunks: Array<{ members: number[]; department: string }> = [];
  const pool: number[] = [];
  for (const name of [...byDepartment.keys()].sort()) {
    const people = byDepartment.get(name) as number[];
    if (people.length < 5) pool.push(...people);
    else for (const members of chunkEvenly(people)) chunks.push({ members, department: name });
  }
  if (pool.length > 0) {
    pool.sort((a, b) => a - b);
    for (const members of chunkEvenly(pool)) {
      const counts = new Map<string, number>();
      for (const m of members) counts.set(departments[m] as string, (counts.get(departments[m] as string) ?? 0) + 1);
      const department = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
      chunks.push({ members, department });
    }
  }
  return chunks.filter((c) => c.members.length > 0).map((c, index) => ({ index, members: c.members, department: c.department }));
}

function buildGroups(spec: TenantSpec, primaryDomain: string, users: SimUser[], departments: string[], regions: string[]): SimGroup[] {
  const gid = (key: string) => guidFrom(spec.seed, `group:${key}`);
  const idsWhere = (pred: (i: number) => boolean) => users.filter((_, i) => pred(i)).map((u) => u.id);
  const distributionList = (key: string, displayName: string, description: string, memberIds: string[]): SimGroup => ({
    id: gid(key),
    displayName,
    description,
    mail: `${key}@${primaryDomain}`,
    mailEnabled: true,
    securityEnabled: false,
    groupTypes: [],
    memberIds,
  });

  const regional = SALES_REGIONS.map((r) =>
    distributionList(`sales-${r.key}`, `Sales – ${r.name}`, `Sellers covering ${r.name}`, idsWhere((i) => regions[i] === r.key)),
  );
  const sellerId = users[2]?.id;
  const opsId = users[1]?.id;
  // "All Sales" nests the regional lists and also names the seller directly, so the seller
  // is reachable twice and a transitive expansion has to de-duplicate.
  const allSalesMembers = [...regional.map((g) => g.id), ...(opsId ? [opsId] : []), ...(sellerId ? [sellerId] : [])];
  const allSales = distributionList('all-sales', 'All Sales', 'Every seller and sales operations', allSalesMembers);

  const customerSuccess: SimGroup = {
    id: gid('customer-success'),
    displayName: 'Customer Success',
    description: 'Customer Success team (Microsoft 365 group)',
    mail: `customer-success@${primaryDomain}`,
    mailEnabled: true,
    securityEnabled: false,
    groupTypes: ['Unified'],
    memberIds: idsWhere((i) => departments[i] === 'Customer Success'),
  };

  // Two levels of nesting: readers → All Sales → regional lists.
  const readers: SimGroup = {
    id: gid('engagement-readers'),
    displayName: 'Engagement App Readers',
    description: 'Mail-enabled security group scoping the engagement app',
    mail: `engagement-readers@${primaryDomain}`,
    mailEnabled: true,
    securityEnabled: true,
    groupTypes: [],
    memberIds: [allSales.id, customerSuccess.id],
  };

  const rng = rngFor(spec.seed, 'directory:groups');
  const pilotExtra = rng.sample(idsWhere((i) => i >= 3 && departments[i] === 'Sales'), 4);
  const pilot: SimGroup = {
    id: gid('engagement-pilot'),
    displayName: 'Engagement Pilot',
    description: 'Security group for the pilot users',
    mail: null,
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
    memberIds: [...new Set([...(sellerId ? [sellerId] : []), ...pilotExtra])],
  };

  const everyone = distributionList('all-employees', 'All Employees', 'Everyone in the company', users.map((u) => u.id));
  return [...regional, allSales, customerSuccess, readers, pilot, everyone];
}

function companyName(rng: Rng, taken: Set<string>): { name: string; stem: string } {
  for (let attempt = 0; ; attempt++) {
    const prefix = rng.pick(COMPANY_PREFIXES);
    const core = rng.pick(COMPANY_CORES);
    const stem = attempt < 30 ? `${prefix} ${core}` : `${prefix} ${core} ${attempt}`;
    if (taken.has(stem)) continue;
    taken.add(stem);
    const suffix = rng.pick(COMPANY_SUFFIXES);
    // A rare nickname in quotes exercises CSV quote escaping.
    const nickname = rng.chance(0.02) ? ` "${prefix.split(' ')[0]}"` : '';
    const name = suffix === '' ? `${stem}${nickname}` : suffix.startsWith(',') ? `${stem}${nickname}${suffix}` : `${stem}${nickname} ${suffix}`;
    return { name, stem };
  }
}

function mixedCase(local: string, domain: string): string {
  const cap = (s: string) => s.split('.').map((p) => (p ? p.charAt(0).toUpperCase() + p.slice(1) : p)).join('.');
  return `${cap(local)}@${cap(domain)}`;
}

interface CustomerData {
  accounts: SimAccount[];
  contacts: SimContact[];
  contactParties: Party[];
  accountContacts: number[][];
}

function buildCustomers(spec: TenantSpec): CustomerData {
  const rng = rngFor(spec.seed, 'directory:accounts');
  const takenNames = new Set<string>();
  const takenDomains = new Set<string>();
  const takenEmails = new Set<string>();
  const accounts: SimAccount[] = [];
  const contacts: SimContact[] = [];
  const contactParties: Party[] = [];
  const accountContacts: number[][] = [];
  const countryWeights = ACCOUNT_COUNTRIES.map((c) => (c === spec.countryLetterCode ? 12 : 1));

  for (let a = 0; a < spec.accounts; a++) {
    const { name, stem } = companyName(rng, takenNames);
    let slug = slugify(stem);
    for (let n = 2; takenDomains.has(`${slug}.example.com`); n++) slug = `${slugify(stem)}${n}`;
    const domains = [`${slug}.example.com`];
    if (rng.chance(0.25)) domains.push(rng.chance(0.5) ? `${slug}.example.net` : `${slug}-group.example.com`);
    for (const d of domains) takenDomains.add(d);
    const account: SimAccount = {
      id: `ACC-${String(a + 1).padStart(5, '0')}`,
      name,
      domains,
      industry: rng.pick(INDUSTRIES),
      country: rng.weightedPick(ACCOUNT_COUNTRIES, countryWeights),
    };
    accounts.push(account);

    const indices: number[] = [];
    const contactCount = rng.weightedPick([2, 3, 4, 5, 6, 7, 8], [2, 4, 4, 3, 2, 1, 1]);
    for (let c = 0; c < contactCount; c++) {
      const firstName = rng.pick(GIVEN_NAMES);
      const lastName = rng.pick(SURNAMES);
      const domain = domains.length > 1 && rng.chance(0.2) ? (domains[1] as string) : (domains[0] as string);
      let local = `${slugify(firstName)}.${slugify(lastName)}`;
      for (let n = 2; takenEmails.has(`${local}@${domain}`); n++) local = `${slugify(firstName)}.${slugify(lastName)}${n}`;
      const lower = `${local}@${domain}`;
      takenEmails.add(lower);
      // Some stored addresses are mixed case; some messages write them differently again,
      // so matching has to be case-insensitive on both sides.
      const storedMixed = rng.chance(0.15);
      const stored = storedMixed ? mixedCase(local, domain) : lower;
      const onMessages = storedMixed ? (rng.chance(0.5) ? stored : lower) : rng.chance(0.05) ? mixedCase(local, domain) : lower;
      indices.push(contacts.length);
      contacts.push({ email: stored, accountId: account.id, firstName, lastName, jobTitle: rng.pick(CONTACT_TITLES) });
      contactParties.push({ name: `${firstName} ${lastName}`, address: onMessages, userIndex: -1 });
    }
    accountContacts.push(indices);
  }
  return { accounts, contacts, contactParties, accountContacts };
}

function buildSkus(spec: TenantSpec): SubscribedSku[] {
  const skuObjectId = (skuId: string) => `${guidFrom(spec.seed, 'organization')}_${skuId}`;
  if (spec.licensed) {
    const e3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
    const flow = 'f30db892-07e9-47e9-837c-80727f46fd3d';
    return [
      {
        id: skuObjectId(e3),
        skuId: e3,
        skuPartNumber: 'SPE_E3',
        capabilityStatus: 'Enabled',
        appliesTo: 'User',
        consumedUnits: spec.mailboxes,
        prepaidUnits: { enabled: spec.mailboxes + 25, suspended: 0, warning: 0, lockedOut: 0 },
        servicePlans: [
          { servicePlanId: 'efb87545-963c-4e0d-99df-69c6916d9eb0', servicePlanName: 'EXCHANGE_S_ENTERPRISE', provisioningStatus: 'Success', appliesTo: 'User' },
          { servicePlanId: '57ff2da0-773e-42df-b2af-ffb7a2317929', servicePlanName: 'TEAMS1', provisioningStatus: 'Success', appliesTo: 'User' },
          { servicePlanId: '5dbe027f-2339-4123-9542-606e4d348a72', servicePlanName: 'SHAREPOINTENTERPRISE', provisioningStatus: 'Success', appliesTo: 'User' },
        ],
      },
      {
        id: skuObjectId(flow),
        skuId: flow,
        skuPartNumber: 'FLOW_FREE',
        capabilityStatus: 'Enabled',
        appliesTo: 'User',
        consumedUnits: 3,
        prepaidUnits: { enabled: 10000, suspended: 0, warning: 0, lockedOut: 0 },
        servicePlans: [
          { servicePlanId: '50e68c76-46c6-4674-81f9-75456511b170', servicePlanName: 'FLOW_P2_VIRAL', provisioningStatus: 'Success', appliesTo: 'User' },
        ],
      },
    ];
  }
  // Unlicensed: either nothing at all or a lapsed trial (Suspended) without a usable mailbox plan.
  if (rngFor(spec.seed, 'directory:skus').chance(0.5)) return [];
  const trial = '6fd2c87f-b296-42f0-b197-1e91e994b900';
  return [
    {
      id: skuObjectId(trial),
      skuId: trial,
      skuPartNumber: 'ENTERPRISEPACK',
      capabilityStatus: 'Suspended',
      appliesTo: 'User',
      consumedUnits: 0,
      prepaidUnits: { enabled: 0, suspended: 25, warning: 0, lockedOut: 0 },
      servicePlans: [
        { servicePlanId: 'efb87545-963c-4e0d-99df-69c6916d9eb0', servicePlanName: 'EXCHANGE_S_ENTERPRISE', provisioningStatus: 'Disabled', appliesTo: 'User' },
      ],
    },
  ];
}

/**
 * Some engaged accounts send their notices (invoices, tickets) from an automatic address that
 * the customer list names as a contact, e.g. `no-reply@…`. Drawn from a stream of its own and
 * appended after the people, so every other record of the tenant is the same with or without it.
 */
function mapAutomaticContacts(spec: TenantSpec, accounts: SimAccount[], weights: number[], contacts: SimContact[], contactParties: Party[]): Array<string | null> {
  const rng = rngFor(spec.seed, 'directory:automatic-contacts');
  return accounts.map((account, a) => {
    if ((weights[a] ?? 0) <= 0 || !rng.chance(0.08)) return null;
    const address = `${rng.pick(MAPPED_AUTOMATIC_LOCAL_PARTS)}@${account.domains[0]}`;
    contacts.push({ email: address, accountId: account.id, firstName: 'Notices', lastName: account.name, jobTitle: 'Shared mailbox' });
    contactParties.push({ name: `${account.name} Notices`, address, userIndex: -1 });
    return address;
  });
}

/** Heavy-tailed engagement: a few accounts dominate, a long tail, and some with nothing. */
function planEngagement(spec: TenantSpec, accountCount: number): number[] {
  const rng = rngFor(spec.seed, 'directory:engagement');
  const weights: number[] = [];
  for (let a = 0; a < accountCount; a++) {
    if (rng.chance(0.12)) {
      weights.push(0);
      continue;
    }
    let w = rng.logNormal(1, 1.3);
    if (rng.chance(0.03)) w *= 5; // the handful of key accounts
    weights.push(w);
  }
  return weights;
}

export function generateDirectory(spec: TenantSpec): DirectoryModel {
  if (!Number.isInteger(spec.mailboxes) || spec.mailboxes < 3) throw new Error('a tenant needs at least 3 mailboxes (the personas)');
  if (!Number.isInteger(spec.accounts) || spec.accounts < 0) throw new Error('accounts must be a non-negative integer');
  const primaryDomain = `${spec.slug}.example`;
  const verifiedDomains = [primaryDomain, `${spec.slug}.onmicrosoft.example`];
  const { users, departments, regions } = buildUsers(spec, primaryDomain);
  const groups = buildGroups(spec, primaryDomain, users, departments, regions);
  const teams = planTeams(departments);
  const teamOfUser = new Array<number>(users.length).fill(0);
  for (const t of teams) for (const m of t.members) teamOfUser[m] = t.index;
  const userParties: Party[] = users.map((u, i) => ({ name: u.displayName, address: u.mail, userIndex: i }));

  const { accounts, contacts, contactParties, accountContacts } = buildCustomers(spec);
  const accountWeights = planEngagement(spec, accounts.length);
  const accountAutomaticContact = mapAutomaticContacts(spec, accounts, accountWeights, contacts, contactParties);
  const accountWeightTotal = accountWeights.reduce((s, w) => s + w, 0);

  const ownership = rngFor(spec.seed, 'directory:ownership');
  const affinity = (dept: string) => DEPARTMENTS.find((d) => d.name === dept)?.accountAffinity ?? 1;
  const teamWeights = teams.map((t) => affinity(t.department));
  const accountTeam: number[] = [];
  const accountOwner: number[] = [];
  const teamAccounts: number[][] = teams.map(() => []);
  for (let a = 0; a < accounts.length; a++) {
    const t = ownership.weightedIndex(teamWeights);
    const team = teams[t] as TeamPlan;
    // Prefer someone customer-facing in the team as the usual correspondent.
    const facing = team.members.filter((m) => departments[m] === 'Sales' || departments[m] === 'Customer Success');
    accountTeam.push(t);
    accountOwner.push(ownership.pick(facing.length > 0 ? facing : team.members));
    (teamAccounts[t] as number[]).push(a);
  }

  const rooms: Party[] = ROOM_NAMES.map((r) => ({ name: `Conference Room ${r}`, address: `room-${r.toLowerCase()}@${primaryDomain}`, userIndex: -1 }));

  return {
    primaryDomain,
    verifiedDomains,
    users,
    userDepartment: departments,
    groups,
    accounts,
    contacts,
    subscribedSkus: buildSkus(spec),
    teams,
    teamOfUser,
    userParties,
    contactParties,
    accountContacts,
    accountAutomaticContact,
    accountWeights,
    accountWeightTotal,
    accountTeam,
    accountOwner,
    teamAccounts,
    rooms,
  };
}
