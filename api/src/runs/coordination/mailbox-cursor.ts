/**
 * Hands a run's mailboxes to the readers of one worker process, one reader per mailbox at a
 * time, without asking the database which mailbox is free: the lease on the mailbox decides
 * that (a reader that finds it held elsewhere gives it back here, to be asked again later).
 *
 * Every process walks every index once, from its own starting point, so that processes rarely
 * reach for the same mailbox at once; then it asks again for the mailboxes that were held
 * elsewhere or failed here, until each is finished. A mailbox whose worker died is thus taken
 * over by any process still running once its lease expires, and no process stops before every
 * mailbox it saw is finished or given up.
 */
export type NextMailbox = { kind: 'read'; index: number } | { kind: 'wait'; ms: number } | { kind: 'none' };

export class MailboxCursor {
  private visited = 0;
  /** Mailboxes to ask for again, each not before its time. */
  private readonly later: Array<{ index: number; at: number }> = [];
  private readonly finished = new Set<number>();
  private readonly failures = new Map<number, number>();

  constructor(
    readonly total: number,
    private readonly start: number,
  ) {}

  next(now: number): NextMailbox {
    while (this.visited < this.total) {
      const index = (this.start + this.visited++) % this.total;
      if (!this.finished.has(index)) return { kind: 'read', index };
    }
    if (this.later.length === 0) return { kind: 'none' };
    let soonest = 0;
    for (let k = 1; k < this.later.length; k++) if (this.later[k]!.at < this.later[soonest]!.at) soonest = k;
    const due = this.later[soonest]!;
    if (due.at > now) return { kind: 'wait', ms: due.at - now };
    this.later.splice(soonest, 1);
    return { kind: 'read', index: due.index };
  }

  /** Read here or elsewhere, done or failed for good: never handed out again. */
  finish(index: number): void {
    this.finished.add(index);
  }

  /** Held by another process's lease, or failed here for now: asked for again at `at`. */
  askAgainAt(index: number, at: number): void {
    if (!this.finished.has(index)) this.later.push({ index, at });
  }

  /** This process failed to work the mailbox (the database refused): how many times so far. */
  failedHere(index: number): number {
    const n = (this.failures.get(index) ?? 0) + 1;
    this.failures.set(index, n);
    return n;
  }
}

/** This process's cursor per run (a few runs at most are read at once). */
export class MailboxCursors {
  private readonly runs = new Map<string, MailboxCursor>();

  constructor(private readonly startOf: (total: number) => number = (total) => Math.floor(Math.random() * total)) {}

  of(runId: string, total: number): MailboxCursor {
    let cursor = this.runs.get(runId);
    if (!cursor) {
      cursor = new MailboxCursor(total, total > 0 ? this.startOf(total) : 0);
      this.runs.set(runId, cursor);
      while (this.runs.size > 8) this.runs.delete(this.runs.keys().next().value as string);
    }
    return cursor;
  }
}
