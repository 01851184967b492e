import { Body1, Button, Caption1, Checkbox, Field, Input, Link, MessageBar, MessageBarBody, Spinner, Switch, makeStyles, tokens } from '@fluentui/react-components';
import { OpenRegular } from '@fluentui/react-icons';
import { ErrorState } from '../../components/error-state';
import { attributeLabel } from '../../components/results/account-attributes';
import { LoadingState } from '../../components/loading-state';
import type { AlertsApi } from '../../platform/api/alerts-api';
import type { AlertOwners } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useSettingsSectionStyles } from './settings-section.styles';
import { alertLimits, useAlertSettings } from './use-alert-settings';

const useStyles = makeStyles({
  tab: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, minWidth: 0 },
  number: { maxWidth: '160px' },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL, overflowWrap: 'anywhere' },
});

/**
 * The enrichment page's Alerts tab (admins only): whether account owners get a Teams activity
 * notification after each run, the thresholds, and who the last run could not reach.
 */
export function AlertsTab({ api, enrichmentId }: { api: AlertsApi; enrichmentId: string }) {
  const styles = useStyles();
  const section = useSettingsSectionStyles();
  const { t } = useI18n();
  const s = useAlertSettings(api, enrichmentId);

  return (
    <div className={styles.tab} data-testid="alerts-tab">
      <section className={section.section} aria-labelledby="alerts-title">
        <h2 id="alerts-title" className={section.title}>
          {t('alerts.title')}
        </h2>
        <Body1 className={section.muted}>{t('alerts.intro')}</Body1>
        {s.settings.status === 'loading' || (s.settings.status === 'ready' && !s.draft) ? (
          <LoadingState label={t('state.loading')} lines={3} />
        ) : s.settings.status === 'error' ? (
          <ErrorState problem={s.settings.problem} onRetry={s.settings.retry} />
        ) : !s.settings.data.ownerField ? (
          <MessageBar intent="warning" layout="multiline" data-testid="alerts-no-owner">
            <MessageBarBody>{t('alerts.noOwner')}</MessageBarBody>
          </MessageBar>
        ) : s.draft ? (
          <>
            <Caption1 className={section.muted}>{t('alerts.ownerField', { field: attributeLabel(t, s.settings.data.ownerField) })}</Caption1>
            <Switch checked={s.draft.enabled} onChange={(_, d) => s.setDraft({ enabled: d.checked })} label={t('alerts.enabled')} data-testid="alerts-enabled" />
            <div className={section.row}>
              <Field label={t('alerts.quietDays')} hint={t('alerts.quietHint', alertLimits.quietDays)} validationState={s.quietValid ? 'none' : 'error'} {...(s.quietValid ? {} : { validationMessage: t('alerts.quietHint', alertLimits.quietDays) })}>
                <Input className={styles.number} inputMode="numeric" value={s.draft.quietDays} onChange={(_, d) => s.setDraft({ quietDays: d.value })} data-testid="alerts-quiet-days" />
              </Field>
              <Field label={t('alerts.scoreDrop')} hint={t('alerts.scoreHint', alertLimits.scoreDrop)} validationState={s.dropValid ? 'none' : 'error'} {...(s.dropValid ? {} : { validationMessage: t('alerts.scoreHint', alertLimits.scoreDrop) })}>
                <Input className={styles.number} inputMode="numeric" value={s.draft.scoreDrop} onChange={(_, d) => s.setDraft({ scoreDrop: d.value })} data-testid="alerts-score-drop" />
              </Field>
            </div>
            <Checkbox checked={s.draft.cameBack} onChange={(_, d) => s.setDraft({ cameBack: d.checked === true })} label={t('alerts.cameBack')} data-testid="alerts-came-back" />
            <div className={section.row}>
              <Button appearance="primary" onClick={s.save} disabled={s.saving} icon={s.saving ? <Spinner size="tiny" /> : undefined} data-testid="alerts-save">
                {t('alerts.save')}
              </Button>
            </div>
          </>
        ) : null}
        {s.notice ? (
          <MessageBar intent={s.notice.intent} layout="multiline" role={s.notice.intent === 'error' ? 'alert' : 'status'} data-testid="alerts-notice">
            <MessageBarBody>{s.notice.text}</MessageBarBody>
          </MessageBar>
        ) : null}
      </section>
      <section className={section.section} aria-labelledby="alerts-owners-title">
        <h2 id="alerts-owners-title" className={section.title}>
          {t('alerts.ownersTitle')}
        </h2>
        {s.owners.status === 'loading' ? (
          <LoadingState label={t('state.loading')} lines={2} />
        ) : s.owners.status === 'error' ? (
          <ErrorState problem={s.owners.problem} onRetry={s.owners.retry} />
        ) : (
          <OwnersReport report={s.owners.data} />
        )}
      </section>
    </div>
  );
}

/**
 * Who the last run reached, and who it could not: owners without the app (with where to install it for them), notifications
 * refused because the organisation must grant consent again, owner values naming nobody.
 */
function OwnersReport({ report }: { report: AlertOwners }) {
  const styles = useStyles();
  const section = useSettingsSectionStyles();
  const { t } = useI18n();
  if (!report.runId) return <Body1 className={section.muted} data-testid="alerts-owners-none">{t('alerts.ownersNone')}</Body1>;
  return (
    <>
      <Body1 data-testid="alerts-owners-summary">{t('alerts.ownersSummary', { notified: report.notified, muted: report.muted })}</Body1>
      {report.withoutApp.length > 0 ? (
        <MessageBar intent="warning" layout="multiline" data-testid="alerts-without-app">
          <MessageBarBody>
            <Body1>{t('alerts.withoutApp', { count: report.withoutApp.length })}</Body1>
            <ul className={styles.list} aria-label={t('alerts.withoutAppLabel')}>
              {report.withoutApp.map((o) => (
                <li key={o.userId}>{o.displayName ? t('alerts.person', { name: o.displayName, mail: o.mail }) : o.mail}</li>
              ))}
            </ul>
            <Body1>{t('alerts.withoutAppHint')} </Body1>
            <Link href={report.setupPolicyUrl} target="_blank" rel="noreferrer" data-testid="alerts-setup-policy">
              {t('alerts.setupPolicy')} <OpenRegular aria-hidden />
            </Link>
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {report.permissionMissing > 0 ? (
        <MessageBar intent="error" layout="multiline" data-testid="alerts-permission-missing">
          <MessageBarBody>
            <Body1 block>{t('alerts.permissionMissing', { count: report.permissionMissing })}</Body1>
            <Body1 block>{t('alerts.permissionMissingFix')}</Body1>
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {report.unknownOwners.length > 0 ? (
        <Body1 data-testid="alerts-unknown-owners">{t('alerts.unknownOwners', { count: report.unknownOwners.length, list: report.unknownOwners.join(', ') })}</Body1>
      ) : null}
      {report.failed > 0 ? <Body1>{t('alerts.failed', { count: report.failed })}</Body1> : null}
    </>
  );
}
