import type { Collection, Db } from 'mongodb';
import { userEntitiesCollection, type UserEntityDocument } from '../runs/output/run-output.store';

/**
 * The one part of a published result still read from MongoDB: the user entity (the selected
 * mailboxes, at most a few thousand small documents per run). The output entity's rows are read
 * from the run's snapshot (see `results-runtime.ts`).
 */
export class ResultsStore {
  private readonly users: Collection<UserEntityDocument>;

  constructor(db: Db) {
    this.users = db.collection<UserEntityDocument>(userEntitiesCollection.name);
  }

  async usersPage(tenantId: string, enrichmentId: string, runId: string, offset: number, limit: number): Promise<{ total: number; items: UserEntityDocument[] }> {
    const filter = { tenantId, enrichmentId, runId };
    const [items, total] = await Promise.all([
      this.users.find(filter, { projection: { _id: 0 } }).sort({ Mail: 1 }).skip(offset).limit(limit).toArray(),
      this.users.countDocuments(filter),
    ]);
    return { total, items };
  }
}
