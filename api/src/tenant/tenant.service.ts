import type { GraphClientFactory } from '../platform/graph/graph-client.factory';
import { toAppError } from '../platform/graph/graph-client.factory';

export interface TenantOverview {
  tenantId: string;
  displayName: string;
  countryLetterCode: string;
  verifiedDomains: string[];
}

interface GraphOrganization {
  id: string;
  displayName?: string;
  countryLetterCode?: string;
  verifiedDomains?: Array<{ name: string }>;
}

/** Reads the tenant's organisation profile through Graph, app-only (needs admin consent). */
export async function readTenantOverview(graph: GraphClientFactory, tenantId: string): Promise<TenantOverview> {
  try {
    const page = (await graph
      .forApp(tenantId)
      .api('/organization')
      .select(['id', 'displayName', 'countryLetterCode', 'verifiedDomains'])
      .get()) as { value: GraphOrganization[] };
    const org = page.value[0];
    return {
      tenantId,
      displayName: org?.displayName ?? '',
      countryLetterCode: org?.countryLetterCode ?? '',
      verifiedDomains: (org?.verifiedDomains ?? []).map((d) => d.name),
    };
  } catch (e) {
    throw toAppError(e);
  }
}
