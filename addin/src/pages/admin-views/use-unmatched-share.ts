import { useMemo } from 'react';
import { useSession } from '../../platform/session/session-provider';
import { createAdminViewsApi } from '../../platform/api/admin-views-api';
import { useApiResource } from '../../platform/api/use-api-resource';

/**
 * For the results overview: the share of external email that went to domains matching no
 * account, for admins only (sellers are never asked: the figure lives with the admin views).
 * Null while loading, for sellers, without external email, or when it cannot be read.
 */
export function useUnmatchedShare(enrichmentId: string, isAdmin: boolean): number | null {
  const { api } = useSession();
  const views = useMemo(() => createAdminViewsApi(api), [api]);
  const domains = useApiResource((signal) => (isAdmin ? views.getUnmatchedDomains(enrichmentId, signal) : Promise.resolve(null)), [views, enrichmentId, isAdmin]);
  return domains.status === 'ready' ? (domains.data?.unmatchedShare ?? null) : null;
}
