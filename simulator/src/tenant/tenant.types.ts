/**
 * The synthetic tenant's data model: the contract between the activity generator
 * (simulator/src/tenant), the HTTP endpoints (simulator/src/entra, simulator/src/graph)
 * and the expected-aggregates oracle that tests compare the app's output with.
 *
 * Shapes mirror Microsoft Graph v1.0 resources (message, event, user, group) so that
 * the endpoints can serialise them with little more than `$select` projection.
 */

export interface EmailAddress {
  name: string;
  address: string;
}

export interface Recipient {
  emailAddress: EmailAddress;
}

export interface DateTimeTimeZone {
  /** ISO local date-time without offset, e.g. `2026-03-02T09:30:00.0000000`. */
  dateTime: string;
  timeZone: string;
}

/** What a tenant is made from: everything else is derived deterministically. */
export interface TenantSpec {
  /** Directory (tenant) id, a GUID. */
  tenantId: string;
  /** Short name used for the primary domain, e.g. `contoso` → `contoso.example`. */
  slug: string;
  displayName: string;
  seed: number;
  mailboxes: number;
  accounts: number;
  /** `organization.countryLetterCode`, e.g. `US`, `GB`, `DE`, `BR`. */
  countryLetterCode: string;
  /** Whether the tenant has an active Microsoft 365 / Office 365 subscription. */
  licensed: boolean;
  /** Whether the app (the simulator's registered client) has admin consent at start. */
  consentGranted: boolean;
  /**
   * The instant the year of activity ends at (the generator's "now" at start). Activity is
   * generated for roughly 400 days before it and 90 days after it; the simulator's clock
   * decides what is visible.
   */
  anchor: Date;
  /** Mean number of logical messages (not copies) sent per mailbox per year. Default 120. */
  messagesPerMailboxPerYear?: number;
  /** Mean number of meetings (occurrences) organised per mailbox per year. Default 40. */
  meetingsPerMailboxPerYear?: number;
}

export type Persona = 'tenantAdmin' | 'enrichmentAdmin' | 'seller';

export interface SimUser {
  id: string;
  displayName: string;
  givenName: string;
  surname: string;
  mail: string;
  userPrincipalName: string;
  jobTitle: string;
  department: string;
  accountEnabled: boolean;
  /** Graph's `preferredLanguage` (BCP 47); absent on most users, as in real tenants. */
  preferredLanguage?: string;
  /** Holds the Global Administrator directory role. */
  isGlobalAdmin: boolean;
  /** App roles assigned to this user in the app's enterprise application. */
  appRoles: string[];
  /** Set on the well-known users the dev sign-in offers. */
  persona?: Persona;
}

export interface SimGroup {
  id: string;
  displayName: string;
  description: string;
  mail: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  /** Direct members: user ids and group ids (nested groups). */
  memberIds: string[];
}

export interface SimAccount {
  id: string;
  name: string;
  /** The account's own email domains (used when an enrichment matches by domain). */
  domains: string[];
  industry: string;
  country: string;
}

export interface SimContact {
  email: string;
  accountId: string;
  firstName: string;
  lastName: string;
  jobTitle: string;
}

export type MailFolderName = 'inbox' | 'sentitems' | 'drafts' | 'deleteditems' | 'archive';

/** One copy of a message in one mailbox (Graph `message`). */
export interface SimMessage {
  /** Immutable id of this copy (what Graph returns with `Prefer: IdType="ImmutableId"`). */
  id: string;
  mailboxUserId: string;
  folder: MailFolderName;
  internetMessageId: string;
  conversationId: string;
  subject: string;
  bodyPreview: string;
  body: { contentType: 'text' | 'html'; content: string };
  from: Recipient;
  sender: Recipient;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  sentDateTime: string;
  receivedDateTime: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  isDraft: boolean;
  isRead: boolean;
  hasAttachments: boolean;
  importance: 'low' | 'normal' | 'high';
  inferenceClassification: 'focused' | 'other';
}

export interface SimAttendee {
  type: 'required' | 'optional' | 'resource';
  status: { response: 'none' | 'organizer' | 'tentativelyAccepted' | 'accepted' | 'declined' | 'notResponded'; time: string };
  emailAddress: EmailAddress;
}

/** One event in one mailbox's calendar (Graph `event`), as calendarView returns it. */
export interface SimEvent {
  id: string;
  mailboxUserId: string;
  iCalUId: string;
  type: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  seriesMasterId: string | null;
  subject: string;
  bodyPreview: string;
  body: { contentType: 'text' | 'html'; content: string };
  organizer: Recipient;
  attendees: SimAttendee[];
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  isAllDay: boolean;
  isCancelled: boolean;
  isOrganizer: boolean;
  isOnlineMeeting: boolean;
  onlineMeetingProvider: 'teamsForBusiness' | 'unknown';
  showAs: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';
  sensitivity: 'normal' | 'personal' | 'private' | 'confidential';
  createdDateTime: string;
  lastModifiedDateTime: string;
  /**
   * Simulator-internal (never serialised): when the occurrence was cancelled. Before that
   * instant the event is visible with `isCancelled: false`; see `eventAsOf`.
   */
  cancelledDateTime?: string;
}

export interface SubscribedSku {
  id: string;
  skuId: string;
  skuPartNumber: string;
  capabilityStatus: 'Enabled' | 'Suspended' | 'Warning' | 'Deleted' | 'LockedOut';
  appliesTo: 'User' | 'Company';
  consumedUnits: number;
  prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut: number };
  servicePlans: Array<{ servicePlanId: string; servicePlanName: string; provisioningStatus: string; appliesTo: string }>;
}

/** A calendar change made after generation (simulator control endpoint), at the tenant clock's instant. */
export type CalendarEditRequest =
  | { kind: 'move'; eventId: string; startMs: number; endMs: number }
  | { kind: 'cancel'; eventId: string }
  | { kind: 'add'; organizer: string; attendees: string[]; startMs: number; endMs: number };

export interface CalendarEditResult {
  seq: number;
  /** Immutable ids of the calendar items the edit touched, one per mailbox holding it. */
  eventIds: string[];
}

/** Calendar edits of a generated tenant: seen by calendarView (delta) and by the oracle. */
export interface CalendarEditing {
  /** The latest edit's sequence number (0: none). */
  readonly seq: number;
  edit(req: CalendarEditRequest, at: Date): CalendarEditResult;
  /** Immutable ids of one mailbox's calendar items that edits with sequence numbers in (sinceSeq, untilSeq] touched. */
  changedSince(userId: string, sinceSeq: number, untilSeq: number): string[];
}

/** A generated tenant. Directory data is held in memory; activity is generated on demand. */
export interface Tenant {
  spec: TenantSpec;
  /** Organisation domains: every user's address is in one of these. */
  verifiedDomains: string[];
  users: SimUser[];
  groups: SimGroup[];
  accounts: SimAccount[];
  contacts: SimContact[];
  subscribedSkus: SubscribedSku[];
  /**
   * Copies held by one mailbox whose `receivedDateTime` (for drafts `createdDateTime`) is at
   * or before `visibleAt`, newest first. Optionally one folder only. Generated lazily and
   * bounded in memory (a mailbox's copies are produced from its own and its team mates'
   * generators, never from the whole tenant).
   */
  mailboxMessages(userId: string, opts: { visibleAt: Date; folder?: MailFolderName }): SimMessage[];
  /**
   * Calendar items of one mailbox as calendarView returns them: single instances,
   * occurrences and exceptions (never series masters) whose time range overlaps
   * [start, end), that exist (`createdDateTime` ≤ `visibleAt`), with `isCancelled`
   * reflecting `visibleAt`. Ordered by start ascending.
   */
  mailboxEvents(userId: string, opts: { start: Date; end: Date; visibleAt: Date }): SimEvent[];
  /** The customer dataset files an admin would import (header row + one row per record). */
  datasetCsv(): { accountsCsv: string; contactsCsv: string };
  /** Present on generated tenants only. */
  calendarEdits?: CalendarEditing;
  /** Drops what the generator keeps to serve mailboxes fast (they are rebuilt when asked for again). */
  releaseCaches?(): void;
}

/** What an enrichment is configured with, as far as the numbers are concerned. */
export interface EnrichmentScope {
  /** Object ids of the selected mailboxes (S). */
  selectedUserIds: string[];
  /** The run's as-of instant; the window is the 365 days ending at it. */
  asOf: Date;
  /** Contacts to match (default: the tenant's whole contact list). */
  contacts?: Array<{ email: string; accountId: string }>;
  /** Accounts (default: the tenant's). */
  accounts?: Array<{ id: string; name: string; domains: string[] }>;
  excludedAddresses?: string[];
  excludedDomains?: string[];
  /** Also match by the account's email domains (a contact match wins). Default false. */
  matchAccountDomains?: boolean;
  /** The engagement score's half-life in days. Default 30. */
  halfLifeDays?: number;
}

export type AggregationLevel = 'Week' | 'Month' | 'Year';

/** One row of the output entity, named as the spec's columns. */
export interface ExpectedRow {
  AccountId: string;
  AccountName: string;
  AggregationLevel: AggregationLevel;
  /** ISO instant (UTC) of the period start; the window start for `Year`. */
  AggregationStartDate: string;
  NoOfEmails_ToAccount: number;
  NoOfEmails_FromAccount: number;
  NoOfMeetings_FromAccount: number;
  NoOfMeetings_ToAccount: number;
  NoOfContactsInvolved_Emails: number;
  NoOfContactsInvolved_Meetings: number;
  NoOfAccountContactsInvolved_Emails: number;
  NoOfAccountContactsInvolved_Meetings: number;
  /** ISO instant, null when the account has no counted item in the period. */
  EngagementStartDate: string | null;
  DaysSinceLastEmail: number | null;
  DaysSinceLastMeeting: number | null;
  AverageDuration_Of_Meetings: number | null;
  AverageDuration_Of_AccountEmailReplies: number | null;
  /** 0–100: the mid-rank percentile of the row's raw score among the accounts active in the same period. */
  EngagementScore: number;
}
