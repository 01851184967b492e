import { describe, expect, it } from 'vitest';
import { generateTenant } from '../../../simulator/src/tenant/generate-tenant';
import { CONTOSO_TENANT_ID, FABRIKAM_TENANT_ID, defaultAnchor, demoTenantSpecs } from '../../../simulator/src/tenant/default-tenants';
import { forEachLogicalConversation, forEachLogicalMeeting, forEachLogicalMessage, type LogicalMeeting, type LogicalMessage } from '../../../simulator/src/tenant/logical-items';
import { computeExpectedAggregates, expectedAggregatesSummary, isAutomaticSender } from '../../../simulator/src/tenant/expected-aggregates';
import { tenantInternals } from '../../../simulator/src/tenant/tenant-internals';
import { seriesMasterIdOf } from '../../../simulator/src/tenant/materialize-copies';
import { meetingHolders } from '../../../simulator/src/tenant/activity-model';
import type { SimEvent, SimMessage, Tenant, TenantSpec } from '../../../simulator/src/tenant/tenant.types';

const ANCHOR = new Date('2026-03-15T00:00:00Z');
const DAY = 86_400_000;
const FAR = new Date('2100-01-01T00:00:00Z');
const EPOCH = new Date(0);

function smallSpec(overrides: Partial<TenantSpec> = {}): TenantSpec {
  return {
    tenantId: '11111111-2222-4333-8444-555555555555',
    slug: 'tailspin',
    displayName: 'Tailspin',
    seed: 42,
    mailboxes: 14,
    accounts: 25,
    countryLetterCode: 'GB',
    licensed: true,
    consentGranted: true,
    anchor: ANCHOR,
    ...overrides,
  };
}

const contoso = generateTenant(demoTenantSpecs(ANCHOR)[0] as TenantSpec);

function allMessages(tenant: Tenant): LogicalMessage[] {
  const out: LogicalMessage[] = [];
  forEachLogicalMessage(tenant, (m) => out.push(m));
  return out;
}

function allMeetings(tenant: Tenant): LogicalMeeting[] {
  const out: LogicalMeeting[] = [];
  forEachLogicalMeeting(tenant, (m) => out.push(m));
  return out;
}

const lower = (a: string) => a.toLowerCase();

describe('generateTenant: determinism', () => {
  it('when the same spec is generated twice, then directory, ids and activity are identical', () => {
    const a = generateTenant(smallSpec());
    const b = generateTenant(smallSpec());
    expect(b.users).toEqual(a.users);
    expect(b.groups).toEqual(a.groups);
    expect(b.contacts).toEqual(a.contacts);
    const user = a.users[2]!.id;
    expect(b.mailboxMessages(user, { visibleAt: FAR })).toEqual(a.mailboxMessages(user, { visibleAt: FAR }));
    expect(b.mailboxEvents(user, { start: EPOCH, end: FAR, visibleAt: FAR })).toEqual(a.mailboxEvents(user, { start: EPOCH, end: FAR, visibleAt: FAR }));
  });

  it('when mailboxes are generated in a different order, then each comes out the same', () => {
    const a = generateTenant(smallSpec());
    const b = generateTenant(smallSpec());
    const ids = a.users.map((u) => u.id);
    const first = ids.map((id) => a.mailboxMessages(id, { visibleAt: FAR }).map((m) => m.id));
    const second = [...ids].reverse().map((id) => b.mailboxMessages(id, { visibleAt: FAR }).map((m) => m.id)).reverse();
    expect(second).toEqual(first);
  });

  it('when the seed differs, then users, ids and messages differ', () => {
    const a = generateTenant(smallSpec());
    const c = generateTenant(smallSpec({ seed: 43 }));
    expect(c.users.map((u) => u.id)).not.toEqual(a.users.map((u) => u.id));
    expect(c.users.map((u) => u.displayName)).not.toEqual(a.users.map((u) => u.displayName));
    const idsA = new Set(allMessages(a).map((m) => m.internetMessageId));
    expect(allMessages(c).filter((m) => idsA.has(m.internetMessageId))).toHaveLength(0);
  });
});

describe('generateTenant: directory and dataset', () => {
  it('when the demo tenants are built, then their specs match the brief', () => {
    const [c, f] = demoTenantSpecs(ANCHOR);
    expect(c).toMatchObject({ tenantId: CONTOSO_TENANT_ID, slug: 'contoso', mailboxes: 50, accounts: 200, countryLetterCode: 'US', licensed: true, consentGranted: true, seed: 1 });
    expect(f).toMatchObject({ tenantId: FABRIKAM_TENANT_ID, slug: 'fabrikam', mailboxes: 12, accounts: 30, countryLetterCode: 'BR', licensed: false, consentGranted: false, seed: 2 });
    expect(defaultAnchor(new Date('2026-05-07T17:45:12Z')).toISOString()).toBe('2026-05-07T00:00:00.000Z');
  });

  it('when a tenant is generated, then the personas, admins and addresses are as specified', () => {
    const [admin, enrichment, seller] = contoso.users;
    expect(admin).toMatchObject({ persona: 'tenantAdmin', isGlobalAdmin: true, appRoles: [] });
    expect(enrichment).toMatchObject({ persona: 'enrichmentAdmin', appRoles: ['EngagementAdmin'] });
    expect(seller).toMatchObject({ persona: 'seller', appRoles: [] });
    const extraAdmins = contoso.users.slice(3).filter((u) => u.isGlobalAdmin);
    expect(extraAdmins.length).toBeGreaterThanOrEqual(1);
    expect(extraAdmins.length).toBeLessThanOrEqual(2);
    expect(contoso.users).toHaveLength(50);
    expect(contoso.verifiedDomains).toEqual(['contoso.example', 'contoso.onmicrosoft.example']);
    expect(contoso.users.every((u) => u.mail.endsWith('@contoso.example') && u.userPrincipalName === u.mail)).toBe(true);
    expect(new Set(contoso.users.map((u) => u.mail)).size).toBe(50);
    expect(contoso.users.every((u) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u.id))).toBe(true);
  });

  it('when teams are planned, then everyone is in exactly one team of a few people and the seller works in Sales', () => {
    const { dir } = tenantInternals(contoso)!.ctx;
    const members = dir.teams.flatMap((t) => t.members);
    expect(members.slice().sort((a, b) => a - b)).toEqual(contoso.users.map((_, i) => i));
    expect(dir.teams.every((t) => t.members.length >= 2 && t.members.length <= 9)).toBe(true);
    expect(dir.teams.filter((t) => t.members.length >= 5).length).toBeGreaterThanOrEqual(dir.teams.length - 1);
    expect(dir.teams[dir.teamOfUser[2]!]!.department).toBe('Sales');
    expect(dir.accountOwner.filter((o) => o === 2).length).toBeGreaterThan(0);
  });

  it('when groups are expanded transitively, then nesting exists and a user is reachable twice', () => {
    const byId = new Map(contoso.groups.map((g) => [g.id, g]));
    const paths = new Map<string, number>();
    const walk = (groupId: string) => {
      for (const m of byId.get(groupId)!.memberIds) {
        if (byId.has(m)) walk(m);
        else paths.set(m, (paths.get(m) ?? 0) + 1);
      }
    };
    const allSales = contoso.groups.find((g) => g.displayName === 'All Sales')!;
    expect(allSales.memberIds.some((m) => byId.has(m))).toBe(true);
    walk(allSales.id);
    expect([...paths.values()].some((n) => n >= 2)).toBe(true);
    expect(paths.get(contoso.users[2]!.id)).toBe(2);
    const security = contoso.groups.find((g) => g.securityEnabled && !g.mailEnabled);
    expect(security?.mail).toBeNull();
    const dls = contoso.groups.filter((g) => g.mailEnabled && !g.securityEnabled && g.groupTypes.length === 0 && g.displayName.startsWith('Sales – '));
    expect(dls).toHaveLength(3);
  });

  it('when the dataset is exported, then the CSVs round-trip with quoting and the stored addresses keep their case', () => {
    const { accountsCsv, contactsCsv } = contoso.datasetCsv();
    const parse = (csv: string) => {
      const rows: string[][] = [];
      let field = '';
      let row: string[] = [];
      let quoted = false;
      for (let i = 0; i < csv.length; i++) {
        const ch = csv[i]!;
        if (quoted) {
          if (ch === '"' && csv[i + 1] === '"') (field += '"'), i++;
          else if (ch === '"') quoted = false;
          else field += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === ',') row.push(field), (field = '');
        else if (ch === '\r') continue;
        else if (ch === '\n') row.push(field), rows.push(row), (row = []), (field = '');
        else field += ch;
      }
      return rows;
    };
    const accounts = parse(accountsCsv);
    expect(accounts[0]).toEqual(['AccountId', 'AccountName', 'Domains', 'Industry', 'Country']);
    expect(accounts.slice(1).map((r) => r[1])).toEqual(contoso.accounts.map((a) => a.name));
    expect(accounts.slice(1).map((r) => r[2])).toEqual(contoso.accounts.map((a) => a.domains.join(';')));
    expect(contoso.accounts.some((a) => a.name.includes(','))).toBe(true);
    expect(accounts[1]![0]).toBe('ACC-00001');
    const contacts = parse(contactsCsv);
    expect(contacts[0]).toEqual(['Email', 'AccountId', 'FirstName', 'LastName', 'JobTitle']);
    expect(contacts.slice(1).map((r) => r[0])).toEqual(contoso.contacts.map((c) => c.email));
    expect(contacts.slice(1).map((r) => r[4])).toEqual(contoso.contacts.map((c) => c.jobTitle));
    expect(contoso.contacts.some((c) => c.email !== c.email.toLowerCase())).toBe(true);
    // 2 to 8 people per account; a few accounts also list an automatic address (no-reply@ …) as a contact.
    const perAccount = new Map<string, number>();
    for (const c of contoso.contacts) if (!isAutomaticSender(c.email)) perAccount.set(c.accountId, (perAccount.get(c.accountId) ?? 0) + 1);
    expect([...perAccount.values()].every((n) => n >= 2 && n <= 8)).toBe(true);
    const automatic = contoso.contacts.filter((c) => isAutomaticSender(c.email));
    expect(automatic.length).toBeGreaterThanOrEqual(5);
    expect(new Set(automatic.map((c) => c.accountId)).size).toBe(automatic.length);
    expect(contacts.slice(1).some((r) => isAutomaticSender(r[0]!))).toBe(true);
    for (const c of contoso.contacts) {
      const account = contoso.accounts.find((a) => a.id === c.accountId)!;
      expect(account.domains).toContain(lower(c.email).split('@')[1]);
    }
  });

  it('when licensed or not, then the subscribed SKUs say so', () => {
    const e3 = contoso.subscribedSkus.find((s) => s.skuPartNumber === 'SPE_E3');
    expect(e3?.capabilityStatus).toBe('Enabled');
    expect(e3?.servicePlans.some((p) => p.servicePlanName.startsWith('EXCHANGE'))).toBe(true);
    for (const seed of [2, 3, 4, 5]) {
      const t = generateTenant(smallSpec({ seed, licensed: false }));
      expect(t.subscribedSkus.every((s) => s.capabilityStatus !== 'Enabled' || !s.servicePlans.some((p) => p.servicePlanName.startsWith('EXCHANGE')))).toBe(true);
    }
  });
});

describe('generateTenant: mail copies', () => {
  const messages = allMessages(contoso);
  const userById = new Map(contoso.users.map((u) => [u.id, u]));

  it('when the tenant is streamed, then every kind of traffic the app must handle is present', () => {
    const org = (a: string) => lower(a).endsWith('@contoso.example');
    const contactSet = new Set(contoso.contacts.map((c) => lower(c.email)));
    const accountDomains = new Set(contoso.accounts.flatMap((a) => a.domains));
    const domain = (a: string) => lower(a).split('@')[1]!;
    expect(messages.some((m) => m.isDraft)).toBe(true);
    expect(messages.some((m) => /^(noreply|no-reply|notifications?|donotreply|do-not-reply|postmaster|bounce.*)@/.test(lower(m.from.address)) && accountDomains.has(domain(m.from.address)))).toBe(true);
    // Mail from automatic addresses the dataset maps as contacts, some on the first instant of a month and of a week.
    const fromMapped = messages.filter((m) => isAutomaticSender(m.from.address) && contactSet.has(lower(m.from.address)));
    expect(fromMapped.some((m) => new Date(m.sentMs).toISOString().endsWith('-01T00:00:00.000Z'))).toBe(true);
    expect(fromMapped.some((m) => new Date(m.sentMs).getUTCDay() === 1 && m.sentMs % 86_400_000 === 0)).toBe(true);
    // Third party: sender neither ours nor a contact, with a contact and one of us as recipients.
    expect(messages.some((m) => !org(m.from.address) && !accountDomains.has(domain(m.from.address)) && m.toRecipients.some((r) => contactSet.has(lower(r.address))) && m.toRecipients.some((r) => org(r.address)))).toBe(true);
    // BCC only: no internal participant on from/to/cc, an internal BCC.
    expect(messages.some((m) => ![m.from, ...m.toRecipients, ...m.ccRecipients].some((p) => org(p.address)) && m.bccRecipients.some((p) => org(p.address)))).toBe(true);
    expect(messages.some((m) => org(m.from.address) && m.bccRecipients.length > 0)).toBe(true);
    // Someone at an account domain who is not a contact.
    expect(messages.some((m) => accountDomains.has(domain(m.from.address)) && !contactSet.has(lower(m.from.address)))).toBe(true);
    expect(messages.some((m) => [m.from, ...m.toRecipients].every((p) => org(p.address)))).toBe(true);
    expect(messages.some((m) => m.from.address !== lower(m.from.address))).toBe(true);
    const conversations = new Map<string, number>();
    for (const m of messages) conversations.set(m.conversationId, (conversations.get(m.conversationId) ?? 0) + 1);
    expect(Math.max(...conversations.values())).toBeGreaterThanOrEqual(5);
  });

  it('when copies are listed per mailbox, then they share internetMessageId and conversationId, have unique ids and sit where Exchange files them', () => {
    const byInternetId = new Map(messages.map((m) => [m.internetMessageId, m]));
    expect(byInternetId.size).toBe(messages.length);
    const seenIds = new Set<string>();
    let copies = 0;
    for (const user of contoso.users) {
      for (const copy of contoso.mailboxMessages(user.id, { visibleAt: FAR })) {
        copies++;
        expect(seenIds.has(copy.id)).toBe(false);
        seenIds.add(copy.id);
        expect(copy.id).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(copy.mailboxUserId).toBe(user.id);
        const logical = byInternetId.get(copy.internetMessageId)!;
        expect(logical).toBeDefined();
        expect(copy.conversationId).toBe(logical.conversationId);
        const me = lower(user.mail);
        const isSender = lower(logical.from.address) === me;
        const isRecipient = [...logical.toRecipients, ...logical.ccRecipients, ...logical.bccRecipients].some((r) => lower(r.address) === me);
        expect(isSender || isRecipient).toBe(true);
        if (copy.isDraft) {
          expect(copy.folder).toBe('drafts');
          expect(isSender).toBe(true);
        } else if (isSender) {
          expect(copy.folder).toBe('sentitems');
          expect(copy.receivedDateTime).toBe(copy.sentDateTime);
        } else {
          expect(['inbox', 'archive', 'deleteditems']).toContain(copy.folder);
          const delay = Date.parse(copy.receivedDateTime) - Date.parse(copy.sentDateTime);
          expect(delay).toBeGreaterThan(0);
          expect(delay).toBeLessThanOrEqual(60_000);
          expect(copy.bccRecipients).toEqual([]);
        }
        expect(copy.subject.length).toBeGreaterThan(0);
        expect(copy.bodyPreview.length).toBeGreaterThan(0);
      }
    }
    expect(copies).toBe(messages.reduce((n, m) => n + m.copies.length, 0));
    expect(messages.every((m) => m.copies.every((c) => userById.has(c.mailboxUserId)))).toBe(true);
  });

  it('when a message is a draft, then only its author holds it', () => {
    const drafts = messages.filter((m) => m.isDraft);
    expect(drafts.length).toBeGreaterThan(0);
    for (const d of drafts) {
      expect(d.copies).toHaveLength(1);
      expect(lower(userById.get(d.copies[0]!.mailboxUserId)!.mail)).toBe(lower(d.from.address));
      expect(d.copies[0]!.folder).toBe('drafts');
    }
  });

  it('when the clock moves, then a mailbox shows only copies received by then, newest first', () => {
    const user = contoso.users[2]!.id;
    const early = new Date(ANCHOR.getTime() - 200 * DAY);
    const atEarly = contoso.mailboxMessages(user, { visibleAt: early });
    const atAnchor = contoso.mailboxMessages(user, { visibleAt: ANCHOR });
    const all = contoso.mailboxMessages(user, { visibleAt: FAR });
    expect(atEarly.length).toBeGreaterThan(0);
    expect(atAnchor.length).toBeGreaterThan(atEarly.length);
    expect(all.length).toBeGreaterThan(atAnchor.length); // activity continues after the anchor
    const visibleFrom = (m: SimMessage) => Date.parse(m.isDraft ? m.createdDateTime : m.receivedDateTime);
    expect(atEarly.every((m) => visibleFrom(m) <= early.getTime())).toBe(true);
    expect(all.filter((m) => visibleFrom(m) <= early.getTime()).map((m) => m.id)).toEqual(atEarly.map((m) => m.id));
    for (let i = 1; i < all.length; i++) expect(visibleFrom(all[i - 1]!)).toBeGreaterThanOrEqual(visibleFrom(all[i]!));
    const inbox = contoso.mailboxMessages(user, { visibleAt: ANCHOR, folder: 'inbox' });
    expect(inbox.length).toBeGreaterThan(0);
    expect(inbox.every((m) => m.folder === 'inbox')).toBe(true);
    const firstSent = Math.min(...all.map((m) => Date.parse(m.sentDateTime)));
    expect(firstSent).toBeGreaterThanOrEqual(ANCHOR.getTime() - 400 * DAY);
    expect(Math.max(...all.map((m) => Date.parse(m.sentDateTime)))).toBeLessThanOrEqual(ANCHOR.getTime() + 90 * DAY);
  });

  it('when a mailbox is asked for by address or unknown id, then the address works and the unknown id is empty', () => {
    const user = contoso.users[5]!;
    expect(contoso.mailboxMessages(user.mail.toUpperCase(), { visibleAt: ANCHOR }).map((m) => m.id)).toEqual(contoso.mailboxMessages(user.id, { visibleAt: ANCHOR }).map((m) => m.id));
    expect(contoso.mailboxMessages('00000000-0000-4000-8000-000000000000', { visibleAt: ANCHOR })).toEqual([]);
  });
});

describe('generateTenant: calendars', () => {
  const meetings = allMeetings(contoso);

  function eventsOf(userId: string, visibleAt: Date): SimEvent[] {
    return contoso.mailboxEvents(userId, { start: EPOCH, end: FAR, visibleAt });
  }

  it('when the tenant is streamed, then meetings of every required shape exist', () => {
    const org = (a: string) => lower(a).endsWith('@contoso.example');
    const accountOf = new Map(contoso.contacts.map((c) => [lower(c.email), c.accountId]));
    expect(meetings.some((m) => m.type === 'occurrence')).toBe(true);
    expect(meetings.some((m) => m.type === 'exception')).toBe(true);
    expect(meetings.some((m) => m.type === 'singleInstance')).toBe(true);
    expect(meetings.some((m) => m.cancelledMs !== null)).toBe(true);
    expect(meetings.some((m) => m.attendees.some((a) => a.type === 'resource'))).toBe(true);
    expect(meetings.some((m) => accountOf.has(lower(m.organizer.address)))).toBe(true);
    expect(meetings.some((m) => [m.organizer, ...m.attendees.map((a) => a.emailAddress)].every((p) => org(p.address)))).toBe(true);
    expect(meetings.some((m) => new Set(m.attendees.map((a) => accountOf.get(lower(a.emailAddress.address))).filter(Boolean)).size >= 2)).toBe(true);
    for (const m of meetings) {
      const minutes = (m.endMs - m.startMs) / 60_000;
      expect(minutes).toBeGreaterThanOrEqual(15);
      expect(minutes).toBeLessThanOrEqual(120);
      expect(m.createdMs).toBeLessThan(m.startMs);
      if (m.cancelledMs !== null) expect(m.cancelledMs).toBeGreaterThan(m.createdMs);
    }
  });

  it('when a series is expanded, then occurrences share a master per mailbox, step by a week or two, and iCalUIds differ per occurrence but match across mailboxes', () => {
    const internals = tenantInternals(contoso)!;
    const unit = internals.unit(internals.ctx.dir.teamOfUser[2]!);
    const candidates = unit.meetings.filter((m) => m.recurrence !== 'none' && m.occurrences.length >= 4 && meetingHolders(m).length >= 2);
    const series = candidates.find((m) => m.occurrences.some((o) => o.type === 'exception')) ?? candidates[0]!;
    expect(series).toBeDefined();
    const holders = [series.organizer, ...series.attendees.map((a) => a.party)].filter((p) => p.userIndex >= 0);
    expect(holders.length).toBeGreaterThanOrEqual(2);
    const perHolder = holders.map((h) => {
      const userId = contoso.users[h.userIndex]!.id;
      const masterId = seriesMasterIdOf(internals.copy, series, h.userIndex);
      return { userId, own: eventsOf(userId, FAR).filter((e) => e.seriesMasterId === masterId) };
    });
    const step = series.recurrence === 'weekly' ? 7 * DAY : 14 * DAY;
    for (const { own } of perHolder) {
      expect(own).toHaveLength(series.occurrences.length);
      expect(new Set(own.map((e) => e.seriesMasterId)).size).toBe(1);
      expect(new Set(own.map((e) => e.iCalUId)).size).toBe(own.length);
      const regular = own.filter((e) => e.type === 'occurrence').map((e) => Date.parse(`${e.start.dateTime.slice(0, 19)}Z`));
      const first = Date.parse(`${own.find((e) => e.type === 'occurrence')!.start.dateTime.slice(0, 19)}Z`);
      expect(regular.every((s) => (s - first) % step === 0)).toBe(true);
      expect(own.every((e) => e.start.timeZone === 'UTC' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.0000000$/.test(e.start.dateTime))).toBe(true);
    }
    const [a, b] = perHolder;
    expect(a!.own.map((e) => e.iCalUId).sort()).toEqual(b!.own.map((e) => e.iCalUId).sort());
    expect(new Set([...a!.own, ...b!.own].map((e) => e.id)).size).toBe(a!.own.length * 2);
  });

  it('when an occurrence is cancelled, then it shows as not cancelled before the cancellation and cancelled after', () => {
    const cancelled = meetings.find((m) => m.cancelledMs !== null && m.createdMs < m.cancelledMs - 60_000)!;
    const holder = cancelled.holderUserIds[0]!;
    const find = (visibleAt: Date) =>
      contoso.mailboxEvents(holder, { start: new Date(cancelled.startMs), end: new Date(cancelled.endMs), visibleAt }).find((e) => e.iCalUId === cancelled.iCalUId);
    expect(find(new Date(cancelled.createdMs - 1000))).toBeUndefined();
    expect(find(new Date(cancelled.cancelledMs! - 1000))?.isCancelled).toBe(false);
    expect(find(new Date(cancelled.cancelledMs!))?.isCancelled).toBe(true);
    // The cached copy itself is not changed by asking for the cancelled view.
    expect(find(new Date(cancelled.cancelledMs! - 1000))?.isCancelled).toBe(false);
  });

  it('when a window is asked for, then only overlapping events created by then come back, by start', () => {
    const start = new Date(ANCHOR.getTime() - 30 * DAY);
    const end = new Date(ANCHOR.getTime() + 30 * DAY);
    // The busiest calendar around the anchor.
    const user = contoso.users
      .map((u) => ({ id: u.id, n: contoso.mailboxEvents(u.id, { start, end, visibleAt: end }).length }))
      .sort((a, b) => b.n - a.n)[0]!.id;
    const events = contoso.mailboxEvents(user, { start, end, visibleAt: ANCHOR });
    expect(events.length).toBeGreaterThan(0);
    const startOf = (e: SimEvent) => Date.parse(`${e.start.dateTime.slice(0, 19)}Z`);
    const endOf = (e: SimEvent) => Date.parse(`${e.end.dateTime.slice(0, 19)}Z`);
    expect(events.every((e) => startOf(e) < end.getTime() && endOf(e) > start.getTime() && Date.parse(e.createdDateTime) <= ANCHOR.getTime())).toBe(true);
    for (let i = 1; i < events.length; i++) expect(startOf(events[i - 1]!)).toBeLessThanOrEqual(startOf(events[i]!));
    expect(events.some((e) => e.type === 'seriesMaster')).toBe(false);
    const later = contoso.mailboxEvents(user, { start, end, visibleAt: end });
    expect(later.length).toBeGreaterThan(events.length); // future meetings appear as they are created
  });
});

describe('generateTenant: ground truth agrees with the mailboxes', () => {
  it('when the oracle reads the model or rebuilds items from every mailbox, then the rows are identical', () => {
    const tenant = generateTenant(smallSpec());
    const scope = {
      selectedUserIds: tenant.users.filter((_, i) => i % 3 !== 1).map((u) => u.id),
      asOf: new Date(ANCHOR.getTime() - 20 * DAY + 4_321_000),
      matchAccountDomains: true,
    };
    const fromModel = computeExpectedAggregates(tenant, scope);
    const fromMailboxes = computeExpectedAggregates(tenant, scope, { source: 'mailboxes' });
    expect(expectedAggregatesSummary(fromModel).totalEmails).toBeGreaterThan(0);
    expect(expectedAggregatesSummary(fromModel).totalMeetings).toBeGreaterThan(0);
    expect(fromMailboxes).toEqual(fromModel);
  });

  it('when conversations are streamed, then every message appears exactly once and engagement is skewed', () => {
    let count = 0;
    const ids = new Set<string>();
    forEachLogicalConversation(contoso, (conv) => {
      expect(new Set(conv.map((m) => m.conversationId)).size).toBe(1);
      for (const m of conv) {
        count++;
        ids.add(m.internetMessageId);
      }
    });
    expect(ids.size).toBe(count);
    const rows = computeExpectedAggregates(contoso, { selectedUserIds: contoso.users.map((u) => u.id), asOf: ANCHOR });
    const volumes = rows.filter((r) => r.AggregationLevel === 'Year').map((r) => r.NoOfEmails_ToAccount + r.NoOfEmails_FromAccount + r.NoOfMeetings_FromAccount + r.NoOfMeetings_ToAccount).sort((a, b) => b - a);
    expect(volumes).toHaveLength(200);
    const top10 = volumes.slice(0, 20).reduce((s, v) => s + v, 0);
    const total = volumes.reduce((s, v) => s + v, 0);
    expect(top10 / total).toBeGreaterThan(0.3); // the top 10 % of accounts carry a large share
    expect(volumes.filter((v) => v === 0).length).toBeGreaterThanOrEqual(10);
  });
});
