import type { Db } from 'mongodb';
import { WINDOW_MS } from '../domain/engagement-buckets';
import { unpackLedger } from '../domain/mailbox-contribution';
import type { EngineResultsStore, MailboxStatePayload } from '../output/run-output.store';
import { decodePartial } from '../output/partials-codec';
import { FREE_MAIL_DOMAINS } from '../../enrichments/enrichment-rules';
import type { RunDocument } from '../lifecycle/runs.store';
import { addDomainMeetings, packDomainActivity, unpackDomainActivity, UnmatchedDomainsTally, type LegacyPackedDomainActivity, type PackedDomainActivity } from '../domain/unmatched-domains';
import { buildUnmatchedDomainRules, type UnmatchedDomainRules } from '../domain/unmatched-domain-rules';
import { UnmatchedDomainsStore } from '../output/unmatched-domains.store';
import type { WorkItemDocument } from '../coordination/coordination.store';
import { forEachLimited } from './for-each-limited';

/** The run's rules: account domains and the domains of the dataset's contacts match an account. */
export function unmatchedDomainRulesOf(accountDomains: Iterable<readonly string[]>, contactAddresses: Iterable<string>): UnmatchedDomainRules {
  const matched = new Set<string>();
  for (const list of accountDomains) for (const d of list) matched.add(d.toLowerCase());
  for (const address of contactAddresses) {
    const at = address.lastIndexOf('@');
    if (at >= 0) matched.add(address.slice(at + 1).toLowerCase());
  }
  return buildUnmatchedDomainRules({ matchedDomains: matched, freeMailDomains: FREE_MAIL_DOMAINS });
}

/**
 * Each finished mailbox's unmatched-domain activity, still compressed as its partials carry it
 * (summed only after the snapshot is written, so that the run's merged activity and the rows
 * never share the worker's memory), and the finished mailboxes whose partials do not carry
 * theirs (written by an earlier version): those are read from their states.
 */
export interface MergedUnmatchedDomains {
  blobs: Uint8Array[];
  fromStates: WorkItemDocument[];
}

/**
 * Finalize's hook: the run's unmatched-domain activity, summed from the mailboxes' partials by the
 * merge (emails carried between runs, meetings from each ledger), gets the threshold and is
 * stored beside the run's snapshot; figures of runs no longer kept go. A finished mailbox whose
 * partials carry no activity (written by an earlier version) is read from its state instead.
 */
export async function recordUnmatchedDomains(db: Db, results: EngineResultsStore, run: Pick<RunDocument, '_id' | 'tenantId' | 'enrichmentId' | 'asOf'>, merged: MergedUnmatchedDomains): Promise<void> {
  const asOf = run.asOf.getTime();
  const window = { start: asOf - WINDOW_MS, end: asOf };
  const tally = new UnmatchedDomainsTally(window);
  // Inflated on the thread pool a few at a time; the tally takes them in any order.
  await forEachLimited(merged.blobs, 8, async (blob) => {
    tally.add(await decodePartial<PackedDomainActivity | LegacyPackedDomainActivity>(blob));
  });
  for (const item of merged.fromStates) {
    const state = await results.getState(run.tenantId, run._id, item.userId);
    if (!state?.data) continue;
    const payload = await decodePartial<MailboxStatePayload>(state.data);
    const mine = unpackDomainActivity(payload.unmatched);
    if (payload.calendar) addDomainMeetings(unpackLedger(payload.calendar.ledger), { asOf, windowStart: window.start }, mine);
    tally.add(packDomainActivity(mine));
  }
  const store = new UnmatchedDomainsStore(db);
  await store.put({ _id: UnmatchedDomainsStore.key(run.tenantId, run._id), tenantId: run.tenantId, enrichmentId: run.enrichmentId, runId: run._id, asOf: run.asOf, createdAt: new Date(), ...tally.summary() });
  const pointer = await results.getPointer(run.tenantId, run.enrichmentId);
  await store.prune(run.tenantId, run.enrichmentId, new Set([...(pointer?.kept ?? []).map((k) => k.runId), run._id]));
}
