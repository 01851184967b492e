import { GraphError } from './graph-errors';

/**
 * Failures of one mailbox, as Exchange Online gives them, for tests of per-mailbox health:
 * a user without an Exchange licence (404 `MailboxNotEnabledForRESTAPI`), a mailbox an
 * application access policy shuts out (403 `ErrorAccessDenied`), and a mailbox throttled for
 * its next N requests (429 `ApplicationThrottled` with `Retry-After`), after which it answers.
 */
export type MailboxFault = { kind: 'no-licence' } | { kind: 'access-denied' } | { kind: 'throttle'; requests: number; retryAfterSeconds: number };

export class MailboxFaults {
  private readonly faults = new Map<string, MailboxFault>();
  /** 429s answered because of a `throttle` fault, per mailbox (tests wait for them). */
  readonly throttledAnswers = new Map<string, number>();

  set(userId: string, fault: MailboxFault | null): void {
    const key = userId.toLowerCase();
    if (fault) this.faults.set(key, { ...fault });
    else this.faults.delete(key);
  }

  clear(): void {
    this.faults.clear();
    this.throttledAnswers.clear();
  }

  list(): Array<{ userId: string } & MailboxFault> {
    return [...this.faults].map(([userId, f]) => ({ userId, ...f }));
  }

  /** Throws the mailbox's injected failure, if it has one. */
  check(userId: string): void {
    const key = userId.toLowerCase();
    const fault = this.faults.get(key);
    if (!fault) return;
    if (fault.kind === 'no-licence') throw new GraphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
    if (fault.kind === 'access-denied') throw new GraphError(403, 'ErrorAccessDenied', 'Access to OData is disabled: the application access policy does not allow this mailbox.');
    if (fault.requests <= 0) {
      this.faults.delete(key);
      return;
    }
    fault.requests -= 1;
    this.throttledAnswers.set(key, (this.throttledAnswers.get(key) ?? 0) + 1);
    throw new GraphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', { 'Retry-After': String(fault.retryAfterSeconds) });
  }
}
