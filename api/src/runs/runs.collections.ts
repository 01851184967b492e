import type { CollectionSpec } from '../platform/db/collection-spec';
import { COORDINATION_COLLECTIONS } from './coordination/coordination.store';
import { RUN_STATE_COLLECTIONS } from './lifecycle/runs.store';
import { OUTPUT_COLLECTIONS } from './output/run-output.store';

/** Every collection runs own: their state, their coordination, and what they write and publish. */
export const RUNS_COLLECTIONS: CollectionSpec[] = [...RUN_STATE_COLLECTIONS, ...COORDINATION_COLLECTIONS, ...OUTPUT_COLLECTIONS];
