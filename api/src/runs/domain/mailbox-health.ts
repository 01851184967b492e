import { classifyGraphError, type GraphErrorFacts } from '../../platform/graph/classify-graph-error';

/**
 * Mailbox health, pure: how each selected mailbox fared in the last run, since when a failing
 * one has been failing, and the summary the enrichment page shows. Deliberately no message or
 * meeting figure per mailbox: that would describe one person's activity.
 */

/** Why a mailbox could not be read, in the admin's terms. */
export type MailboxFailureKind = 'no-licence' | 'not-found' | 'access-denied' | 'throttled' | 'consent' | 'transient' | 'other';

export type MailboxHealthState =
  | 'read'
  | 'read-with-retries'
  | 'throttled-resumed'
  | 'calendar-reset'
  | 'failed'
  /** Not found or without an Exchange Online licence: the failure no retry heals. */
  | 'unavailable';

/** A Graph failure's kind for the health page (404 `MailboxNotEnabledForRESTAPI` is a user without a mailbox licence). */
export function mailboxFailureKind(facts: GraphErrorFacts): MailboxFailureKind {
  const code = (facts.code ?? '').toLowerCase();
  if (code === 'mailboxnotenabledforrestapi' || code === 'mailboxnotsupportedforrestapi') return 'no-licence';
  switch (classifyGraphError(facts)) {
    case 'not-found':
      return 'not-found';
    case 'forbidden':
      return 'access-denied';
    case 'throttled':
      return 'throttled';
    case 'consent-required':
    case 'auth':
      return 'consent';
    case 'transient':
      return 'transient';
    default:
      return 'other';
  }
}

/** One mailbox's work item as the last run left it (the fields health reads). */
export interface MailboxOutcome {
  userId: string;
  state: 'reading' | 'done' | 'failed';
  reason: string | null;
  calendarFullRead?: string | null;
  health?: { retries: number; throttled: number; attempts: number; carried?: boolean; failureKind?: string };
  /** When the item was last written (the mailbox's read ended then). */
  at: Date;
}

export interface MailboxHealthRecord {
  userId: string;
  mail: string;
  state: MailboxHealthState;
  failureKind: MailboxFailureKind | null;
  reason: string | null;
  /** The last run that read this mailbox successfully ended its read then; null: never. */
  lastSuccessAt: Date | null;
  /** Failing in every run since this one's read; null when the last run read it. */
  failingSince: Date | null;
}

const FAILURE_KINDS = new Set<MailboxFailureKind>(['no-licence', 'not-found', 'access-denied', 'throttled', 'consent', 'transient', 'other']);

/** The state of a mailbox after one run. */
export function healthStateOf(o: MailboxOutcome): { state: MailboxHealthState; failureKind: MailboxFailureKind | null } {
  if (o.state !== 'done') {
    const kind = FAILURE_KINDS.has(o.health?.failureKind as MailboxFailureKind) ? (o.health!.failureKind as MailboxFailureKind) : 'other';
    return { state: kind === 'no-licence' || kind === 'not-found' ? 'unavailable' : 'failed', failureKind: kind };
  }
  if (o.calendarFullRead === 'sync-state-lost') return { state: 'calendar-reset', failureKind: null };
  if ((o.health?.throttled ?? 0) > 0) return { state: 'throttled-resumed', failureKind: null };
  if ((o.health?.retries ?? 0) > 0 || (o.health?.attempts ?? 1) > 1) return { state: 'read-with-retries', failureKind: null };
  return { state: 'read', failureKind: null };
}

/**
 * The health of every mailbox the run selected, carrying the previous records' history: the
 * last successful read and the start of a failing streak. Mailboxes no longer selected drop out.
 */
export function nextHealthRecords(
  mailboxes: ReadonlyArray<{ userId: string; mail: string }>,
  outcomes: ReadonlyArray<MailboxOutcome>,
  previous: ReadonlyArray<MailboxHealthRecord>,
  /** For a mailbox the run finished without a work item (it never started): the run's end. */
  runEndedAt: Date,
): MailboxHealthRecord[] {
  const byUser = new Map(outcomes.map((o) => [o.userId, o]));
  const before = new Map(previous.map((r) => [r.userId, r]));
  return mailboxes.map(({ userId, mail }) => {
    const o: MailboxOutcome = byUser.get(userId) ?? { userId, state: 'failed', reason: 'The mailbox was not read in the run.', at: runEndedAt, health: { retries: 0, throttled: 0, attempts: 0, failureKind: 'other' } };
    const prior = before.get(userId);
    // Carried by a retry run without being read: its last read stands as it was.
    if (o.health?.carried && prior && prior.failureKind === null) return { ...prior, mail };
    const { state, failureKind } = healthStateOf(o);
    const ok = failureKind === null;
    return {
      userId,
      mail,
      state,
      failureKind,
      reason: ok ? null : o.reason,
      lastSuccessAt: ok ? o.at : (prior?.lastSuccessAt ?? null),
      failingSince: ok ? null : (prior?.failingSince ?? o.at),
    };
  });
}

export interface MailboxHealthSummary {
  total: number;
  read: number;
  failed: number;
  /** Failed mailboxes by kind (only kinds that occur). */
  failedByKind: Partial<Record<MailboxFailureKind, number>>;
  /** Read mailboxes by how the read went. */
  readByState: Partial<Record<MailboxHealthState, number>>;
}

export function summariseHealth(records: ReadonlyArray<MailboxHealthRecord>): MailboxHealthSummary {
  const out: MailboxHealthSummary = { total: records.length, read: 0, failed: 0, failedByKind: {}, readByState: {} };
  for (const r of records) {
    if (r.failureKind) {
      out.failed++;
      out.failedByKind[r.failureKind] = (out.failedByKind[r.failureKind] ?? 0) + 1;
    } else {
      out.read++;
      out.readByState[r.state] = (out.readByState[r.state] ?? 0) + 1;
    }
  }
  return out;
}
