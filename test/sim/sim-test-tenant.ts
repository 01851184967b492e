import type { MailFolderName, SimEvent, SimGroup, SimMessage, SimUser, Tenant, TenantSpec } from '../../simulator/src/tenant/tenant.types';

/**
 * Small hand-built tenants for the simulator's endpoint tests: every number a test asserts
 * is visible here, independent of the activity generator.
 */
export const ANCHOR = new Date('2025-06-02T00:00:00Z');
export const HOUR = 3_600_000;

export const IDS = {
  admin: 'a0000000-0000-4000-8000-000000000001',
  enrichAdmin: 'a0000000-0000-4000-8000-000000000002',
  seller: 'a0000000-0000-4000-8000-000000000003',
  colleague: 'a0000000-0000-4000-8000-000000000004',
  bigBox: 'a0000000-0000-4000-8000-000000000005',
  disabled: 'a0000000-0000-4000-8000-000000000006',
  groupA: 'b0000000-0000-4000-8000-00000000000a',
  groupB: 'b0000000-0000-4000-8000-00000000000b',
  groupC: 'b0000000-0000-4000-8000-00000000000c',
};

function user(id: string, first: string, last: string, extra: Partial<SimUser> = {}): SimUser {
  const mail = `${first.toLowerCase()}.${last.toLowerCase()}@northwind.example`;
  return {
    id, displayName: `${first} ${last}`, givenName: first, surname: last, mail, userPrincipalName: mail, jobTitle: 'Account Manager',
    department: 'Sales', accountEnabled: true, isGlobalAdmin: false, appRoles: [], ...extra,
  };
}

const rcp = (address: string) => ({ emailAddress: { name: address.split('@')[0]!, address } });

function message(mailbox: string, folder: MailFolderName, n: number, receivedMs: number): SimMessage {
  const iso = new Date(receivedMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const sent = new Date(receivedMs - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    id: `imm-${mailbox.slice(-2)}-${folder}-${n}`,
    mailboxUserId: mailbox, folder,
    internetMessageId: `<m${n}.${folder}.${mailbox.slice(-2)}@northwind.example>`,
    conversationId: `conv-${Math.floor(n / 3)}`,
    subject: `Subject ${n}`, bodyPreview: `Preview ${n}`, body: { contentType: 'text', content: `Body ${n}` },
    from: rcp('buyer@customer.example'), sender: rcp('buyer@customer.example'),
    toRecipients: [rcp('seller@northwind.example')], ccRecipients: [], bccRecipients: [], replyTo: [],
    sentDateTime: sent, receivedDateTime: iso, createdDateTime: iso, lastModifiedDateTime: iso,
    isDraft: false, isRead: n % 2 === 0, hasAttachments: false, importance: 'normal', inferenceClassification: 'focused',
  };
}

/** Inbox: 35 before the anchor (hourly), 5 after it (visible once the clock moves). Sent items: 10. */
function sellerMessages(): SimMessage[] {
  const out: SimMessage[] = [];
  for (let i = 0; i < 35; i++) out.push(message(IDS.seller, 'inbox', i, ANCHOR.getTime() - (i + 1) * HOUR));
  for (let i = 0; i < 5; i++) out.push(message(IDS.seller, 'inbox', 100 + i, ANCHOR.getTime() + (i + 1) * HOUR));
  for (let i = 0; i < 10; i++) out.push(message(IDS.seller, 'sentitems', 200 + i, ANCHOR.getTime() - (i + 1) * 2 * HOUR));
  return out;
}

export const BIG_BOX_MESSAGES = 6200;
function bigBoxMessages(): SimMessage[] {
  const out: SimMessage[] = [];
  for (let i = 0; i < BIG_BOX_MESSAGES; i++) out.push(message(IDS.bigBox, 'inbox', i, ANCHOR.getTime() - (i + 1) * 600_000));
  return out;
}

const dt = (ms: number) => ({ dateTime: new Date(ms).toISOString().replace('Z', '0000'), timeZone: 'UTC' });

function event(id: string, type: SimEvent['type'], startMs: number, extra: Partial<SimEvent> = {}): SimEvent {
  const created = new Date(ANCHOR.getTime() - 30 * 24 * HOUR).toISOString();
  return {
    id, mailboxUserId: IDS.seller, iCalUId: `ical-${id}`, type, seriesMasterId: null, subject: `Meeting ${id}`, bodyPreview: 'secret agenda',
    body: { contentType: 'html', content: '<p>secret agenda</p>' }, organizer: rcp('seller@northwind.example'),
    attendees: [{ type: 'required', status: { response: 'accepted', time: created }, emailAddress: { name: 'Buyer', address: 'buyer@customer.example' } }],
    start: dt(startMs), end: dt(startMs + HOUR), isAllDay: false, isCancelled: false, isOrganizer: true, isOnlineMeeting: true,
    onlineMeetingProvider: 'teamsForBusiness', showAs: 'busy', sensitivity: 'normal', createdDateTime: created, lastModifiedDateTime: created, ...extra,
  };
}

const DAY = 24 * HOUR;
/** The seller's calendar (including a series master that calendarView must never return). */
function sellerEvents(): SimEvent[] {
  const a = ANCHOR.getTime();
  return [
    event('single-1', 'singleInstance', a - 10 * DAY),
    event('master-1', 'seriesMaster', a - 20 * DAY),
    event('occ-1', 'occurrence', a - 20 * DAY, { seriesMasterId: 'master-1' }),
    event('occ-2', 'occurrence', a - 13 * DAY, { seriesMasterId: 'master-1' }),
    event('exc-1', 'exception', a - 6 * DAY + 2 * HOUR, { seriesMasterId: 'master-1' }),
    // Attendee copy cancelled by its organiser one hour after the anchor.
    event('att-cancel', 'singleInstance', a + 3 * DAY, { isOrganizer: false, organizer: rcp('buyer@customer.example'), cancelledDateTime: new Date(a + HOUR).toISOString() }),
    // Organised by the seller and cancelled two hours after the anchor.
    event('org-cancel', 'singleInstance', a + 4 * DAY, { cancelledDateTime: new Date(a + 2 * HOUR).toISOString() }),
    // Created (booked) 90 minutes after the anchor.
    event('new-1', 'singleInstance', a + 5 * DAY, { createdDateTime: new Date(a + 90 * 60_000).toISOString(), lastModifiedDateTime: new Date(a + 90 * 60_000).toISOString() }),
  ];
}

export function buildTestTenant(overrides: Partial<TenantSpec> = {}): Tenant {
  const spec: TenantSpec = {
    tenantId: 'c0000000-0000-4000-8000-0000000000c1', slug: 'northwind', displayName: 'Northwind', seed: 7, mailboxes: 6, accounts: 1,
    countryLetterCode: 'GB', licensed: true, consentGranted: true, anchor: ANCHOR, ...overrides,
  };
  const users: SimUser[] = [
    user(IDS.admin, 'Ada', 'Admin', { isGlobalAdmin: true, persona: 'tenantAdmin' }),
    user(IDS.enrichAdmin, 'Eli', 'Enrich', { persona: 'enrichmentAdmin', appRoles: ['EngagementAdmin'] }),
    user(IDS.seller, 'Sam', 'Seller', { persona: 'seller' }),
    user(IDS.colleague, 'Cory', 'Colleague'),
    user(IDS.bigBox, 'Bea', 'Bigbox'),
    user(IDS.disabled, 'Dan', 'Disabled', { accountEnabled: false }),
  ];
  // A nests B, B nests A back (a cycle) and C; the seller is reachable three ways.
  const groups: SimGroup[] = [
    { id: IDS.groupA, displayName: 'Sales EMEA', description: '', mail: 'sales-emea@northwind.example', mailEnabled: true, securityEnabled: true, groupTypes: [], memberIds: [IDS.seller, IDS.groupB, IDS.colleague] },
    { id: IDS.groupB, displayName: 'Sales UK', description: '', mail: null, mailEnabled: false, securityEnabled: true, groupTypes: [], memberIds: [IDS.seller, IDS.groupA, IDS.groupC, IDS.bigBox] },
    { id: IDS.groupC, displayName: 'Sales London', description: '', mail: null, mailEnabled: false, securityEnabled: true, groupTypes: [], memberIds: [IDS.seller, IDS.colleague] },
  ];
  const byMailbox = new Map<string, SimMessage[]>([
    [IDS.seller, sellerMessages()],
    [IDS.bigBox, bigBoxMessages()],
  ]);
  const events = sellerEvents();
  return {
    spec,
    verifiedDomains: ['northwind.example'],
    users,
    groups,
    accounts: [{ id: 'acc-1', name: 'Customer Ltd', domains: ['customer.example'], industry: 'Retail', country: 'GB' }],
    contacts: [{ email: 'buyer@customer.example', accountId: 'acc-1', firstName: 'Bo', lastName: 'Buyer', jobTitle: 'Buyer' }],
    subscribedSkus: [],
    mailboxMessages(userId, opts) {
      const visible = opts.visibleAt.getTime();
      return (byMailbox.get(userId) ?? [])
        .filter((m) => Date.parse(m.receivedDateTime) <= visible && (!opts.folder || m.folder === opts.folder))
        .sort((x, y) => Date.parse(y.receivedDateTime) - Date.parse(x.receivedDateTime));
    },
    mailboxEvents(userId, opts) {
      if (userId !== IDS.seller) return [];
      const visible = opts.visibleAt.getTime();
      // Deliberately naive (masters included) so the server's own filtering is what is tested.
      return events
        .filter((e) => Date.parse(`${e.start.dateTime}Z`) < opts.end.getTime() && Date.parse(`${e.end.dateTime}Z`) > opts.start.getTime())
        .filter((e) => Date.parse(e.createdDateTime) <= visible)
        .map((e) => ({ ...e, isCancelled: e.cancelledDateTime !== undefined && Date.parse(e.cancelledDateTime) <= visible }));
    },
    datasetCsv: () => ({ accountsCsv: 'id,name\nacc-1,Customer Ltd\n', contactsCsv: 'email,accountId\nbuyer@customer.example,acc-1\n' }),
  };
}
