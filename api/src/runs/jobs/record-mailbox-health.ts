import type { Db } from 'mongodb';
import type { WorkItemDocument } from '../coordination/coordination.store';
import { nextHealthRecords } from '../domain/mailbox-health';
import type { RunDocument } from '../lifecycle/runs.store';
import { MailboxHealthStore } from '../output/mailbox-health.store';

/** A retry run reads only the failed mailboxes of its base run, at the base run's as-of. */
export function isRetryOf(run: Pick<RunDocument, 'retryOf' | 'asOf'>, base: Pick<RunDocument, '_id' | 'asOf'>): boolean {
  return run.retryOf === base._id && base.asOf.getTime() === run.asOf.getTime();
}

/** Finalize's hook: every selected mailbox's health after this run, with the previous history carried. */
export async function recordMailboxHealth(db: Db, run: Pick<RunDocument, '_id' | 'tenantId' | 'enrichmentId' | 'asOf'>, mailboxes: ReadonlyArray<{ userId: string; mail: string }>, items: ReadonlyArray<WorkItemDocument>): Promise<void> {
  const store = new MailboxHealthStore(db);
  const previous = await store.get(run.tenantId, run.enrichmentId);
  // A finalize retried after a crash finds its own run recorded: keep the history it started from.
  if (previous?.runId === run._id) return;
  const now = new Date();
  const outcomes = items.map((i) => ({ userId: i.userId, state: i.state, reason: i.reason, calendarFullRead: i.calendarFullRead ?? null, health: i.health, at: i.updatedAt }));
  await store.put({
    _id: MailboxHealthStore.key(run.tenantId, run.enrichmentId),
    tenantId: run.tenantId,
    enrichmentId: run.enrichmentId,
    runId: run._id,
    runAsOf: run.asOf,
    evaluatedAt: now,
    mailboxes: nextHealthRecords(mailboxes, outcomes, previous?.mailboxes ?? [], now),
  });
}
