import { Badge, Body1, Button, Caption1, MessageBar, MessageBarBody, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import { ArrowSyncRegular } from '@fluentui/react-icons';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import type { AdminViewsApi } from '../../platform/api/admin-views-api';
import type { MailboxFailureKind, MailboxHealthState } from '../../platform/api/contracts';
import type { StringKey } from '../../platform/i18n/strings-en';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { RunsApi } from '../../platform/api/runs-api';
import { isRunActive } from '../../platform/api/run-states';
import { formatDateTime } from '../enrichment-detail/run-format';
import { useAdminViewStyles } from './admin-views.styles';
import { useMailboxHealth } from './use-mailbox-health';

const stateColor: Record<MailboxHealthState, 'success' | 'warning' | 'danger' | 'informative'> = {
  read: 'success',
  'read-with-retries': 'informative',
  'throttled-resumed': 'informative',
  'calendar-reset': 'informative',
  failed: 'danger',
  unavailable: 'warning',
};

/**
 * How each selected mailbox fared in the last run: a summary sentence, the failing mailboxes
 * (admin only: addresses, reasons, since when) and "retry failed mailboxes". Never a count of
 * anyone's mail or meetings.
 */
export function MailboxHealthTab({ api, runsApi, enrichmentId }: { api: AdminViewsApi; runsApi: RunsApi; enrichmentId: string }) {
  const styles = useAdminViewStyles();
  const { t, locale } = useI18n();
  const health = useMailboxHealth(api, runsApi, enrichmentId);

  if (health.status === 'loading') return <LoadingState label={t('state.loading')} lines={3} />;
  if (health.status === 'error') return <ErrorState problem={health.problem} onRetry={health.retry} />;
  const h = health.data;
  if (!h.runId) return <EmptyState testId="health-empty" message={t('health.none')} next={t('health.noneNext')} />;

  const kinds = (Object.entries(h.summary.failedByKind) as Array<[MailboxFailureKind, number]>).map(([kind, count]) => t(`health.kind.${kind}` as StringKey, { count }));
  const failing = h.mailboxes.filter((m) => m.failureKind !== null);
  const retrying = health.retryRun !== null && isRunActive(health.retryRun);
  const date = (iso: string | null) => (iso ? formatDateTime(iso, locale.formatLocale) : t('health.never'));

  return (
    <section className={styles.root} aria-labelledby="health-title" data-testid="health-tab">
      <h2 id="health-title" className={styles.title}>
        {t('health.title')}
      </h2>
      <Body1 className={styles.summary} data-testid="health-summary">
        {t('health.summary', { read: h.summary.read, total: h.summary.total })}
        {h.summary.failed > 0 ? ` ${t('health.failedSummary', { failed: h.summary.failed, reasons: kinds.join(', ') })}` : ''}
      </Body1>
      {h.runAsOf ? <Caption1 className={styles.muted}>{t('health.asOf', { date: date(h.runAsOf) })}</Caption1> : null}
      {failing.length === 0 ? (
        <Body1 data-testid="health-all-read">{t('health.allRead')}</Body1>
      ) : (
        <>
          <div className={styles.toolbar}>
            <Button appearance="primary" icon={<ArrowSyncRegular />} disabled={!h.canRetry || retrying || health.busy} onClick={() => void health.retryFailed()} data-testid="health-retry">
              {t('health.retry')}
            </Button>
            <Caption1 className={styles.muted}>{t('health.retryHint')}</Caption1>
          </div>
          <div className={styles.scroller} tabIndex={0} role="region" aria-label={t('health.failingTitle')}>
            <Table size="small" className={styles.table} data-testid="health-failing">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{t('health.col.mailbox')}</TableHeaderCell>
                  <TableHeaderCell>{t('health.col.state')}</TableHeaderCell>
                  <TableHeaderCell>{t('health.col.reason')}</TableHeaderCell>
                  <TableHeaderCell>{t('health.col.lastSuccess')}</TableHeaderCell>
                  <TableHeaderCell>{t('health.col.failingSince')}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {failing.map((m) => (
                  <TableRow key={m.userId} data-testid="health-row" data-kind={m.failureKind ?? ''}>
                    <TableCell className={styles.wrap}>{m.mail}</TableCell>
                    <TableCell>
                      <Badge appearance="tint" color={stateColor[m.state]} className={styles.badge}>
                        {t(`health.state.${m.state}` as StringKey)}
                      </Badge>
                    </TableCell>
                    <TableCell className={styles.wrap}>{m.failureKind ? t(`health.reason.${m.failureKind}` as StringKey) : ''}</TableCell>
                    <TableCell>{date(m.lastSuccessAt)}</TableCell>
                    <TableCell>{date(m.failingSince)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </>
      )}
      {retrying ? (
        <MessageBar intent="info" data-testid="health-retrying">
          <MessageBarBody>{t('health.retrying')}</MessageBarBody>
        </MessageBar>
      ) : null}
      {health.actionProblem ? (
        <MessageBar intent="error">
          <MessageBarBody>{health.actionProblem.detail}</MessageBarBody>
        </MessageBar>
      ) : null}
      {h.summary.read > 0 ? (
        <Caption1 className={styles.muted} data-testid="health-read-states">
          {t('health.readStates', {
            states: (Object.entries(h.summary.readByState) as Array<[MailboxHealthState, number]>).map(([state, count]) => `${t(`health.state.${state}` as StringKey)}: ${count}`).join(' · '),
          })}
        </Caption1>
      ) : null}
    </section>
  );
}
