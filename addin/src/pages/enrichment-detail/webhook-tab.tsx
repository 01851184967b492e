import { Body1, Button, Caption1, Field, Input, MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components';
import { DeleteRegular, EditRegular } from '@fluentui/react-icons';
import { useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { CopyTextField } from '../../components/copy-text-field';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { Webhook } from '../../platform/api/contracts';
import type { WebhooksApi } from '../../platform/api/webhooks-api';
import { formatDateTime } from './run-format';
import { useWebhookSettings } from './use-webhook-settings';
import { DeliveriesSection } from './webhook-deliveries-section';
import { useWebhookTabStyles } from './webhook-tab.styles';

export function WebhookTab({ api, enrichmentId }: { api: WebhooksApi; enrichmentId: string }) {
  const styles = useWebhookTabStyles();
  const { t, locale } = useI18n();
  const s = useWebhookSettings(api, enrichmentId);
  const [editing, setEditing] = useState(false);
  const [url, setUrl] = useState('');
  const [confirmRemove, setConfirmRemove] = useState(false);

  const current: Webhook | null = s.webhook.status === 'ready' ? s.webhook.data.webhook : null;
  const showForm = s.webhook.status === 'ready' && (!current || editing);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await s.register(url)) {
      setEditing(false);
      setUrl('');
    }
  };

  return (
    <div className={styles.root} data-testid="webhook-tab">
      <section className={styles.section} aria-labelledby="webhook-title">
        <h2 id="webhook-title" className={styles.title}>
          {t('webhook.title')}
        </h2>
        <Body1 className={styles.muted}>{t('webhook.intro')}</Body1>
        {s.webhook.status === 'loading' ? (
          <LoadingState label={t('state.loading')} lines={2} />
        ) : s.webhook.status === 'error' ? (
          <ErrorState problem={s.webhook.problem} onRetry={s.webhook.retry} />
        ) : (
          <>
            {s.notice ? (
              <MessageBar intent="success" data-testid="webhook-notice">
                <MessageBarBody>{t('webhook.removed')}</MessageBarBody>
              </MessageBar>
            ) : null}
            {current ? (
              <div className={styles.section} data-testid="webhook-current" data-url={current.url}>
                <Body1 className={styles.url}>{current.url}</Body1>
                <Caption1 className={styles.muted}>
                  {t('webhook.validatedAt', { time: formatDateTime(current.validatedAt, locale.formatLocale) })} · {t('webhook.secretHint', { hint: current.secretHint })}
                </Caption1>
                {!editing ? (
                  <div className={styles.row}>
                    <Button icon={<EditRegular />} onClick={() => setEditing(true)} data-testid="webhook-replace">
                      {t('webhook.replace')}
                    </Button>
                    <Button icon={<DeleteRegular />} onClick={() => setConfirmRemove(true)} data-testid="webhook-remove">
                      {t('webhook.remove')}
                    </Button>
                  </div>
                ) : null}
              </div>
            ) : (
              <EmptyState testId="webhook-empty" message={t('webhook.none')} next={t('webhook.noneNext')} />
            )}
            {s.secret ? (
              <MessageBar intent="success" layout="multiline" data-testid="webhook-validated">
                <MessageBarBody>
                  <div className={styles.form}>
                    <span>{t('webhook.validated')}</span>
                    <span>{t('webhook.secretOnce')}</span>
                    <CopyTextField label={t('webhook.secretTitle')} value={s.secret} testId="webhook-secret" />
                  </div>
                </MessageBarBody>
              </MessageBar>
            ) : null}
            {showForm ? (
              <form className={styles.form} onSubmit={submit} noValidate>
                <Field
                  label={t('webhook.url')}
                  hint={t('webhook.urlHint')}
                  validationState={s.problem ? 'error' : 'none'}
                  {...(s.problem ? { validationMessage: s.problem } : {})}
                >
                  <Input type="url" value={url} onChange={(_, data) => setUrl(data.value)} placeholder="https://" data-testid="webhook-url" />
                </Field>
                <div className={styles.row}>
                  <Button type="submit" appearance="primary" disabled={s.saving || !url.trim()} data-testid="webhook-save">
                    {s.saving ? t('webhook.saving') : t('webhook.save')}
                  </Button>
                  {s.saving ? <Spinner size="tiny" aria-label={t('webhook.saving')} /> : null}
                  {current ? (
                    <Button appearance="subtle" onClick={() => setEditing(false)} disabled={s.saving}>
                      {t('webhook.cancel')}
                    </Button>
                  ) : null}
                </div>
              </form>
            ) : null}
          </>
        )}
      </section>
      <DeliveriesSection deliveries={s.deliveries} onRefresh={s.refreshDeliveries} />
      <ConfirmDialog open={confirmRemove} title={t('webhook.removeTitle')} confirmLabel={t('webhook.remove')} onConfirm={s.remove} onClose={() => setConfirmRemove(false)} testId="webhook-remove-dialog">
        {t('webhook.removeBody')}
      </ConfirmDialog>
    </div>
  );
}
