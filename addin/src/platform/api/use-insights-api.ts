import { useMemo } from 'react';
import { useSession } from '../session/session-provider';
import { createInsightsApi, type InsightsApi } from './insights-api';

/** The typed results/customers/segments calls, bound to the signed-in session's client. */
export function useInsightsApi(): InsightsApi {
  const { api } = useSession();
  return useMemo(() => createInsightsApi(api), [api]);
}
