import { useEffect, useState } from 'react';
import type { AdminEnrichmentSummary, ConsentRequestResult, ConsentState } from '../../platform/api/contracts';
import { toProblem, useLatestResource } from '../../platform/api/use-api-resource';
import { useAdminApi } from '../../platform/api/use-admin-api';
import { useI18n } from '../../platform/i18n/i18n-context';

/** The summary's consent state; older summaries only carry the enrichment state. */
export function consentStateOf(item: AdminEnrichmentSummary): ConsentState | null {
  if (item.consentState) return item.consentState;
  if (item.state === 'awaiting-consent') return 'awaiting';
  if (item.state === 'consented') return 'consented';
  if (item.state === 'consent-refused') return 'refused';
  return null;
}

export type Notice = { intent: 'success' | 'error'; text: string } | null;

/** How often the list is re-read while an enrichment awaits consent (granted in another window or by mail). */
export const CONSENT_POLL_MS = 4000;

/**
 * While `active`, call `refresh` every `ms` and whenever the page comes back into view, so a
 * state changed elsewhere (consent granted from the mailed link) shows without navigating.
 */
function useRefreshWhile(active: boolean, ms: number, refresh: () => void): void {
  useEffect(() => {
    if (!active) return undefined;
    const onVisible = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    const timer = setInterval(onVisible, ms);
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
    };
  }, [active, ms, refresh]);
}

/**
 * The enrichments list's state and effects: the list (re-read while one awaits consent), the
 * notice of the last action, which item is busy, and the actions (pause or resume, resend or
 * check consent, delete).
 */
export function useEnrichmentsList() {
  const { t } = useI18n();
  const admin = useAdminApi();
  const enrichments = useLatestResource((signal) => admin.listEnrichments(signal), [admin]);
  const [notice, setNotice] = useState<Notice>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<AdminEnrichmentSummary | null>(null);
  const [resent, setResent] = useState<{ item: AdminEnrichmentSummary; result: ConsentRequestResult } | null>(null);

  // A refresh keeps the list on screen: the previous answer shows until the new one arrives.
  const listed = enrichments.status === 'ready' ? enrichments.data : enrichments.previous;
  const items = listed?.items ?? [];
  useRefreshWhile(items.some((item) => consentStateOf(item) === 'awaiting'), CONSENT_POLL_MS, enrichments.retry);
  const nameOf = (id: string | null) => (id ? (items.find((i) => i.id === id)?.name ?? null) : null);

  const run = async (item: AdminEnrichmentSummary, action: () => Promise<string>) => {
    setBusyId(item.id);
    setNotice(null);
    try {
      setNotice({ intent: 'success', text: await action() });
      enrichments.retry();
    } catch (error) {
      setNotice({ intent: 'error', text: toProblem(error).detail });
    } finally {
      setBusyId(null);
    }
  };

  const pauseOrResume = (item: AdminEnrichmentSummary) =>
    run(item, async () => {
      if (item.paused) {
        await admin.resumeEnrichment(item.id, item.version);
        return t('enrichmentsAdmin.resumed', { name: item.name });
      }
      await admin.pauseEnrichment(item.id, item.version);
      return t('enrichmentsAdmin.paused', { name: item.name });
    });

  const resend = async (item: AdminEnrichmentSummary) => {
    setBusyId(item.id);
    setNotice(null);
    try {
      const result = await admin.requestConsent(item.id);
      setResent({ item, result });
      enrichments.retry();
    } catch (error) {
      setNotice({ intent: 'error', text: toProblem(error).detail });
    } finally {
      setBusyId(null);
    }
  };

  const check = (item: AdminEnrichmentSummary) =>
    run(item, async () => {
      const status = await admin.checkConsent(item.id);
      return status.state === 'consented' ? t('enrichmentsAdmin.checkConsented', { name: item.name }) : t('enrichmentsAdmin.checkAwaiting', { name: item.name });
    });

  const confirmDelete = async () => {
    if (!toDelete) return;
    await admin.deleteEnrichment(toDelete.id);
    setNotice({ intent: 'success', text: t('enrichmentsAdmin.deleted', { name: toDelete.name }) });
    enrichments.retry();
  };
  const sendConsentTo = (id: string, recipients: string[]) => admin.requestConsent(id, recipients);

  return { enrichments, listed, items, nameOf, notice, busyId, pauseOrResume, resend, check, toDelete, setToDelete, confirmDelete, resent, setResent, sendConsentTo };
}
