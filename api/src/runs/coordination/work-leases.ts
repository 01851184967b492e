import type { CoordinationStore } from './coordination.store';

/** Keeps a job's lock alive while it works (agenda cancels a job not touched within its lockLifetime). */
export type Touch = () => Promise<void>;

/** Set when the lease could not be renewed (it expired and another worker took it): the holder stops. */
export interface Lease {
  lost: boolean;
}

export class LeaseLost extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A lease holder's name: this process, and which of its attempts (a retried piece is a new holder). */
const newOwner = () => `${process.pid}:${Math.random().toString(36).slice(2)}`;

/**
 * Runs a piece of work (a run's mailbox, its finalize) under a lease, so that one worker does it
 * even when agenda hands its job to two. A worker that finds the lease held waits, keeping its
 * agenda job alive, until the work is done or the holder's lease expires (it died).
 */
export class WorkLeases {
  /** Work keys this process is doing now. */
  private readonly active = new Set<string>();

  constructor(
    private readonly store: CoordinationStore,
    private readonly ttlMs: number,
  ) {}

  /** How long a piece found held waits before it is asked for again. */
  get askAgainMs(): number {
    return Math.min(1000, Math.max(100, this.ttlMs / 4));
  }

  async run(piece: { tenantId: string; enrichmentId: string; key: string }, touch: Touch, isDone: () => Promise<boolean>, work: (lease: Lease) => Promise<void>): Promise<void> {
    // Agenda on FerretDB may hand this process the same job twice: the copy leaves at once (the
    // job document stays armed, because the running copy keeps touching its lock).
    if (this.active.has(piece.key)) return;
    this.active.add(piece.key);
    try {
      await this.hold(piece, touch, isDone, work);
    } finally {
      this.active.delete(piece.key);
    }
  }

  /**
   * Works the piece when its lease is free (or expired) and answers what `work` answered;
   * 'held' when another holder has it now (the caller asks again later, see MailboxCursor).
   */
  async tryRun<T>(piece: { tenantId: string; enrichmentId: string; key: string }, work: (lease: Lease) => Promise<T>): Promise<T | 'held'> {
    if (this.active.has(piece.key)) return 'held';
    const owner = newOwner();
    if (!(await this.store.acquireLease(piece.tenantId, piece.enrichmentId, piece.key, owner, this.ttlMs))) return 'held';
    this.active.add(piece.key);
    try {
      return await this.worked(piece, owner, work);
    } finally {
      this.active.delete(piece.key);
    }
  }

  private async hold(piece: { tenantId: string; enrichmentId: string; key: string }, touch: Touch, isDone: () => Promise<boolean>, work: (lease: Lease) => Promise<void>): Promise<void> {
    const { tenantId, enrichmentId, key } = piece;
    const ttl = this.ttlMs;
    const owner = newOwner();
    for (;;) {
      if (await this.store.acquireLease(tenantId, enrichmentId, key, owner, ttl)) break;
      if (await isDone()) return;
      await touch();
      await sleep(this.askAgainMs);
    }
    await this.worked(piece, owner, work);
  }

  /** Runs `work` while renewing the lease `owner` holds, then releases it (unless it was lost). */
  private async worked<T>(piece: { tenantId: string; key: string }, owner: string, work: (lease: Lease) => Promise<T>): Promise<T> {
    const { tenantId, key } = piece;
    const ttl = this.ttlMs;
    const lease: Lease = { lost: false };
    const timer = setInterval(() => {
      void this.store.renewLease(tenantId, key, owner, ttl).then(
        (ok) => {
          if (!ok) lease.lost = true;
        },
        () => undefined,
      );
    }, Math.max(100, ttl / 3));
    try {
      return await work(lease);
    } finally {
      clearInterval(timer);
      if (!lease.lost) await this.store.releaseLease(tenantId, key, owner);
    }
  }
}
