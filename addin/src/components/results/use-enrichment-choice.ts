import { useSession } from '../../platform/session/session-provider';
import type { EnrichmentSummary } from '../../platform/api/contracts';
import { useInsightsApi } from '../../platform/api/use-insights-api';
import { useApiResource, type Resource } from '../../platform/api/use-api-resource';

export interface EnrichmentChoice {
  /** The enrichment to show: the URL's, else the tenant's most recently published result. */
  enrichmentId: string | null;
  enrichments: EnrichmentSummary[];
}

/**
 * Which enrichment a seller's page reads. The API picks the default (the most recently
 * published result) so every page agrees with the customer search; with a single enrichment
 * there is nothing to pick and that question is not asked.
 */
export function useEnrichmentChoice(fromUrl: string | null): Resource<EnrichmentChoice> & { retry(): void } {
  const { api } = useSession();
  const insights = useInsightsApi();
  return useApiResource(async (signal) => {
    const list = await api.listResultSources(signal);
    if (fromUrl || list.items.length <= 1) return { enrichmentId: fromUrl ?? list.items[0]?.id ?? null, enrichments: list.items };
    const latest = await insights.searchAccounts({ search: '', enrichmentId: null, sort: 'relevance', offset: 0, limit: 1 }, signal);
    return { enrichmentId: latest.enrichmentId ?? list.items[0]?.id ?? null, enrichments: list.items };
  }, [api, insights, fromUrl]);
}
