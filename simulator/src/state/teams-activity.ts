import type { SimUser } from '../tenant/tenant.types';

/**
 * The simulator's Teams side of activity feed notifications: which users have the app installed,
 * the notifications Teams accepted (the inbox tests read), and throttling of the next requests.
 * The simulator's own types: nothing here is shared with the app.
 */

/** A notification Teams accepted for a user's activity feed. */
export interface SimActivityNotification {
  id: string;
  recipientUserId: string;
  /** The calling application (the token's appid). */
  appId: string;
  activityType: string;
  topic: { source: string; value: string; webUrl?: string };
  previewText: string | null;
  templateParameters: Array<{ name: string; value: string }>;
  chainId: number | null;
  /** Tenant clock at the time of sending. */
  sentAt: string;
}

const MAX_INBOX = 10_000;

/**
 * By default about one user in eight has not installed the app, decided from the user's position
 * in the directory (deterministic per seed); the personas always have it, so sign-in journeys work.
 */
export function installedByDefault(user: SimUser, index: number): boolean {
  if (user.persona) return true;
  return index % 8 !== 5;
}

export class TeamsActivity {
  private readonly overrides = new Map<string, boolean>();
  private readonly inbox: SimActivityNotification[] = [];
  private throttle: { requests: number; retryAfterSeconds: number } | null = null;
  /** 429s answered because of `throttleNext` (tests wait for them). */
  throttledAnswers = 0;

  constructor(private readonly users: readonly SimUser[]) {}

  hasApp(userId: string): boolean {
    const key = userId.toLowerCase();
    const override = this.overrides.get(key);
    if (override !== undefined) return override;
    const index = this.users.findIndex((u) => u.id.toLowerCase() === key);
    return index >= 0 && installedByDefault(this.users[index]!, index);
  }

  /** Installs (true) or removes (false) the app for a user; null returns to the default. */
  setInstalled(userId: string, installed: boolean | null): void {
    if (installed === null) this.overrides.delete(userId.toLowerCase());
    else this.overrides.set(userId.toLowerCase(), installed);
  }

  /** Users without the app (defaults and overrides). */
  withoutApp(): string[] {
    return this.users.filter((u) => !this.hasApp(u.id)).map((u) => u.id);
  }

  /** The next `requests` notification requests answer 429 with this Retry-After. */
  throttleNext(requests: number, retryAfterSeconds: number): void {
    this.throttle = requests > 0 ? { requests, retryAfterSeconds } : null;
  }

  /** Seconds to answer with when this request is throttled, else null. */
  takeThrottle(): number | null {
    if (!this.throttle) return null;
    const seconds = this.throttle.retryAfterSeconds;
    this.throttle.requests -= 1;
    if (this.throttle.requests <= 0) this.throttle = null;
    this.throttledAnswers += 1;
    return seconds;
  }

  record(n: SimActivityNotification): void {
    this.inbox.push(n);
    if (this.inbox.length > MAX_INBOX) this.inbox.splice(0, this.inbox.length - MAX_INBOX);
  }

  notifications(recipientUserId?: string): SimActivityNotification[] {
    return recipientUserId ? this.inbox.filter((n) => n.recipientUserId.toLowerCase() === recipientUserId.toLowerCase()) : [...this.inbox];
  }

  clearInbox(): void {
    this.inbox.length = 0;
    this.throttledAnswers = 0;
  }
}
