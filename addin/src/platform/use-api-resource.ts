import { useCallback, useEffect, useState } from 'react';
import { ApiProblem, clientProblemCodes } from './api-problem';

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'error'; problem: ApiProblem };

/** Anything thrown that is not already an ApiProblem (a bug, most likely) still gets shown. */
export function toProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  return new ApiProblem({
    status: 0,
    title: 'Unexpected error',
    detail: error instanceof Error ? error.message : String(error),
    code: clientProblemCodes.unexpected,
  });
}

/**
 * Load one API resource with loading / ready / error states and a retry. A newer load (deps
 * changed or retry) aborts the previous one so a slow old answer never overwrites a new one.
 */
export function useApiResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: ReadonlyArray<unknown>,
): Resource<T> & { retry(): void } {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<Resource<T>>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', problem: toProblem(error) });
      },
    );
    return () => controller.abort();
    // `load` is recreated each render; the caller's deps say when it really changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
