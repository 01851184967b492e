/**
 * Values derived from one published run's rows (a level's period list, the row count of a
 * level/period). The engine writes a run's rows before the result pointer names the run and
 * never touches them afterwards (a new result is a new run id), so a key that contains the run
 * id can never serve a stale value: the cache needs a bound, not invalidation. It saves a full
 * collection read per request on FerretDB (which filters in Go) and an index count on MongoDB.
 * A failed load is forgotten so the next request retries it.
 */
export class RunScopedCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly maxEntries: number) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      // Most recently used last, so the bound evicts the least recently used key.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const p = load();
    p.catch(() => {
      if (this.entries.get(key) === p) this.entries.delete(key);
    });
    this.entries.set(key, p);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return p;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The cache key of a run-scoped value: every part that selects the rows it was computed from. */
export function runScopedKey(tenantId: string, enrichmentId: string, runId: string, ...parts: Array<string | null>): string {
  return JSON.stringify([tenantId, enrichmentId, runId, ...parts]);
}
