import { MailboxFaults } from '../graph/mailbox-faults';
import { TeamsActivity } from './teams-activity';
import type { Tenant } from '../tenant/tenant.types';

/** The application permissions the app registration requires (what admin consent grants). */
export const REQUIRED_APP_ROLES = [
  'Mail.ReadBasic.All',
  'Calendars.ReadBasic.All',
  'User.Read.All',
  'GroupMember.Read.All',
  'Organization.Read.All',
  'RoleManagement.Read.Directory',
  'TeamsActivity.Send',
] as const;

export interface ConsentState {
  granted: boolean;
  /** Object id of the Global Administrator who approved (absent when seeded at start). */
  grantedBy?: string;
  /** ISO instant (wall clock) of the approval. */
  grantedAt?: string;
  /** Application permissions held by the app's service principal in this tenant. */
  roles: string[];
}

export interface SentMail {
  id: string;
  senderUserId: string;
  /** `app` = application Mail.Send, `delegated` = the signed-in user sent it. */
  via: 'app' | 'delegated';
  message: Record<string, unknown>;
  saveToSentItems: boolean;
  /** Tenant clock at the time of sending. */
  sentAt: string;
}

export interface TenantStats {
  /** Graph requests that reached a mailbox-scoped handler (after throttling), per user id. */
  requestsByMailbox: Record<string, number>;
  /** All Graph requests authenticated for this tenant (top level and $batch sub-requests). */
  graphRequests: number;
  throttled429: number;
  concurrency429: number;
  budget429: number;
  injected503: number;
  droppedConnections: number;
  tokensIssued: number;
  /**
   * Injected latency per mailbox, summed per chain of requests: a mailbox's message pages
   * follow each other, and so do its calendar pages (the bench's lower bound for a run).
   */
  latencyMsByMailbox: Record<string, { messages: number; calendar: number }>;
}

/** A generated tenant plus the simulator's mutable state about it. */
export interface SimTenantHandle {
  readonly tenantId: string;
  readonly tenant: Tenant;
  /** The tenant clock: what activity is visible. Starts at the spec's anchor, moves only by `advance`. */
  now(): Date;
  advance(ms: number): Date;
  readonly consent: ConsentState;
  grantConsent(by?: string, roles?: readonly string[]): void;
  revokeConsent(): void;
  readonly outbox: readonly SentMail[];
  recordSentMail(mail: SentMail): void;
  readonly stats: TenantStats;
  resetStats(): void;
  /** Bumped to invalidate every outstanding delta token of the tenant (→ 410 SyncStateNotFound). */
  readonly deltaEpoch: number;
  /** Expires the delta tokens of the given mailboxes, or of every mailbox when none is named. */
  expireDeltaTokens(userIds?: readonly string[]): void;
  /** A mailbox's own token generation (bumped when its tokens are expired by name). */
  mailboxDeltaEpoch(userId: string): number;
  /**
   * How long (tenant clock) a delta token stays valid after the round that issued it; null:
   * forever. Graph lets sync states expire; a client must then start over.
   */
  deltaTokenTtlMs: number | null;
  /** Failures injected for single mailboxes (no licence, access denied, throttled). */
  readonly mailboxFaults: MailboxFaults;
  /** Who has the Teams app, and the activity feed notifications Teams accepted. */
  readonly teamsActivity: TeamsActivity;
}

function emptyStats(): TenantStats {
  return {
    requestsByMailbox: {},
    graphRequests: 0,
    throttled429: 0,
    concurrency429: 0,
    budget429: 0,
    injected503: 0,
    droppedConnections: 0,
    tokensIssued: 0,
    latencyMsByMailbox: {},
  };
}

const MAX_OUTBOX = 10_000;

export function createTenantHandle(tenant: Tenant): SimTenantHandle {
  let clockMs = tenant.spec.anchor.getTime();
  let consent: ConsentState = tenant.spec.consentGranted
    ? { granted: true, roles: [...REQUIRED_APP_ROLES] }
    : { granted: false, roles: [] };
  const outbox: SentMail[] = [];
  let stats = emptyStats();
  let deltaEpoch = 0;
  const mailboxEpochs = new Map<string, number>();
  let deltaTokenTtlMs: number | null = null;
  const mailboxFaults = new MailboxFaults();
  const teamsActivity = new TeamsActivity(tenant.users);

  return {
    tenantId: tenant.spec.tenantId,
    tenant,
    now: () => new Date(clockMs),
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the tenant clock only moves forward');
      clockMs += ms;
      return new Date(clockMs);
    },
    get consent() {
      return consent;
    },
    grantConsent(by?: string, roles: readonly string[] = REQUIRED_APP_ROLES) {
      consent = { granted: true, grantedAt: new Date().toISOString(), roles: [...roles], ...(by ? { grantedBy: by } : {}) };
    },
    revokeConsent() {
      consent = { granted: false, roles: [] };
    },
    get outbox() {
      return outbox;
    },
    recordSentMail(mail: SentMail) {
      outbox.push(mail);
      // Bounded so a load test that sends mail cannot grow the process without limit.
      if (outbox.length > MAX_OUTBOX) outbox.splice(0, outbox.length - MAX_OUTBOX);
    },
    get stats() {
      return stats;
    },
    resetStats() {
      stats = emptyStats();
    },
    get deltaEpoch() {
      return deltaEpoch;
    },
    expireDeltaTokens(userIds) {
      if (!userIds) deltaEpoch += 1;
      else for (const u of userIds) mailboxEpochs.set(u.toLowerCase(), (mailboxEpochs.get(u.toLowerCase()) ?? 0) + 1);
    },
    mailboxDeltaEpoch: (userId) => mailboxEpochs.get(userId.toLowerCase()) ?? 0,
    get deltaTokenTtlMs() {
      return deltaTokenTtlMs;
    },
    set deltaTokenTtlMs(ms) {
      deltaTokenTtlMs = ms;
    },
    mailboxFaults,
    teamsActivity,
  };
}
