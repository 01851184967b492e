/** Injected failures for resilience testing; every roll comes from one seeded generator. */
export interface FaultConfig {
  /** Probability (0–1) that a Graph request is answered 503 ServiceUnavailable. */
  error503Rate: number;
  /** Probability (0–1) that an injected 503 carries a Retry-After header. */
  retryAfterRate: number;
  /** Extra latency added to every Graph request, in milliseconds. */
  latencyMs: number;
  /**
   * Graph's own latency model: when `latencyMaxMs` > 0, every request (each `$batch`
   * sub-request too) waits a time drawn uniformly from [latencyMinMs, latencyMaxMs] instead.
   */
  latencyMinMs: number;
  latencyMaxMs: number;
  /** Probability (0–1) that the connection is destroyed without an answer. */
  dropRate: number;
  seed: number;
}

export const DEFAULT_FAULTS: FaultConfig = { error503Rate: 0, retryAfterRate: 0.5, latencyMs: 0, latencyMinMs: 0, latencyMaxMs: 0, dropRate: 0, seed: 1 };

/** mulberry32: tiny, fast, good enough for deciding which request fails. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private random: () => number;
  /** Its own stream, so turning latency on does not change which requests fail. */
  private latencyRandom: () => number;
  /** While set, every Graph request waits for it after admission (tests make overlap certain, not timed). */
  private gate: Promise<void> | null = null;
  private held = 0;

  constructor(private config: FaultConfig) {
    this.random = seededRandom(config.seed);
    this.latencyRandom = seededRandom(config.seed ^ 0x5bd1e995);
  }

  get settings(): FaultConfig {
    return this.config;
  }

  configure(patch: Partial<FaultConfig>): void {
    this.config = { ...this.config, ...patch };
    if (patch.seed !== undefined) {
      this.random = seededRandom(patch.seed);
      this.latencyRandom = seededRandom(patch.seed ^ 0x5bd1e995);
    }
  }

  shouldDrop(): boolean {
    return this.config.dropRate > 0 && this.random() < this.config.dropRate;
  }

  /** Returns the Retry-After seconds (or null for none) when a 503 is injected, else undefined. */
  injected503(): { retryAfterSeconds: number | null } | undefined {
    if (this.config.error503Rate <= 0 || this.random() >= this.config.error503Rate) return undefined;
    const withHeader = this.random() < this.config.retryAfterRate;
    return { retryAfterSeconds: withHeader ? 1 + Math.floor(this.random() * 3) : null };
  }

  /** Waits at the hold (if any), then the request's latency; returns the latency (ms). */
  async delay(): Promise<number> {
    if (this.gate) {
      this.held += 1;
      try {
        await this.gate;
      } finally {
        this.held -= 1;
      }
    }
    const { latencyMinMs: lo, latencyMaxMs: hi } = this.config;
    const ms = hi > 0 ? lo + this.latencyRandom() * Math.max(0, hi - lo) : this.config.latencyMs;
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    return ms;
  }

  /**
   * Holds every admitted Graph request until the returned function is called, so a test can
   * have requests in flight for as long as it needs (`heldRequests` says how many are waiting)
   * instead of hoping a fixed latency outlasts a busy machine.
   */
  hold(): () => void {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    this.gate = gate;
    return () => {
      if (this.gate === gate) this.gate = null;
      open();
    };
  }

  get heldRequests(): number {
    return this.held;
  }
}
