import type { Db } from 'mongodb';
import type { CollectionSpec } from './collection-spec';

/** Bump when collections or indexes change in a way existing databases must follow. */
export const SCHEMA_VERSION = 2;
const META = '_meta';

export interface SchemaReport {
  version: number;
  createdCollections: string[];
  createdIndexes: string[];
  droppedCollections: string[];
}

/**
 * Creates the collections and indexes the stores declare, idempotently (safe on every start
 * and from several processes at once), then records the schema version. An index that exists
 * under the same name with different keys or options is an error to fix by a migration, not
 * something to drop silently. Upgrading from an older version drops the `retired` collections
 * (data no build reads any more).
 */
export async function ensureSchema(db: Db, specs: CollectionSpec[], retired: readonly string[] = []): Promise<SchemaReport> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  const createdCollections: string[] = [];
  const createdIndexes: string[] = [];

  for (const spec of specs) {
    if (!existing.has(spec.name)) {
      try {
        await db.createCollection(spec.name);
        createdCollections.push(spec.name);
      } catch (e) {
        // Another process created it between our list and create: fine.
        if ((e as { code?: number }).code !== 48) throw e;
      }
    }
    const collection = db.collection(spec.name);
    const present = new Map((await collection.indexes()).map((i) => [i.name, i]));
    for (const index of spec.indexes) {
      const found = present.get(index.name);
      if (found) {
        if (JSON.stringify(found.key) !== JSON.stringify(index.key) || Boolean(found.unique) !== Boolean(index.options?.unique)) {
          throw new Error(`Index ${spec.name}.${index.name} exists with a different definition; a migration must replace it.`);
        }
        continue;
      }
      await collection.createIndex(index.key, { ...index.options, name: index.name });
      createdIndexes.push(`${spec.name}.${index.name}`);
    }
  }

  const meta = db.collection<{ _id: string; version: number; updatedAt: Date }>(META);
  const current = await meta.findOne({ _id: 'schema' });
  if (current && current.version > SCHEMA_VERSION) {
    throw new Error(`The database schema is version ${current.version}, newer than this build's ${SCHEMA_VERSION}; deploy the newer build.`);
  }
  const droppedCollections: string[] = [];
  if (current && current.version < SCHEMA_VERSION) {
    for (const name of retired) {
      if (!existing.has(name)) continue;
      await db.dropCollection(name).catch((e: unknown) => {
        // Another process dropped it first.
        if ((e as { code?: number }).code !== 26) throw e;
      });
      droppedCollections.push(name);
    }
  }
  if (!current || current.version < SCHEMA_VERSION) {
    await meta.updateOne({ _id: 'schema' }, { $set: { version: SCHEMA_VERSION, updatedAt: new Date() } }, { upsert: true });
  }
  return { version: SCHEMA_VERSION, createdCollections, createdIndexes, droppedCollections };
}
