/**
 * A tiny Tenant written by hand for oracle tests: every message and meeting is spelled out,
 * and the Tenant interface (mailboxMessages / mailboxEvents) is implemented directly over
 * those lists, the way Exchange would file the copies.
 */
import type { EmailAddress, MailFolderName, SimEvent, SimMessage, SimUser, Tenant } from '../../../simulator/src/tenant/tenant.types';

export const ORG_DOMAIN = 'org.example';

export interface HandMessage {
  /** Becomes the internetMessageId. */
  id: string;
  conversation?: string;
  from: string;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  /** ISO instant. */
  sent: string;
  draft?: boolean;
  /** Seconds between sending and arrival in recipients' mailboxes (default 5). */
  deliverySeconds?: number;
}

export interface HandMeeting {
  iCalUId: string;
  organizer: string;
  attendees: string[];
  rooms?: string[];
  start: string;
  minutes: number;
  /** Default: 7 days before start. */
  created?: string;
  cancelled?: string;
  type?: 'singleInstance' | 'occurrence' | 'exception';
}

export interface HandTenantInput {
  /** Local parts of organisation users (`ana` → ana@org.example, id `id-ana`). */
  users: string[];
  accounts: Array<{ id: string; name: string; domains: string[] }>;
  contacts: Array<{ email: string; accountId: string }>;
  messages?: HandMessage[];
  meetings?: HandMeeting[];
}

export const userId = (local: string) => `id-${local}`;
export const userMail = (local: string) => `${local}@${ORG_DOMAIN}`;

const address = (a: string): EmailAddress => ({ name: a.split('@')[0] ?? a, address: a });
const recipients = (list: string[] | undefined) => (list ?? []).map((a) => ({ emailAddress: address(a) }));
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';
const localDateTime = (ms: number) => new Date(ms).toISOString().slice(0, 19) + '.0000000';

export function handBuiltTenant(input: HandTenantInput): Tenant {
  const users: SimUser[] = input.users.map((u) => ({
    id: userId(u),
    displayName: u,
    givenName: u,
    surname: 'Test',
    mail: userMail(u),
    userPrincipalName: userMail(u),
    jobTitle: 'Seller',
    department: 'Sales',
    accountEnabled: true,
    isGlobalAdmin: false,
    appRoles: [],
  }));

  function copiesOf(user: SimUser): Array<{ copy: SimMessage; visibleMs: number }> {
    const out: Array<{ copy: SimMessage; visibleMs: number }> = [];
    for (const m of input.messages ?? []) {
      const sentMs = Date.parse(m.sent);
      const base = (folder: MailFolderName, visibleMs: number, senderCopy: boolean): SimMessage => ({
        id: `${m.id}|${user.id}|${folder}`,
        mailboxUserId: user.id,
        folder,
        internetMessageId: m.id,
        conversationId: m.conversation ?? m.id,
        subject: 's',
        bodyPreview: 'p',
        body: { contentType: 'text', content: 'b' },
        from: { emailAddress: address(m.from) },
        sender: { emailAddress: address(m.from) },
        toRecipients: recipients(m.to),
        ccRecipients: recipients(m.cc),
        bccRecipients: senderCopy ? recipients(m.bcc) : [],
        replyTo: [],
        sentDateTime: m.sent,
        receivedDateTime: iso(visibleMs),
        createdDateTime: iso(visibleMs),
        lastModifiedDateTime: iso(visibleMs),
        isDraft: m.draft ?? false,
        isRead: true,
        hasAttachments: false,
        importance: 'normal',
        inferenceClassification: 'focused',
      });
      const isSender = same(m.from, user.mail);
      if (m.draft) {
        if (isSender) out.push({ copy: base('drafts', sentMs, true), visibleMs: sentMs });
        continue;
      }
      if (isSender) out.push({ copy: base('sentitems', sentMs, true), visibleMs: sentMs });
      const isRecipient = [...(m.to ?? []), ...(m.cc ?? []), ...(m.bcc ?? [])].some((a) => same(a, user.mail));
      if (isRecipient && !isSender) {
        const visibleMs = sentMs + (m.deliverySeconds ?? 5) * 1000;
        out.push({ copy: base('inbox', visibleMs, false), visibleMs });
      }
    }
    return out;
  }

  function eventsOf(user: SimUser): Array<{ event: SimEvent; startMs: number; endMs: number; createdMs: number; cancelledMs: number | null }> {
    const out: Array<{ event: SimEvent; startMs: number; endMs: number; createdMs: number; cancelledMs: number | null }> = [];
    for (const m of input.meetings ?? []) {
      const holds = same(m.organizer, user.mail) || m.attendees.some((a) => same(a, user.mail));
      if (!holds) continue;
      const startMs = Date.parse(m.start);
      const endMs = startMs + m.minutes * 60_000;
      const createdMs = m.created ? Date.parse(m.created) : startMs - 7 * 86_400_000;
      const event: SimEvent = {
        id: `${m.iCalUId}|${user.id}`,
        mailboxUserId: user.id,
        iCalUId: m.iCalUId,
        type: m.type ?? 'singleInstance',
        seriesMasterId: null,
        subject: 's',
        bodyPreview: 'p',
        body: { contentType: 'text', content: 'b' },
        organizer: { emailAddress: address(m.organizer) },
        attendees: [
          ...m.attendees.map((a) => ({ type: 'required' as const, status: { response: 'accepted' as const, time: iso(createdMs) }, emailAddress: address(a) })),
          ...(m.rooms ?? []).map((a) => ({ type: 'resource' as const, status: { response: 'accepted' as const, time: iso(createdMs) }, emailAddress: address(a) })),
        ],
        start: { dateTime: localDateTime(startMs), timeZone: 'UTC' },
        end: { dateTime: localDateTime(endMs), timeZone: 'UTC' },
        isAllDay: false,
        isCancelled: false,
        isOrganizer: same(m.organizer, user.mail),
        isOnlineMeeting: true,
        onlineMeetingProvider: 'teamsForBusiness',
        showAs: 'busy',
        sensitivity: 'normal',
        createdDateTime: iso(createdMs),
        lastModifiedDateTime: iso(createdMs),
      };
      if (m.cancelled) event.cancelledDateTime = m.cancelled;
      out.push({ event, startMs, endMs, createdMs, cancelledMs: m.cancelled ? Date.parse(m.cancelled) : null });
    }
    return out;
  }

  const findUser = (id: string) => users.find((u) => u.id === id);

  return {
    spec: {
      tenantId: '00000000-0000-4000-8000-000000000001',
      slug: 'org',
      displayName: 'Org',
      seed: 0,
      mailboxes: users.length,
      accounts: input.accounts.length,
      countryLetterCode: 'US',
      licensed: true,
      consentGranted: true,
      anchor: new Date('2026-03-15T00:00:00Z'),
    },
    verifiedDomains: [ORG_DOMAIN],
    users,
    groups: [],
    accounts: input.accounts.map((a) => ({ ...a, industry: 'Retail', country: 'US' })),
    contacts: input.contacts.map((c) => ({ ...c, firstName: 'F', lastName: 'L', jobTitle: 'T' })),
    subscribedSkus: [],
    mailboxMessages(id, opts) {
      const user = findUser(id);
      if (!user) return [];
      return copiesOf(user)
        .filter((c) => c.visibleMs <= opts.visibleAt.getTime() && (!opts.folder || c.copy.folder === opts.folder))
        .sort((a, b) => b.visibleMs - a.visibleMs)
        .map((c) => c.copy);
    },
    mailboxEvents(id, opts) {
      const user = findUser(id);
      if (!user) return [];
      const at = opts.visibleAt.getTime();
      return eventsOf(user)
        .filter((e) => e.createdMs <= at && e.startMs < opts.end.getTime() && e.endMs > opts.start.getTime())
        .sort((a, b) => a.startMs - b.startMs)
        .map((e) => (e.cancelledMs !== null && e.cancelledMs <= at ? { ...e.event, isCancelled: true } : e.event));
    },
    datasetCsv() {
      return { accountsCsv: '', contactsCsv: '' };
    },
  };
}
