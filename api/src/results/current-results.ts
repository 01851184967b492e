import type { Collection, Db } from 'mongodb';
import { resultPointersCollection, type ResultPointerDocument } from '../runs/output/run-output.store';
import { enrichmentsCollection, type EnrichmentDocument } from '../enrichments/enrichments.store';

/**
 * What every results read needs to know before it touches a snapshot, without a MongoDB read
 * per request: does the enrichment exist for this tenant, what is it called, and which run is its
 * current result (and which runs it keeps).
 *
 * An enrichment is read by key the first time a request names it; after that the answer comes
 * from memory and is refreshed every `pollMs` by one query per collection for the tenants that
 * were active in the last few minutes (the pointer and enrichment collections hold one small
 * document per enrichment). A publish in this process is applied at once (`published`), and so
 * is a deletion (`forget`); another process's publish is seen within `pollMs`. Readers therefore
 * see a new result at most `pollMs` late, never a mix: every request pins one run.
 */

export interface EnrichmentView {
  tenantId: string;
  enrichmentId: string;
  entityName: string;
  datasetId: string;
  pointer: ResultPointerDocument | null;
}

interface Entry {
  view: EnrichmentView;
  usedAt: number;
}

type EnrichmentFields = Pick<EnrichmentDocument, '_id' | 'tenantId' | 'entityName' | 'datasetId'>;

const ACTIVE_MS = 10 * 60_000;
const projection = { _id: 1, tenantId: 1, entityName: 1, datasetId: 1 } as const;

export class CurrentResults {
  private readonly pointers: Collection<ResultPointerDocument>;
  private readonly enrichments: Collection<EnrichmentDocument>;
  private readonly entries = new Map<string, Entry>();
  private readonly latestByTenant = new Map<string, { pointer: ResultPointerDocument | null; usedAt: number }>();
  private readonly loading = new Map<string, Promise<EnrichmentView | null>>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private readonly listeners: Array<(pointer: ResultPointerDocument, previous: ResultPointerDocument | null) => void> = [];
  /** Another process's publish waits for this before readers here are switched to it (set by the runtime: the snapshot's prewarm). */
  private readyBeforeSwitch: ((pointer: ResultPointerDocument) => Promise<unknown>) | null = null;
  /** Runs seen by polling that readers are not switched to yet (their snapshot is loading), by enrichment. */
  private readonly switching = new Map<string, string>();

  constructor(
    db: Db,
    private readonly pollMs: number,
  ) {
    this.pointers = db.collection<ResultPointerDocument>(resultPointersCollection.name);
    this.enrichments = db.collection<EnrichmentDocument>(enrichmentsCollection.name);
  }

  private static key(tenantId: string, enrichmentId: string): string {
    return `${tenantId}:${enrichmentId}`;
  }

  /** Called with every new current run this process learns of (by a publish here or by polling). */
  onNewResult(listener: (pointer: ResultPointerDocument, previous: ResultPointerDocument | null) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Readers keep the run they have until `ready(pointer)` settles when polling finds another
   * process's publish: the new run's snapshot is then loaded before the first request reads it,
   * and readers see the old result a little longer instead of waiting for the load. A publish
   * in this process still applies at once (its caller expects to read it next).
   */
  switchWhenReady(ready: (pointer: ResultPointerDocument) => Promise<unknown>): void {
    this.readyBeforeSwitch = ready;
  }

  /** The enrichment as results readers see it; null when it does not exist for this tenant. */
  async get(tenantId: string, enrichmentId: string): Promise<EnrichmentView | null> {
    const key = CurrentResults.key(tenantId, enrichmentId);
    const hit = this.entries.get(key);
    this.ensurePolling();
    this.touchTenant(tenantId);
    if (hit) {
      hit.usedAt = Date.now();
      return hit.view;
    }
    let p = this.loading.get(key);
    if (!p) {
      p = this.load(tenantId, enrichmentId).finally(() => this.loading.delete(key));
      this.loading.set(key, p);
    }
    return p;
  }

  private async load(tenantId: string, enrichmentId: string): Promise<EnrichmentView | null> {
    const [e, pointer] = await Promise.all([
      this.enrichments.findOne({ _id: enrichmentId }, { projection }) as Promise<EnrichmentFields | null>,
      this.pointers.findOne({ _id: CurrentResults.key(tenantId, enrichmentId) }),
    ]);
    const view = e && e.tenantId === tenantId ? { tenantId, enrichmentId, entityName: e.entityName, datasetId: e.datasetId, pointer: pointer && pointer.tenantId === tenantId ? pointer : null } : null;
    const key = CurrentResults.key(tenantId, enrichmentId);
    if (!view) {
      // Not remembered: an enrichment created a moment later must be found at once.
      this.entries.delete(key);
      return null;
    }
    // A poll that ran meanwhile may have stored something newer: keep the newest pointer.
    const existing = this.entries.get(key);
    if (existing?.view && existing.view.pointer && (!view.pointer || existing.view.pointer.flippedAt > view.pointer.flippedAt)) view.pointer = existing.view.pointer;
    this.entries.set(key, { view, usedAt: Date.now() });
    return view;
  }

  /** Reads the enrichment again now (admin writes that must not act on a deleted enrichment). */
  async reload(tenantId: string, enrichmentId: string): Promise<EnrichmentView | null> {
    return this.load(tenantId, enrichmentId);
  }

  /** The tenant's most recently published result (the customer search's default enrichment). */
  async latest(tenantId: string): Promise<ResultPointerDocument | null> {
    this.ensurePolling();
    const hit = this.latestByTenant.get(tenantId);
    if (hit) {
      hit.usedAt = Date.now();
      return hit.pointer;
    }
    const pointer = await this.pointers.find({ tenantId }).sort({ flippedAt: -1 }).limit(1).next();
    this.latestByTenant.set(tenantId, { pointer, usedAt: Date.now() });
    return pointer;
  }

  /** A publish in this process: readers here see it at once. */
  published(pointer: ResultPointerDocument): void {
    const previous = this.applyPointer(pointer);
    if (previous?.runId !== pointer.runId) for (const l of this.listeners) l(pointer, previous);
  }

  /** An enrichment deleted in this process. */
  forget(tenantId: string, enrichmentId: string): void {
    this.entries.delete(CurrentResults.key(tenantId, enrichmentId));
    const latest = this.latestByTenant.get(tenantId);
    if (latest?.pointer?.enrichmentId === enrichmentId) this.latestByTenant.delete(tenantId);
  }

  /**
   * Stores a pointer on its entry (when cached); returns the one it replaced. When the entry's is
   * newer it is kept and the pointer given is returned, so callers see no change of run.
   */
  private applyPointer(pointer: ResultPointerDocument): ResultPointerDocument | null {
    const entry = this.entries.get(CurrentResults.key(pointer.tenantId, pointer.enrichmentId));
    const previous = entry?.view?.pointer ?? null;
    // A poll that read the pointers before a publish in this process must not put the older one back.
    if (previous && previous.flippedAt > pointer.flippedAt) return pointer;
    if (entry?.view) entry.view.pointer = pointer;
    const latest = this.latestByTenant.get(pointer.tenantId);
    if (latest && (!latest.pointer || latest.pointer.flippedAt <= pointer.flippedAt)) latest.pointer = pointer;
    return previous;
  }

  private touchTenant(tenantId: string): void {
    const latest = this.latestByTenant.get(tenantId);
    if (latest) latest.usedAt = Date.now();
  }

  private ensurePolling(): void {
    if (this.timer || this.pollMs <= 0) return;
    this.timer = setInterval(() => {
      if (!this.polling) this.polling = this.poll().catch(() => undefined).finally(() => (this.polling = null));
    }, this.pollMs);
    this.timer.unref();
  }

  /** Refreshes every entry of the tenants active in the last minutes: one query per collection. */
  async poll(): Promise<void> {
    const now = Date.now();
    const tenants = new Set<string>();
    for (const [key, e] of this.entries) {
      if (now - e.usedAt > ACTIVE_MS) this.entries.delete(key);
      else tenants.add(key.slice(0, key.indexOf(':')));
    }
    for (const [tenantId, l] of this.latestByTenant) {
      if (now - l.usedAt > ACTIVE_MS) this.latestByTenant.delete(tenantId);
      else tenants.add(tenantId);
    }
    if (tenants.size === 0) return;
    const list = [...tenants];
    const [pointers, enrichments] = await Promise.all([
      this.pointers.find({ tenantId: { $in: list } }).toArray(),
      this.enrichments.find({ tenantId: { $in: list } }, { projection }).toArray() as Promise<EnrichmentFields[]>,
    ]);
    const byEnrichment = new Map(enrichments.map((e) => [CurrentResults.key(e.tenantId, e._id), e]));
    for (const [key, entry] of this.entries) {
      const e = byEnrichment.get(key);
      if (!e) this.entries.delete(key);
      else if (entry.view) Object.assign(entry.view, { entityName: e.entityName, datasetId: e.datasetId });
    }
    const latest = new Map<string, ResultPointerDocument>();
    const deferred = new Set<string>();
    for (const p of pointers) {
      const l = latest.get(p.tenantId);
      if (!l || l.flippedAt < p.flippedAt) latest.set(p.tenantId, p);
      const key = CurrentResults.key(p.tenantId, p.enrichmentId);
      const cached = this.entries.get(key)?.view;
      if (cached && cached.pointer?.runId !== p.runId && this.readyBeforeSwitch) {
        // Another process published a run of an enrichment read here lately: load it first, then switch.
        deferred.add(p.tenantId);
        this.switchAfterLoad(key, p);
        continue;
      }
      const previous = this.applyPointer(p);
      if (cached && previous?.runId !== p.runId) for (const l of this.listeners) l(p, previous);
    }
    for (const [tenantId, l] of this.latestByTenant) if (!deferred.has(tenantId)) l.pointer = latest.get(tenantId) ?? null;
  }

  private switchAfterLoad(key: string, pointer: ResultPointerDocument): void {
    if (this.switching.get(key) === pointer.runId) return;
    this.switching.set(key, pointer.runId);
    const apply = () => {
      if (this.switching.get(key) !== pointer.runId) return; // a newer run came meanwhile
      this.switching.delete(key);
      const current = this.entries.get(key)?.view?.pointer;
      if (current && current.flippedAt > pointer.flippedAt) return;
      const previous = this.applyPointer(pointer);
      if (previous?.runId !== pointer.runId) for (const l of this.listeners) l(pointer, previous);
    };
    // A snapshot that fails to load is switched to anyway: readers then get the load's own error (or retry it).
    this.readyBeforeSwitch!(pointer).then(apply, apply);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
