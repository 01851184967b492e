import { describe, expect, it } from 'vitest';
import { generateTenant, tenantCacheStats } from '../../../simulator/src/tenant/generate-tenant';
import { tenantInternals } from '../../../simulator/src/tenant/tenant-internals';
import type { TenantSpec } from '../../../simulator/src/tenant/tenant.types';

const ANCHOR = new Date('2026-03-15T00:00:00Z');
const FAR = new Date('2100-01-01T00:00:00Z');

const bigSpec: TenantSpec = {
  tenantId: '99999999-8888-4777-8666-555555555555',
  slug: 'woodgrove',
  displayName: 'Woodgrove',
  seed: 9,
  mailboxes: 2500,
  accounts: 3000,
  countryLetterCode: 'DE',
  licensed: true,
  consentGranted: true,
  anchor: ANCHOR,
  messagesPerMailboxPerYear: 600,
};

describe('generateTenant at scale', () => {
  const tenant = generateTenant(bigSpec);

  it('when a 2,500-mailbox tenant is created, then the directory is complete without generating activity', () => {
    expect(tenant.users).toHaveLength(2500);
    expect(tenant.accounts).toHaveLength(3000);
    expect(new Set(tenant.users.map((u) => u.mail)).size).toBe(2500);
    expect(tenantCacheStats(tenant)).toEqual({ cachedMailboxes: 0, cachedCopies: 0, cachedUnits: 0, cachedUnitRecords: 0 });
    expect(tenant.groups.find((g) => g.displayName === 'All Employees')?.memberIds).toHaveLength(2500);
  });

  it('when one mailbox is read, then it is generated from its own units only', () => {
    const messages = tenant.mailboxMessages(tenant.users[1234]!.id, { visibleAt: FAR });
    const events = tenant.mailboxEvents(tenant.users[1234]!.id, { start: new Date(0), end: FAR, visibleAt: FAR });
    expect(messages.length).toBeGreaterThan(200);
    expect(events.length).toBeGreaterThan(10);
    const stats = tenantCacheStats(tenant)!;
    expect(stats.cachedMailboxes).toBe(1);
    expect(stats.cachedUnits).toBeLessThanOrEqual(2);
  });

  it('when many mailboxes are read in turn, then the caches stay bounded and memory does not grow with them', () => {
    const heapBefore = process.memoryUsage().heapUsed;
    let copies = 0;
    for (let i = 0; i < 40; i++) {
      const user = tenant.users[(i * 61) % 2500]!;
      copies += tenant.mailboxMessages(user.id, { visibleAt: FAR }).length;
      const stats = tenantCacheStats(tenant)!;
      expect(stats.cachedMailboxes).toBeLessThanOrEqual(16);
      expect(stats.cachedUnits).toBeLessThanOrEqual(6);
    }
    expect(copies).toBeGreaterThan(40 * 200);
    global.gc?.();
    const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    expect(grownMb).toBeLessThan(400);
  });

  it('when team mates are read after each other, then the shared units are reused, not generated again', () => {
    const { dir } = tenantInternals(tenant)!.ctx;
    const team = dir.teams[dir.teamOfUser[700]!]!.members;
    expect(team.length).toBeGreaterThanOrEqual(4);
    tenant.mailboxMessages(tenant.users[team[0]!]!.id, { visibleAt: FAR });
    const unitsAfterFirst = tenantCacheStats(tenant)!.cachedUnits;
    let copies = 0;
    for (const member of team.slice(1, 4)) copies += tenant.mailboxMessages(tenant.users[member]!.id, { visibleAt: FAR }).length;
    // Speed is the bench's to measure; here: the team mates' copies come from the units already made.
    expect(copies).toBeGreaterThan(0);
    expect(tenantCacheStats(tenant)!.cachedUnits).toBe(unitsAfterFirst);
  });
});
