import { useCallback, useState } from 'react';
import type { AdminViewsApi } from '../../platform/api/admin-views-api';
import type { UnmatchedDomains } from '../../platform/api/contracts';
import type { ApiProblem } from '../../platform/api/api-problem';
import { toProblem, useApiResource, type Resource } from '../../platform/api/use-api-resource';
import { saveFile } from '../../components/results/save-file';

export type UnmatchedDomainsView = Resource<UnmatchedDomains> & {
  retry(): void;
  exportCsv(): Promise<void>;
  exclude(domain: string): Promise<void>;
  /** Domains excluded from this page: the next run leaves them out. */
  excluded: ReadonlySet<string>;
  /** The domain an exclusion is being saved for, or `export` while the CSV downloads. */
  pending: string | null;
  actionProblem: ApiProblem | null;
};

/**
 * The current result's busy unmatched domains, the CSV export and the one-click exclusion. The
 * exclusion is written over the enrichment version this page read (`version`), and the version
 * it answers becomes the next one's, so two clicks never overwrite each other nor another
 * admin's change (that one is a 409, shown as a problem).
 */
export function useUnmatchedDomains(api: AdminViewsApi, enrichmentId: string, initialVersion: number): UnmatchedDomainsView {
  const list = useApiResource((signal) => api.getUnmatchedDomains(enrichmentId, signal), [api, enrichmentId]);
  const [version, setVersion] = useState(initialVersion);
  const [excluded, setExcluded] = useState<ReadonlySet<string>>(new Set());
  const [pending, setPending] = useState<string | null>(null);
  const [actionProblem, setActionProblem] = useState<ApiProblem | null>(null);

  const exclude = useCallback(
    async (domain: string) => {
      setPending(domain);
      setActionProblem(null);
      try {
        const saved = await api.excludeDomain(enrichmentId, domain, version);
        setVersion(saved.version);
        setExcluded((prev) => new Set([...prev, domain]));
      } catch (error) {
        setActionProblem(toProblem(error));
      } finally {
        setPending(null);
      }
    },
    [api, enrichmentId, version],
  );

  const runId = list.status === 'ready' ? list.data.runId : null;
  const exportCsv = useCallback(async () => {
    if (!runId) return;
    setPending('export');
    setActionProblem(null);
    try {
      const file = await api.downloadUnmatchedDomainsCsv(enrichmentId, runId);
      saveFile(file.blob, file.fileName ?? 'Unmatched-domains.csv');
    } catch (error) {
      setActionProblem(toProblem(error));
    } finally {
      setPending(null);
    }
  }, [api, enrichmentId, runId]);

  return { ...list, exportCsv, exclude, excluded, pending, actionProblem };
}
