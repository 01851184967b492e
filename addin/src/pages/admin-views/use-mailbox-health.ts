import { useCallback, useEffect, useState } from 'react';
import type { AdminViewsApi } from '../../platform/api/admin-views-api';
import type { MailboxHealth } from '../../platform/api/contracts';
import type { ApiProblem } from '../../platform/api/api-problem';
import type { RunsApi } from '../../platform/api/runs-api';
import type { Run } from '../../platform/api/contracts';
import { isRunActive } from '../../platform/api/run-states';
import { toProblem, useApiResource, type Resource } from '../../platform/api/use-api-resource';
import { RUN_POLL_MS } from '../enrichment-detail/use-live-runs';

export type MailboxHealthView = Resource<MailboxHealth> & {
  retry(): void;
  /** Reads the failed mailboxes again into the current result. */
  retryFailed(): Promise<void>;
  /** The retry run while it is active or just ended, else null. */
  retryRun: Run | null;
  actionProblem: ApiProblem | null;
  busy: boolean;
};

/** The last run's mailbox health; a retry of the failed mailboxes is followed until it ends, then the health is read again. */
export function useMailboxHealth(api: AdminViewsApi, runsApi: RunsApi, enrichmentId: string): MailboxHealthView {
  const health = useApiResource((signal) => api.getMailboxHealth(enrichmentId, signal), [api, enrichmentId]);
  const [retryRun, setRetryRun] = useState<Run | null>(null);
  const [actionProblem, setActionProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = health.retry;
  const activeId = retryRun && isRunActive(retryRun) ? retryRun.id : null;

  useEffect(() => {
    if (!activeId) return undefined;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const run = await runsApi.getRun(enrichmentId, activeId, controller.signal);
        if (controller.signal.aborted) return;
        setRetryRun(run);
        if (!isRunActive(run)) {
          reload();
          return;
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      timer = setTimeout(tick, RUN_POLL_MS);
    };
    timer = setTimeout(tick, RUN_POLL_MS);
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [runsApi, enrichmentId, activeId, reload]);

  const retryFailed = useCallback(async () => {
    setBusy(true);
    setActionProblem(null);
    try {
      setRetryRun(await api.retryFailedMailboxes(enrichmentId));
    } catch (error) {
      setActionProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  }, [api, enrichmentId]);

  return { ...health, retryFailed, retryRun, actionProblem, busy };
}
