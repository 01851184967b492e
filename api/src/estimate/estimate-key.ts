import { createHash } from 'node:crypto';
import { WINDOW_MS } from '../runs/domain/engagement-buckets';
import { CALENDAR_HORIZON_MS } from '../runs/jobs/read-mailbox';
import type { EstimateModel } from './estimate-model';

/** A selection's mailboxes as one canonical list: directory ids lower-cased, once each, sorted. */
export function canonicalMailboxes(userIds: readonly string[]): string[] {
  return [...new Set(userIds.map((id) => id.toLowerCase()))].sort();
}

/**
 * The key of "these mailboxes, counted over this window, timed with this model": what a draft
 * estimate is cached under, and how a run finds the estimate of exactly the mailboxes it reads.
 * A change of window, horizon or concurrency is a different estimate, so it is a different key.
 */
export function mailboxSetKey(userIds: readonly string[], model: EstimateModel): string {
  const hash = createHash('sha256');
  hash.update(`estimate-v1|window=${WINDOW_MS}|horizon=${CALENDAR_HORIZON_MS}|concurrency=${model.concurrency}|request=${model.requestSeconds}|item=${model.itemSeconds}\n`);
  hash.update(canonicalMailboxes(userIds).join(','));
  return hash.digest('hex');
}
