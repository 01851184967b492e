/**
 * Seeded, deterministic randomness for the synthetic tenant.
 *
 * Every random stream is derived from (tenant seed, string key), so any piece of the tenant
 * (one account's mail, one team's meetings, one user's GUID) can be regenerated on its own,
 * in any order, with identical results. Nothing here touches Math.random or the clock.
 */

/** Weyl-sequence increment (2^32 / golden ratio): consecutive states are spread evenly. */
const WEYL_STEP = 0x9e3779b9;
const TWO_POW_32 = 4294967296;

/** A 32-bit avalanche finaliser: every input bit flips about half of the output bits. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a over UTF-16 code units followed by the finaliser; `salt` makes independent families. */
export function hashString(text: string, salt = 0): number {
  let h = (0x811c9dc5 ^ mix32(salt)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h ^ text.length);
}

/** Combines integers into one well-mixed 32-bit value (order matters). */
export function hashInts(...values: number[]): number {
  let h = 0x2545f491;
  for (const v of values) {
    h = mix32((h ^ (v >>> 0)) + WEYL_STEP);
  }
  return h;
}

/** The sub-seed of the stream named `key` inside a tenant seeded with `seed`. */
export function deriveSeed(seed: number, key: string): number {
  return hashString(key, mix32((seed >>> 0) ^ WEYL_STEP));
}

/** A uniform number in [0, 1) from a 32-bit hash (for per-item decisions without a stream). */
export function unitFromHash(hash: number): number {
  return (hash >>> 0) / TWO_POW_32;
}

/**
 * A small counter-based generator: the state walks a Weyl sequence and each output is the
 * finalised state. Fast, 32-bit, period 2^32, good enough for simulation (not for crypto).
 */
export class Rng {
  private state: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + WEYL_STEP) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return ((z ^ (z >>> 15)) >>> 0) / TWO_POW_32;
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Index chosen with probability proportional to its weight (weights ≥ 0, not all 0). */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    if (!(total > 0)) throw new Error('weightedIndex needs a positive total weight');
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    // Floating-point slack: fall back to the last positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] as number) > 0) return i;
    return weights.length - 1;
  }

  weightedPick<T>(items: readonly T[], weights: readonly number[]): T {
    return items[this.weightedIndex(weights)] as T;
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    const u1 = 1 - this.next(); // (0, 1]: log is finite
    const u2 = this.next();
    const radius = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Log-normal with the given median; sigma is the spread of the underlying normal. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson count: exact (multiplication method) for small means, normal approximation above. */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean < 30) {
      const limit = Math.exp(-mean);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k++;
        p *= this.next();
      }
      return k;
    }
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
  }

  /** Fisher–Yates on a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }

  /** k distinct items (k clipped to the list length), in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffled(items).slice(0, Math.max(0, Math.min(k, items.length)));
  }
}

/** The generator for stream `key` of a tenant seeded with `seed`. */
export function rngFor(seed: number, key: string): Rng {
  return new Rng(deriveSeed(seed, key));
}

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/**
 * A GUID derived from (seed, key): same inputs, same GUID; shaped like a version-4 GUID
 * (version nibble 4, variant bits 10) so validators that check the shape accept it.
 */
export function guidFrom(seed: number, key: string): string {
  const base = deriveSeed(seed, `guid:${key}`);
  const w0 = hex8(hashString(key, base));
  const w1 = hex8(hashString(key, base ^ 0x1b873593));
  const w2 = hex8(hashString(key, base ^ 0x68e31da4));
  const w3 = hex8(hashString(key, base ^ 0x5bd1e995));
  const variant = (8 + (parseInt(w2.charAt(0), 16) & 3)).toString(16);
  return `${w0}-${w1.slice(0, 4)}-4${w1.slice(5, 8)}-${variant}${w2.slice(1, 4)}-${w2.slice(4, 8)}${w3}`;
}
