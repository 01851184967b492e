/** Outlook's per-(app, mailbox) limits: concurrent requests and a request budget per window. */
export interface ThrottlingConfig {
  enabled: boolean;
  /** Requests allowed in flight at once per (app, mailbox). Graph: 4. */
  concurrencyPerMailbox: number;
  /** Requests allowed per (app, mailbox) per window. Graph: 10,000 per 10 minutes. */
  budgetPerWindow: number;
  windowMs: number;
}

export const DEFAULT_THROTTLING: ThrottlingConfig = {
  enabled: true,
  concurrencyPerMailbox: 4,
  budgetPerWindow: 10_000,
  windowMs: 10 * 60 * 1000,
};

export type ThrottleDecision =
  | { admitted: true; release: () => void }
  | { admitted: false; reason: 'concurrency' | 'budget'; retryAfterSeconds: number };

interface MailboxCounter {
  inFlight: number;
  windowStart: number;
  used: number;
}

/**
 * Fixed windows rather than a sliding log: memory stays at one small record per mailbox
 * even under a 2,500-mailbox load test, and Retry-After is simply the time left in the window.
 */
export class MailboxThrottle {
  private readonly counters = new Map<string, MailboxCounter>();

  constructor(private config: ThrottlingConfig, private readonly clock: () => number = Date.now) {}

  get settings(): ThrottlingConfig {
    return this.config;
  }

  configure(patch: Partial<ThrottlingConfig>): void {
    this.config = { ...this.config, ...patch };
    // A new budget or window starts fresh so tests are not affected by earlier traffic.
    for (const c of this.counters.values()) {
      c.used = 0;
      c.windowStart = this.clock();
    }
  }

  tryAcquire(key: string): ThrottleDecision {
    const now = this.clock();
    let c = this.counters.get(key);
    if (!c) {
      c = { inFlight: 0, windowStart: now, used: 0 };
      this.counters.set(key, c);
    }
    if (now - c.windowStart >= this.config.windowMs) {
      c.windowStart = now;
      c.used = 0;
    }
    if (this.config.enabled) {
      if (c.inFlight >= this.config.concurrencyPerMailbox) {
        return { admitted: false, reason: 'concurrency', retryAfterSeconds: 1 };
      }
      if (c.used >= this.config.budgetPerWindow) {
        const left = Math.max(1, Math.ceil((c.windowStart + this.config.windowMs - now) / 1000));
        return { admitted: false, reason: 'budget', retryAfterSeconds: left };
      }
    }
    c.inFlight += 1;
    c.used += 1;
    const counter = c;
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        counter.inFlight -= 1;
      },
    };
  }
}
