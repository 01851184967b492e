import { accountsCollection } from '../../accounts/accounts.store';
import { enrichmentsCollection } from '../../enrichments/enrichments.store';
import { segmentsCollection } from '../../segments/segments.store';
import type { CollectionSpec } from './collection-spec';

/** Every collection the app owns, as each store declares it. */
export const ALL_COLLECTIONS: CollectionSpec[] = [enrichmentsCollection, accountsCollection, segmentsCollection];
