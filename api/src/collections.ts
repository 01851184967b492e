import { enrichmentsCollection, versionClaimsCollection } from './enrichments/enrichments.store';
import { CONSENT_COLLECTIONS } from './consent/consent.store';
import { DATASET_COLLECTIONS } from './datasets/datasets.store';
import { SEGMENT_COLLECTIONS } from './segments/segments.store';
import { RUNS_COLLECTIONS } from './runs/runs.collections';
import { SNAPSHOT_COLLECTIONS } from './snapshots/snapshots.store';
import { mailboxHealthCollection } from './runs/output/mailbox-health.store';
import { unmatchedDomainsCollection } from './runs/output/unmatched-domains.store';
import { estimatesCollection } from './estimate/estimate.store';
import { WEBHOOK_COLLECTIONS } from './webhooks/webhooks.store';
import { ALERT_COLLECTIONS } from './alerts/alerts.store';
import type { CollectionSpec } from './platform/db/collection-spec';
import { updateLocksCollection } from './platform/db/update-if';

/** Every collection the app owns, as each store declares it. */
export const ALL_COLLECTIONS: CollectionSpec[] = [enrichmentsCollection, versionClaimsCollection, updateLocksCollection, ...SEGMENT_COLLECTIONS, ...DATASET_COLLECTIONS, ...CONSENT_COLLECTIONS, ...RUNS_COLLECTIONS, ...SNAPSHOT_COLLECTIONS, ...WEBHOOK_COLLECTIONS, ...ALERT_COLLECTIONS, mailboxHealthCollection, unmatchedDomainsCollection, estimatesCollection];

/** Collections earlier schema versions created that nothing uses any more (dropped when the schema is upgraded). */
export const RETIRED_COLLECTIONS: string[] = [
  // Result rows, one document per account and period: replaced by per-run snapshots (schema 2).
  'engine_output_rows',
];
