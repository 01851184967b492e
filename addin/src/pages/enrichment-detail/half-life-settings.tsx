import { Body1, Button, Caption1, MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components';
import { useState } from 'react';
import { halfLifeDaysOf, halfLifeProblem } from '../../components/half-life';
import { HalfLifeField } from '../../components/half-life-field';
import { useAdminApi } from '../../platform/api/use-admin-api';
import type { Enrichment } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import { toProblem } from '../../platform/api/use-api-resource';
import { useSettingsSectionStyles } from './settings-section.styles';

/**
 * The engagement score's half-life on the enrichment page: what it does, and for admins a field
 * to change it. Saving writes it alone, at the version the page was loaded with, so a change made
 * elsewhere meanwhile is reported rather than overwritten.
 */
export function HalfLifeSettings({ enrichment, isAdmin }: { enrichment: Enrichment; isAdmin: boolean }) {
  const styles = useSettingsSectionStyles();
  const { t } = useI18n();
  const admin = useAdminApi();
  const [saved, setSaved] = useState({ halfLifeDays: enrichment.halfLifeDays, version: enrichment.version });
  const [draft, setDraft] = useState(String(enrichment.halfLifeDays));
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
  const problem = halfLifeProblem(draft);
  const changed = problem === null && halfLifeDaysOf(draft) !== saved.halfLifeDays;

  const save = async () => {
    setSaving(true);
    setNotice(null);
    try {
      const updated = await admin.setHalfLife(enrichment.id, halfLifeDaysOf(draft), saved.version);
      setSaved({ halfLifeDays: updated.halfLifeDays, version: updated.version });
      setDraft(String(updated.halfLifeDays));
      setNotice({ intent: 'success', text: t('halfLife.saved') });
    } catch (error) {
      setNotice({ intent: 'error', text: toProblem(error).detail });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className={styles.section} aria-labelledby="half-life-title" data-testid="half-life-settings">
      <h2 id="half-life-title" className={styles.title}>
        {t('halfLife.title')}
      </h2>
      <Body1 className={styles.muted}>{t('halfLife.intro')}</Body1>
      {isAdmin ? (
        <div className={styles.row}>
          <HalfLifeField value={draft} onChange={setDraft} disabled={saving} testId="half-life-input" />
          <Button
            appearance="secondary"
            onClick={save}
            disabled={!changed || saving}
            icon={saving ? <Spinner size="tiny" /> : undefined}
            data-testid="half-life-save"
          >
            {t('halfLife.save')}
          </Button>
        </div>
      ) : (
        <Caption1 className={styles.muted} data-testid="half-life-current">
          {t('halfLife.current', { days: saved.halfLifeDays })} {t('halfLife.readOnly')}
        </Caption1>
      )}
      {notice ? (
        <MessageBar intent={notice.intent} layout="multiline" role={notice.intent === 'error' ? 'alert' : 'status'} data-testid="half-life-notice">
          <MessageBarBody>{notice.text}</MessageBarBody>
        </MessageBar>
      ) : null}
    </section>
  );
}
