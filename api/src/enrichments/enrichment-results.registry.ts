import type { Db } from 'mongodb';
import { deleteEnrichmentSnapshots } from '../snapshots/snapshots.store';

/**
 * Collections holding documents that belong to one enrichment (field `enrichmentId`, plus
 * `tenantId`). Deleting an enrichment deletes its documents in each. Features that store
 * per-enrichment results (runs, aggregates…) add their collection names here.
 */
export const ENRICHMENT_OWNED_COLLECTIONS: string[] = [
  'enrichment_version_claims',
  'consent_events',
  'consent_nonces',
  // Saved segments and the record of a settled built-in example.
  'enrichment_segments',
  'enrichment_segment_seeds',
  // Runs (issue 4): runs, lock, schedule, per-mailbox states, partials, user entity, pointer (snapshots: below).
  'enrichment_runs',
  'enrichment_run_inputs',
  'enrichment_run_locks',
  'enrichment_schedules',
  'engine_mailbox_states',
  'engine_contributions',
  'engine_user_entities',
  'engine_result_pointers',
  'engine_work_items',
  'engine_run_claims',
  'engine_leases',
  'engine_run_progress',
  // Webhooks on publish (issue 18): the registration and its delivery log.
  'enrichment_webhooks',
  'webhook_deliveries',
  // Account alerts (issue 17): settings, each owner's notification per run, the admin's report.
  'enrichment_alert_settings',
  'alert_sends',
  'alert_reports',
  // Mailbox health (issue 16): one document per enrichment.
  'mailbox_health',
  // Unmatched busy domains (issue 16): one document per kept run.
  'unmatched_domains',
  // The dry-run estimate (issue 16): one document per enrichment.
  'enrichment_estimates',
];

/**
 * Owned data deleted by key rather than by filter: result snapshots are megabytes of binary
 * chunks per run, which a filter would make FerretDB read in full. Run after the collections.
 */
export const ENRICHMENT_OWNED_DELETERS: Array<(db: Db, tenantId: string, enrichmentId: string) => Promise<void>> = [deleteEnrichmentSnapshots];
