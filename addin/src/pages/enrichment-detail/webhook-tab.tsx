import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular, DeleteRegular, EditRegular } from '@fluentui/react-icons';
import { useEffect, useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { CopyTextField } from '../../components/copy-text-field';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { useI18n } from '../../platform/i18n/i18n-context';
import { toProblem, useApiResource, useLatestResource } from '../../platform/api/use-api-resource';
import type { Webhook, WebhookDelivery } from '../../platform/api/contracts';
import type { WebhooksApi } from '../../platform/api/webhooks-api';
import { formatDateTime, formatDuration } from './run-format';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, minWidth: 0 },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0, maxWidth: '720px' },
  title: { ...typographyStyles.subtitle2, margin: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
  url: { overflowWrap: 'anywhere', fontFamily: tokens.fontFamilyMonospace },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  // The table keeps its columns readable and scrolls inside this box at 320 px; the page does not.
  scroller: { overflowX: 'auto', maxWidth: '100%', minWidth: 0 },
  table: { minWidth: '640px' },
  number: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  detail: { overflowWrap: 'anywhere' },
});

/** A receiver answers in milliseconds: shown as such below a second, else as a run's duration is. */
function deliveryDuration(ms: number, locale: string): string {
  if (ms >= 1000) return formatDuration(ms, locale);
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'millisecond', unitDisplay: 'short', maximumFractionDigits: 0 }).format(ms);
}

/** How often the delivery log is read again while the tab is open (deliveries happen after publishes and retries). */
const DELIVERIES_REFRESH_MS = 5000;

/** The state of the Webhook tab: the registration, the form, the one-time secret and the delivery log. */
function useWebhookSettings(api: WebhooksApi, enrichmentId: string) {
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

export function WebhookTab({ api, enrichmentId }: { api: WebhooksApi; enrichmentId: string }) {
  const styles = useStyles();
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

function DeliveriesSection({ deliveries, onRefresh }: { deliveries: ReturnType<typeof useWebhookSettings>['deliveries']; onRefresh(): void }) {
  const styles = useStyles();
  const { t, format, locale } = useI18n();
  // While a newer read is on its way the last answer stays on screen (no flicker every few seconds).
  const items: WebhookDelivery[] | undefined = deliveries.status === 'ready' ? deliveries.data.items : deliveries.previous?.items;
  const result = (d: WebhookDelivery) => (d.outcome === 'delivered' ? t('webhook.result.delivered') : d.willRetry ? t('webhook.result.retrying') : t('webhook.result.failed'));
  return (
    <section className={styles.section} aria-labelledby="webhook-deliveries-title">
      <div className={styles.row}>
        <h2 id="webhook-deliveries-title" className={styles.title}>
          {t('webhook.deliveriesTitle')}
        </h2>
        <Button appearance="subtle" icon={<ArrowClockwiseRegular />} onClick={onRefresh} data-testid="webhook-deliveries-refresh">
          {t('webhook.refresh')}
        </Button>
      </div>
      {deliveries.status === 'error' && !items ? (
        <ErrorState problem={deliveries.problem} onRetry={deliveries.retry} />
      ) : !items ? (
        <LoadingState label={t('state.loading')} lines={2} />
      ) : items.length === 0 ? (
        <EmptyState testId="webhook-deliveries-empty" message={t('webhook.deliveriesEmpty')} />
      ) : (
        // Focusable so keyboard users can scroll it sideways at narrow widths.
        <div className={styles.scroller} tabIndex={0} role="region" aria-label={t('webhook.deliveriesLabel')}>
          <Table size="small" className={styles.table} data-testid="webhook-deliveries">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('webhook.col.time')}</TableHeaderCell>
                <TableHeaderCell>{t('webhook.col.run')}</TableHeaderCell>
                <TableHeaderCell className={styles.number}>{t('webhook.col.attempt')}</TableHeaderCell>
                <TableHeaderCell>{t('webhook.col.result')}</TableHeaderCell>
                <TableHeaderCell>{t('webhook.col.detail')}</TableHeaderCell>
                <TableHeaderCell className={styles.number}>{t('webhook.col.duration')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((d) => (
                <TableRow key={`${d.deliveryId}:${d.attempt}`} data-testid="webhook-delivery-row" data-run-id={d.runId} data-outcome={d.outcome} data-attempt={d.attempt}>
                  <TableCell data-column="time">{formatDateTime(d.at, locale.formatLocale)}</TableCell>
                  <TableCell data-column="run" className={styles.detail}>{d.runId}</TableCell>
                  <TableCell data-column="attempt" className={styles.number}>{format.number(d.attempt)}</TableCell>
                  <TableCell data-column="result">{result(d)}</TableCell>
                  <TableCell data-column="detail" className={styles.detail}>{d.statusCode !== null ? t('webhook.status', { status: d.statusCode }) : (d.error ?? '')}</TableCell>
                  <TableCell data-column="duration" className={styles.number}>{deliveryDuration(d.durationMs, locale.formatLocale)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
