/**
 * The generator's private state behind a generated Tenant object (activity model, caches).
 * Kept out of the Tenant interface so the HTTP layers only see Graph-shaped data; the
 * oracle and tests reach the ground truth through `tenantInternals`.
 */
import type { ActivityContext, UnitActivity } from './activity-model';
import type { CalendarEdits } from './calendar-edits';
import type { CopyContext } from './materialize-copies';
import type { Tenant } from './tenant.types';

export interface TenantInternals {
  ctx: ActivityContext;
  copy: CopyContext;
  /** Calendar changes made after generation (moves, cancellations, added meetings). */
  edits: CalendarEdits;
  /** A unit's records, from a small bounded cache (regenerated on a miss). */
  unit(team: number): UnitActivity;
  userIndexById: Map<string, number>;
  /** What the bounded caches currently hold (for memory checks). */
  stats(): TenantCacheStats;
}

export interface TenantCacheStats {
  cachedMailboxes: number;
  cachedCopies: number;
  cachedUnits: number;
  cachedUnitRecords: number;
}

const registry = new WeakMap<Tenant, TenantInternals>();

export function registerInternals(tenant: Tenant, internals: TenantInternals): void {
  registry.set(tenant, internals);
}

/** The generator's state when `tenant` came from generateTenant; undefined for hand-built ones. */
export function tenantCacheStats(tenant: Tenant): TenantCacheStats | undefined {
  return registry.get(tenant)?.stats();
}

export function tenantInternals(tenant: Tenant): TenantInternals | undefined {
  return registry.get(tenant);
}
