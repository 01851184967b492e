import { useEffect, useState } from 'react';
import { useDebouncedValue } from '../../components/use-debounced-value';
import type { AdminApi } from '../../platform/api/admin-api';
import type { NameAvailability } from '../../platform/api/contracts';
import type { ApiProblem } from '../../platform/api/api-problem';
import { toProblem } from '../../platform/api/use-api-resource';
import { nameProblem } from './wizard-draft';

export type NameCheck =
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'ready'; data: NameAvailability }
  | { status: 'error'; problem: ApiProblem };

/**
 * Whether the typed name is free in this tenant (the API compares case-insensitively and
 * ignores the enrichment being edited). Only well-formed names are sent; the answer only
 * counts for exactly the name on screen.
 */
export function useNameAvailability(admin: AdminApi, name: string, excludeId: string | null): NameCheck {
  const trimmed = name.trim();
  const settled = useDebouncedValue(trimmed, 300);
  const [state, setState] = useState<{ name: string; data: NameAvailability } | { name: string; problem: ApiProblem } | null>(null);
  const wellFormed = nameProblem(trimmed) === null;

  useEffect(() => {
    if (settled !== trimmed || !wellFormed) return;
    const controller = new AbortController();
    admin.nameAvailability(trimmed, excludeId, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ name: trimmed, data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ name: trimmed, problem: toProblem(error) });
      },
    );
    return () => controller.abort();
  }, [admin, settled, trimmed, wellFormed, excludeId]);

  if (!wellFormed) return { status: 'idle' };
  if (!state || state.name !== trimmed) return { status: 'checking' };
  if ('problem' in state) return { status: 'error', problem: state.problem };
  return { status: 'ready', data: state.data };
}
