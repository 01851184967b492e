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
  // Runs (issue 4): runs, lock, schedule, per-mailbox states, partials, output rows, pointer.
  'enrichment_runs',
  'enrichment_run_inputs',
  'enrichment_run_locks',
  'enrichment_schedules',
  'engine_mailbox_states',
  'engine_contributions',
  'engine_output_rows',
  'engine_user_entities',
  'engine_result_pointers',
  'engine_work_items',
  'engine_run_claims',
  'engine_leases',
];
