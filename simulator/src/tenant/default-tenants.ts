/**
 * The tenants the simulator starts with: Contoso (the demo: licensed, consented, supported
 * region) and Fabrikam (small, unlicensed, no consent, unsupported region) so both the happy
 * path and the onboarding refusals can be shown.
 */
import type { TenantSpec } from './tenant.types';

export const CONTOSO_TENANT_ID = '4a8c2f6e-1d3b-4e5f-9a7c-2b6d8e0f1a3c';
export const FABRIKAM_TENANT_ID = '7e2b9d4c-5a1f-4c3e-8b6d-0f9a2c4e6b81';

/** Today at 00:00 UTC: the default anchor, so a fresh start always has a year of history. */
export function defaultAnchor(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export function demoTenantSpecs(anchor: Date): TenantSpec[] {
  return [
    {
      tenantId: CONTOSO_TENANT_ID,
      slug: 'contoso',
      displayName: 'Contoso',
      seed: 1,
      mailboxes: 50,
      accounts: 200,
      countryLetterCode: 'US',
      licensed: true,
      consentGranted: true,
      anchor,
    },
    {
      tenantId: FABRIKAM_TENANT_ID,
      slug: 'fabrikam',
      displayName: 'Fabrikam',
      seed: 2,
      mailboxes: 12,
      accounts: 30,
      countryLetterCode: 'BR',
      licensed: false,
      consentGranted: false,
      anchor,
    },
  ];
}
