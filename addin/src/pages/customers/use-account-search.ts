import { useEffect, useState } from 'react';
import { useDebouncedValue } from '../../components/use-debounced-value';
import type { AccountSort, ScoreBand } from '../../platform/api/contracts';
import { useLatestResource } from '../../platform/api/use-api-resource';
import { useInsightsApi } from '../../platform/api/use-insights-api';
import { useNavigation } from '../../platform/navigation/navigation';
import { useQueryParam } from '../../platform/use-query-param';

export const resultLimit = 20;
/** "Cooling down": the Year score dropped by this much or more since the previous run. */
const coolingDrop = -10;

/**
 * The account search's state and effects: the typed search (debounced), order, band and
 * cooling filters, an alert's accounts (`?accounts=`), the page, and the latest answer (the previous one stays while a newer loads).
 */
export function useAccountSearch(enrichmentId: string | null) {
  const api = useInsightsApi();
  const { navigate } = useNavigation();
  const [search, setSearch] = useState(() => new URLSearchParams(window.location.search).get('q') ?? '');
  const [sort, setSort] = useState<AccountSort>('relevance');
  const [band, setBand] = useState<ScoreBand | ''>('');
  const [cooling, setCooling] = useState(false);
  const [offset, setOffset] = useState(0);
  // An alert's link: only the accounts it was about, until the seller asks for all.
  const alertAccounts = useQueryParam('accounts');
  const alertCount = alertAccounts ? new Set(alertAccounts.split(',').filter((x) => x.trim())).size : 0;
  // Short enough to feel instant, long enough not to send a request per key.
  const query = useDebouncedValue(search.trim(), 150);
  // A new search, order or filter starts again at the first page.
  useEffect(() => setOffset(0), [query, sort, band, cooling, enrichmentId, alertAccounts]);
  // Only the answer to the latest request is shown: a slow answer for "Nor" never replaces "North".
  const latest = useLatestResource(
    (signal) =>
      api.searchAccounts(
        { search: query, enrichmentId, sort, band: band || undefined, changeMax: cooling ? coolingDrop : undefined, accounts: alertAccounts ?? undefined, offset, limit: resultLimit },
        signal,
      ),
    [api, query, enrichmentId, sort, band, cooling, alertAccounts, offset],
  );
  const filtered = band !== '' || cooling || alertCount > 0;
  const accounts = latest.status === 'loading' && latest.previous ? { status: 'ready' as const, data: latest.previous, retry: latest.retry } : latest;
  const updating = latest.status === 'loading' && !!latest.previous;

  const showAll = () => navigate('customers', { enrichmentId, accounts: null });
  const open = (id: string, resultEnrichmentId: string) =>
    navigate('customers', { accountId: id, enrichmentId: resultEnrichmentId, q: query || null });

  return { search, setSearch, sort, setSort, band, setBand, cooling, setCooling, setOffset, query, filtered, accounts, updating, open, alertAccounts, alertCount, showAll };
}
