import { useMemo } from 'react';
import { useSession } from '../session/session-provider';
import { createAdminApi, type AdminApi } from './admin-api';

/** The typed admin calls, bound to the signed-in session's client. */
export function useAdminApi(): AdminApi {
  const { api } = useSession();
  return useMemo(() => createAdminApi(api), [api]);
}
