import type { Db, MongoClient } from 'mongodb';

/**
 * Which server answers: MongoDB (Atlas, Cosmos DB for MongoDB, any mongod) or FerretDB (the
 * local and test server). Only the adapters in this folder ask, where FerretDB behaves
 * differently (by-key.ts, compare-and-set.ts, update-if.ts); features never branch on it.
 */
export type ServerKind = 'mongodb' | 'ferretdb';

const kinds = new WeakMap<MongoClient, Promise<ServerKind>>();

/** Asked once per client: FerretDB names itself in `buildInfo` (`ferretdbVersion`). */
export function serverKind(db: Db): Promise<ServerKind> {
  return serverKindOfClient(db.client);
}

export function serverKindOfClient(client: MongoClient): Promise<ServerKind> {
  let kind = kinds.get(client);
  if (!kind) {
    kind = client
      .db('admin')
      .command({ buildInfo: 1 })
      .then((info) => ('ferretdbVersion' in info ? 'ferretdb' : 'mongodb') as ServerKind);
    // A failed question is asked again next time rather than remembered.
    kind.catch(() => kinds.delete(client));
    kinds.set(client, kind);
  }
  return kind;
}
