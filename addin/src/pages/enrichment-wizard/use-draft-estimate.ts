import { useCallback, useEffect, useRef, useState } from 'react';
import type { AdminViewsApi } from '../../platform/api/admin-views-api';
import type { ApiProblem } from '../../platform/api/api-problem';
import type { DraftEstimate } from '../../platform/api/contracts';
import { toProblem } from '../../platform/api/use-api-resource';
import { ESTIMATE_POLL_MS, isEstimating } from '../admin-views/use-estimate';
import type { MailboxResolution } from './use-mailbox-resolution';

export type DraftEstimateState =
  | { status: 'empty' }
  | { status: 'loading' }
  | { status: 'ready'; data: DraftEstimate; refreshing: boolean }
  | { status: 'error'; problem: ApiProblem };

export interface DraftEstimateView {
  state: DraftEstimateState;
  /** Counts the selection again in the background. */
  refresh(): void;
  /** Asks again after a failed request. */
  retry(): void;
}

/**
 * The dry-run estimate of the wizard's selection before the enrichment exists: asked for as soon
 * as the review step shows a valid selection (the API answers the cached estimate of the same
 * mailboxes when there is one), then re-read while it is counted. Only the answer for the
 * selection on screen is shown; the page never waits for it.
 */
export function useDraftEstimate(api: AdminViewsApi, resolution: MailboxResolution): DraftEstimateView {
  const userIds = resolution.status === 'ready' && resolution.data.withinLimits ? resolution.data.mailboxes.map((m) => m.userId) : null;
  const idsKey = userIds ? [...userIds].sort().join(',') : null;
  const [attempt, setAttempt] = useState(0);
  const refreshNext = useRef(false);
  const [answer, setAnswer] = useState<{ idsKey: string; attempt: number; data: DraftEstimate } | { idsKey: string; attempt: number; problem: ApiProblem } | null>(null);

  useEffect(() => {
    if (!idsKey || !userIds) return undefined;
    const controller = new AbortController();
    const refresh = refreshNext.current;
    refreshNext.current = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = (data: DraftEstimate) => {
      if (!controller.signal.aborted) setAnswer({ idsKey, attempt, data });
    };
    const poll = (key: string) => {
      timer = setTimeout(async () => {
        try {
          const next = await api.getDraftEstimate(key, controller.signal);
          show(next);
          if (!isEstimating(next)) return;
        } catch {
          // A missed read is read again at the next tick; the figures shown stay.
          if (controller.signal.aborted) return;
        }
        poll(key);
      }, ESTIMATE_POLL_MS);
    };
    api.requestDraftEstimate(userIds, refresh, controller.signal).then(
      (first) => {
        show(first);
        if (isEstimating(first)) poll(first.key);
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setAnswer({ idsKey, attempt, problem: toProblem(error) });
      },
    );
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
    // `userIds` is represented by `idsKey`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, idsKey, attempt]);

  const refresh = useCallback(() => {
    refreshNext.current = true;
    setAttempt((n) => n + 1);
  }, []);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  let state: DraftEstimateState;
  if (!idsKey) state = resolution.status === 'loading' ? { status: 'loading' } : { status: 'empty' };
  else if (!answer || answer.idsKey !== idsKey) state = { status: 'loading' };
  else if ('problem' in answer) state = answer.attempt === attempt ? { status: 'error', problem: answer.problem } : { status: 'loading' };
  // A refresh keeps the figures on screen until its own answer arrives.
  else state = { status: 'ready', data: answer.data, refreshing: answer.attempt !== attempt };
  return { state, refresh, retry };
}
