import { Body1, Button, Caption1, MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components';
import { PrivacyThresholdField } from '../../components/privacy-threshold-field';
import type { Enrichment } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useSettingsSectionStyles } from './settings-section.styles';
import { usePrivacyThresholdSettings } from './use-privacy-threshold-settings';


/** The small-count privacy threshold on the enrichment page: what it does, and for admins the choice. */
export function PrivacyThresholdSettings({ enrichment, isAdmin }: { enrichment: Enrichment; isAdmin: boolean }) {
  const styles = useSettingsSectionStyles();
  const { t } = useI18n();
  const s = usePrivacyThresholdSettings(enrichment);
  return (
    <section className={styles.section} aria-labelledby="privacy-threshold-title" data-testid="privacy-threshold-settings">
      <h2 id="privacy-threshold-title" className={styles.title}>
        {t('privacy.title')}
      </h2>
      <Body1 className={styles.muted}>{t('privacy.intro')}</Body1>
      {isAdmin ? (
        <div className={styles.row}>
          <PrivacyThresholdField value={s.draft} onChange={s.setDraft} disabled={s.saving} testId="privacy-threshold-input" />
          <Button appearance="secondary" onClick={s.save} disabled={!s.changed || s.saving} icon={s.saving ? <Spinner size="tiny" /> : undefined} data-testid="privacy-threshold-save">
            {t('privacy.save')}
          </Button>
        </div>
      ) : (
        <Caption1 className={styles.muted} data-testid="privacy-threshold-current">
          {t('common.labelValue', { label: t('privacy.label'), value: s.saved === null ? t('privacy.off') : t('privacy.option', { k: s.saved }) })}
        </Caption1>
      )}
      {s.notice ? (
        <MessageBar intent={s.notice.intent} layout="multiline" role={s.notice.intent === 'error' ? 'alert' : 'status'} data-testid="privacy-threshold-notice">
          <MessageBarBody>{s.notice.text}</MessageBarBody>
        </MessageBar>
      ) : null}
    </section>
  );
}
