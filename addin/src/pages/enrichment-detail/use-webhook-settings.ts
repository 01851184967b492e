import { useEffect, useState } from 'react';
import { toProblem, useApiResource, useLatestResource } from '../../platform/api/use-api-resource';
import type { WebhooksApi } from '../../platform/api/webhooks-api';

/** How often the delivery log is read again while the tab is open (deliveries happen after publishes and retries). */
const DELIVERIES_REFRESH_MS = 5000;

/** The state of the Webhook tab: the registration, the form, the one-time secret and the delivery log. */
export function useWebhookSettings(api: WebhooksApi, enrichmentId: string) {
  const webhook = useApiResource((signal) => api.get(enrichmentId, signal), [api, enrichmentId]);
  const [tick, setTick] = useState(0);
  const deliveries = useLatestResource((signal) => api.deliveries(enrichmentId, signal), [api, enrichmentId, tick]);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    // Only while the page is visible: a tab left in the background reads nothing.
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') setTick((n) => n + 1);
    }, DELIVERIES_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, []);

  return {
    webhook,
    deliveries,
    saving,
    problem,
    secret,
    notice,
    refreshDeliveries: () => setTick((n) => n + 1),
    async register(url: string): Promise<boolean> {
      setSaving(true);
      setProblem(null);
      setNotice(null);
      setSecret(null);
      try {
        const saved = await api.register(enrichmentId, url);
        setSecret(saved.secret);
        webhook.retry();
        return true;
      } catch (error) {
        setProblem(toProblem(error).detail);
        return false;
      } finally {
        setSaving(false);
      }
    },
    async remove(): Promise<void> {
      await api.remove(enrichmentId);
      setSecret(null);
      setProblem(null);
      setNotice('webhook.removed');
      webhook.retry();
    },
  };
}

export type WebhookSettings = ReturnType<typeof useWebhookSettings>;
