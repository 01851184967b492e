import type { TenantSpec } from '../../simulator/src/tenant/tenant.types';

/** The bench's tenant, derived from the command line alone, so every process builds the same one. */
export interface BenchTenantOptions {
  mailboxes: number;
  /** Mean logical messages sent per mailbox per year (each lands in several mailboxes). */
  messagesPerMailbox: number;
  meetingsPerMailbox: number;
  anchor: Date;
}

export const BENCH_TENANT_ID = '0b3e5c7a-9d1f-4a2b-8c6e-be0c4e1c7001';

/**
 * The bench's year ends here whatever the day: the same tenant every day, so pages rendered
 * into the simulator's page store once are valid for every later bench of the same size.
 */
export const BENCH_ANCHOR = new Date('2026-06-01T00:00:00Z');

export function benchTenantSpec(o: BenchTenantOptions): TenantSpec {
  return {
    tenantId: BENCH_TENANT_ID,
    slug: 'benchco',
    displayName: 'Bench Co',
    seed: 42,
    mailboxes: o.mailboxes,
    // Four accounts per mailbox, as the demo tenant has: the address book grows with the tenant.
    accounts: o.mailboxes * 4,
    countryLetterCode: 'US',
    licensed: true,
    consentGranted: true,
    anchor: o.anchor,
    messagesPerMailboxPerYear: o.messagesPerMailbox,
    meetingsPerMailboxPerYear: o.meetingsPerMailbox,
  };
}
