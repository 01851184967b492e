/**
 * A least-recently-used cache bounded both by entry count and by a total "weight" (for
 * mailboxes: the number of copies held), so a few huge mailboxes cannot exhaust memory.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private totalWeight = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get weight(): number {
    return this.totalWeight;
  }

  get(key: K): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  set(key: K, value: V, weight = 1): void {
    const old = this.entries.get(key);
    if (old) {
      this.totalWeight -= old.weight;
      this.entries.delete(key);
    }
    this.entries.set(key, { value, weight });
    this.totalWeight += weight;
    // Evict oldest first; always keep the entry just added.
    for (const [k, e] of this.entries) {
      if (this.entries.size <= 1) break;
      if (this.entries.size <= this.maxEntries && this.totalWeight <= this.maxWeight) break;
      this.entries.delete(k);
      this.totalWeight -= e.weight;
    }
  }

  getOrCreate(key: K, create: () => { value: V; weight: number }): V {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const made = create();
    this.set(key, made.value, made.weight);
    return made.value;
  }

  clear(): void {
    this.entries.clear();
    this.totalWeight = 0;
  }
}
