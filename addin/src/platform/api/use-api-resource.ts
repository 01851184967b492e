import { useCallback, useEffect, useRef, useState } from 'react';
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
 * A resource that refetches on input (a search box, filters, chosen columns), as a list shows
 * it: the answer to the latest request, and while a newer request is on its way the previous
 * answer (`previous`) so the list stays on screen, marked busy, instead of collapsing.
 */
export type LatestResource<T> = Resource<T> & { retry(): void; previous: T | undefined };

/**
 * The one loader every page uses: loading / ready / error with a retry, where only the answer
 * to the latest request is ever shown. Each request gets a sequence number and an
 * AbortController; a newer request (deps changed, retry) aborts the older one, and an answer
 * whose number is no longer the latest is dropped even if its loader ignored the signal or
 * resolved after the abort. So a slow old answer never overwrites a newer one.
 */
export function useLatestResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: ReadonlyArray<unknown>): LatestResource<T> {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ resource: Resource<T>; previous: T | undefined }>({ resource: { status: 'loading' }, previous: undefined });
  const latest = useRef(0);

  useEffect(() => {
    const request = ++latest.current;
    const controller = new AbortController();
    const current = () => request === latest.current && !controller.signal.aborted;
    setState((s) => ({ resource: { status: 'loading' }, previous: s.resource.status === 'ready' ? s.resource.data : s.previous }));
    load(controller.signal).then(
      (data) => {
        if (current()) setState({ resource: { status: 'ready', data }, previous: data });
      },
      (error: unknown) => {
        if (current()) setState((s) => ({ resource: { status: 'error', problem: toProblem(error) }, previous: s.previous }));
      },
    );
    return () => controller.abort();
    // `load` is recreated each render; the caller's deps say when it really changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state.resource, previous: state.previous, retry };
}

/** Load one API resource with loading / ready / error states and a retry (see useLatestResource). */
export function useApiResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: ReadonlyArray<unknown>,
): Resource<T> & { retry(): void } {
  const latest = useLatestResource(load, deps);
  if (latest.status === 'ready') return { status: 'ready', data: latest.data, retry: latest.retry };
  if (latest.status === 'error') return { status: 'error', problem: latest.problem, retry: latest.retry };
  return { status: 'loading', retry: latest.retry };
}
