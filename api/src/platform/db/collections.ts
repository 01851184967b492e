import { enrichmentsCollection, versionClaimsCollection } from '../../enrichments/enrichments.store';
import { CONSENT_COLLECTIONS } from '../../consent/consent.store';
import { DATASET_COLLECTIONS } from '../../datasets/datasets.store';
import { SEGMENT_COLLECTIONS } from '../../segments/segments.store';
import { resultsReadIndexes } from '../../results/results.store';
import { ENGINE_COLLECTIONS } from '../../engine/engine-results.store';
import { RUNS_COLLECTIONS } from '../../runs/runs.store';
import type { CollectionSpec } from './collection-spec';

/** Every collection the app owns, as each store declares it. */
export const ALL_COLLECTIONS: CollectionSpec[] = [enrichmentsCollection, versionClaimsCollection, ...SEGMENT_COLLECTIONS, ...DATASET_COLLECTIONS, ...CONSENT_COLLECTIONS, ...RUNS_COLLECTIONS, ...ENGINE_COLLECTIONS, resultsReadIndexes];
