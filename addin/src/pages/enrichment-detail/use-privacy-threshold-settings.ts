import { useState } from 'react';
import { useAdminApi } from '../../platform/api/use-admin-api';
import type { Enrichment } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import { toProblem } from '../../platform/api/use-api-resource';

/**
 * The enrichment page's privacy threshold: the saved value and version, the admin's choice, and
 * saving it alone at the version the page was loaded with (a change made elsewhere meanwhile is
 * reported by the API's 409, never overwritten).
 */
export function usePrivacyThresholdSettings(enrichment: Enrichment) {
  const { t } = useI18n();
  const admin = useAdminApi();
  const [saved, setSaved] = useState({ value: enrichment.privacyThreshold ?? null, version: enrichment.version });
  const [draft, setDraft] = useState<number | null>(enrichment.privacyThreshold ?? null);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);

  const save = async () => {
    setSaving(true);
    setNotice(null);
    try {
      const updated = await admin.setPrivacyThreshold(enrichment.id, draft, saved.version);
      setSaved({ value: updated.privacyThreshold ?? null, version: updated.version });
      setDraft(updated.privacyThreshold ?? null);
      setNotice({ intent: 'success', text: t('privacy.saved') });
    } catch (error) {
      setNotice({ intent: 'error', text: toProblem(error).detail });
    } finally {
      setSaving(false);
    }
  };

  return { saved: saved.value, draft, setDraft, changed: draft !== saved.value, saving, notice, save };
}
