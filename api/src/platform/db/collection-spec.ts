import type { CreateIndexesOptions, IndexSpecification } from 'mongodb';

export interface IndexSpec {
  name: string;
  key: IndexSpecification;
  options?: Omit<CreateIndexesOptions, 'name'>;
}

/**
 * What a store declares about the collection it owns. Every collection is tenant-scoped, so
 * every index starts with `tenantId` unless it says otherwise.
 */
export interface CollectionSpec {
  name: string;
  indexes: IndexSpec[];
}
