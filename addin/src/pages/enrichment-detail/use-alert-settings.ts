import { useEffect, useState } from 'react';
import type { AlertsApi } from '../../platform/api/alerts-api';
import type { AlertSettings } from '../../platform/api/contracts';
import { toProblem, useApiResource } from '../../platform/api/use-api-resource';
import { useI18n } from '../../platform/i18n/i18n-context';

export interface AlertDraft {
  enabled: boolean;
  quietDays: string;
  scoreDrop: string;
  cameBack: boolean;
}

/** The API's bounds (api/src/alerts/alert-rules.ts), checked here too so a typo is caught before saving. */
export const alertLimits = { quietDays: { min: 7, max: 365 }, scoreDrop: { min: 1, max: 100 } } as const;

const draftOf = (s: AlertSettings): AlertDraft => ({ enabled: s.enabled, quietDays: String(s.quietDays), scoreDrop: String(s.scoreDrop), cameBack: s.cameBack });

/** A whole number within the bounds, or null. */
export function wholeWithin(text: string, limits: { min: number; max: number }): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= limits.min && n <= limits.max ? n : null;
}

/**
 * The Alerts tab's state: the saved settings and the owners report (loaded with their own
 * loading and error states), the admin's draft and saving it.
 */
export function useAlertSettings(api: AlertsApi, enrichmentId: string) {
  const { t } = useI18n();
  const settings = useApiResource((signal) => api.settings(enrichmentId, signal), [api, enrichmentId]);
  const owners = useApiResource((signal) => api.owners(enrichmentId, signal), [api, enrichmentId]);
  const [draft, setDraft] = useState<AlertDraft | null>(null);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);

  const loaded = settings.status === 'ready' ? settings.data : null;
  useEffect(() => {
    if (loaded) setDraft(draftOf(loaded));
  }, [loaded]);

  const quietDays = draft ? wholeWithin(draft.quietDays, alertLimits.quietDays) : null;
  const scoreDrop = draft ? wholeWithin(draft.scoreDrop, alertLimits.scoreDrop) : null;

  const save = async () => {
    if (!draft) return;
    if (quietDays === null || scoreDrop === null) {
      setNotice({ intent: 'error', text: t('alerts.invalid') });
      return;
    }
    setSaving(true);
    setNotice(null);
    try {
      const saved = await api.saveSettings(enrichmentId, { enabled: draft.enabled, quietDays, scoreDrop, cameBack: draft.cameBack });
      setDraft(draftOf(saved));
      setNotice({ intent: 'success', text: t('alerts.saved') });
    } catch (error) {
      setNotice({ intent: 'error', text: toProblem(error).detail });
    } finally {
      setSaving(false);
    }
  };

  return { settings, owners, draft, setDraft: (patch: Partial<AlertDraft>) => setDraft((d) => (d ? { ...d, ...patch } : d)), quietValid: quietDays !== null, dropValid: scoreDrop !== null, saving, notice, save };
}
