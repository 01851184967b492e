import { useCallback, useEffect, useState } from 'react';
import { useDebouncedValue } from '../../components/use-debounced-value';
import type { AdminApi } from '../../platform/api/admin-api';
import type { Resolution } from '../../platform/api/contracts';
import type { ApiProblem } from '../../platform/api/api-problem';
import { toProblem } from '../../platform/api/use-api-resource';
import { selectionKey, selectionsOf, type PickedEntry } from './wizard-draft';

export type MailboxResolution =
  | { status: 'empty' }
  | { status: 'loading' }
  | { status: 'ready'; key: string; data: Resolution }
  | { status: 'error'; problem: ApiProblem; retry(): void };

/**
 * The server's resolution of the current selections (groups expanded, addresses de-duplicated).
 * It lives in the wizard page rather than the step so going Back and Next keeps it, and it is
 * only "ready" for exactly the selections on screen: a stale answer never validates the step.
 */
export function useMailboxResolution(admin: AdminApi, picked: PickedEntry[]): MailboxResolution {
  const key = selectionKey(picked);
  const settledKey = useDebouncedValue(key, 300);
  const [state, setState] = useState<{ key: string; data: Resolution } | { key: string; problem: ApiProblem } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => {
    setState(null);
    setAttempt((n) => n + 1);
  }, []);

  useEffect(() => {
    if (settledKey !== key || picked.length === 0) return;
    const controller = new AbortController();
    admin.resolveMailboxes(selectionsOf({ picked }), controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ key, data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ key, problem: toProblem(error) });
      },
    );
    return () => controller.abort();
    // `picked` is represented by `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [admin, settledKey, key, attempt]);

  if (picked.length === 0) return { status: 'empty' };
  if (!state || state.key !== key) return { status: 'loading' };
  if ('problem' in state) return { status: 'error', problem: state.problem, retry };
  return { status: 'ready', key, data: state.data };
}
