import type { Db } from 'mongodb';
import { z } from 'zod';
import { EngineResultsStore } from '../runs/output/run-output.store';
import { EnrichmentsStore } from '../enrichments/enrichments.store';

/** What a seller may know of an enrichment: its name and when its results were last refreshed. */
export const resultSourceSchema = z.object({
  id: z.string(),
  name: z.string(),
  entityName: z.string(),
  /** When the current result was published; null before the first run finishes. */
  lastRefreshAt: z.string().nullable(),
  /** The end of the current result's window (its as-of). */
  dataAsOf: z.string().nullable(),
});
export type ResultSource = z.infer<typeof resultSourceSchema>;

/**
 * The enrichments whose results a signed-in user can read, by name, with no configuration,
 * consent or run detail: the reduced view the admin-only enrichment endpoints are not.
 */
export class ResultsCatalog {
  private readonly enrichments: EnrichmentsStore;
  private readonly results: EngineResultsStore;

  constructor(db: Db) {
    this.enrichments = new EnrichmentsStore(db);
    this.results = new EngineResultsStore(db);
  }

  async list(tenantId: string): Promise<ResultSource[]> {
    const names = await this.enrichments.names(tenantId);
    return Promise.all(
      names.map(async (e) => {
        const pointer = await this.results.getPointer(tenantId, e.id);
        return { id: e.id, name: e.name, entityName: e.entityName, lastRefreshAt: pointer?.flippedAt.toISOString() ?? null, dataAsOf: pointer?.asOf.toISOString() ?? null };
      }),
    );
  }
}
