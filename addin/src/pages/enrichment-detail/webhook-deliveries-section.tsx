import { Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { WebhookDelivery } from '../../platform/api/contracts';
import { formatDateTime, formatDuration } from './run-format';
import type { WebhookSettings } from './use-webhook-settings';
import { useWebhookTabStyles } from './webhook-tab.styles';

/** A receiver answers in milliseconds: shown as such below a second, else as a run's duration is. */
function deliveryDuration(ms: number, locale: string): string {
  if (ms >= 1000) return formatDuration(ms, locale);
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'millisecond', unitDisplay: 'short', maximumFractionDigits: 0 }).format(ms);
}

export function DeliveriesSection({ deliveries, onRefresh }: { deliveries: WebhookSettings['deliveries']; onRefresh(): void }) {
  const styles = useWebhookTabStyles();
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
