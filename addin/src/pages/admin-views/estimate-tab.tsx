import { Body1, Button, Caption1, Field, MessageBar, MessageBarBody, ProgressBar, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import { ArrowClockwiseRegular, CalculatorRegular } from '@fluentui/react-icons';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import type { AdminViewsApi } from '../../platform/api/admin-views-api';
import type { Enrichment } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { RunsApi } from '../../platform/api/runs-api';
import { useApiResource } from '../../platform/api/use-api-resource';
import { formatDateTime, formatDuration } from '../enrichment-detail/run-format';
import { useAdminViewStyles } from './admin-views.styles';
import { comparableRun, isEstimating, useEstimate } from './use-estimate';

/**
 * The dry-run estimate: counts per mailbox read from Graph in the background (with a progress
 * bar), the sentence an admin plans with, and after a full run the estimate beside what the
 * run actually read and took.
 */
export function EstimateTab({ api, runsApi, enrichment }: { api: AdminViewsApi; runsApi: RunsApi; enrichment: Enrichment }) {
  const styles = useAdminViewStyles();
  const { t, format, locale } = useI18n();
  const estimate = useEstimate(api, enrichment.id);
  // The run history, for the estimate beside the last full run (a failed load just leaves the comparison out).
  const history = useApiResource((signal) => runsApi.listRuns(enrichment.id, signal), [runsApi, enrichment.id]);
  const runs = history.status === 'ready' ? history.data.items : [];
  const consented = enrichment.consent.state === 'consented';

  if (estimate.status === 'loading') return <LoadingState label={t('state.loading')} lines={3} />;
  if (estimate.status === 'error') return <ErrorState problem={estimate.problem} onRetry={estimate.retry} />;
  const e = estimate.data;
  const busy = isEstimating(e);
  const seconds = (s: number) => formatDuration(s * 1000, locale.formatLocale);
  const compared = e.result ? comparableRun(runs, e) : null;

  return (
    <section className={styles.root} aria-labelledby="estimate-title" data-testid="estimate-tab" data-state={e.state}>
      <h2 id="estimate-title" className={styles.title}>
        {t('estimate.title')}
      </h2>
      <Body1 className={styles.muted}>{t('estimate.intro')}</Body1>
      <div className={styles.toolbar}>
        <Button
          appearance={e.state === 'none' ? 'primary' : 'secondary'}
          icon={e.state === 'none' ? <CalculatorRegular /> : <ArrowClockwiseRegular />}
          disabled={busy || estimate.requesting || !consented}
          onClick={() => void estimate.request()}
          data-testid="estimate-start"
        >
          {e.state === 'none' ? t('estimate.start') : t('estimate.refresh')}
        </Button>
        {!consented ? <Caption1 className={styles.muted}>{t('runs.reason.consent')}</Caption1> : null}
      </div>
      {estimate.requestProblem ? (
        <MessageBar intent="error">
          <MessageBarBody>{estimate.requestProblem.detail}</MessageBarBody>
        </MessageBar>
      ) : null}
      {e.state === 'none' ? <EmptyState testId="estimate-empty" message={t('estimate.none')} next={t('estimate.noneNext')} /> : null}
      {busy ? (
        <Field label={t('estimate.progressLabel')} validationMessage={t('estimate.progress', { done: e.mailboxesDone, total: e.mailboxesTotal })} validationState="none">
          <ProgressBar value={e.mailboxesTotal > 0 ? e.mailboxesDone / e.mailboxesTotal : undefined} data-testid="estimate-progress" />
        </Field>
      ) : null}
      {e.state === 'failed' ? (
        <MessageBar intent="error" data-testid="estimate-failed">
          <MessageBarBody>{t('estimate.failed', { reason: e.failureReason ?? '' })}</MessageBarBody>
        </MessageBar>
      ) : null}
      {e.stale && !busy ? (
        <MessageBar intent="warning" data-testid="estimate-stale">
          <MessageBarBody>{t('estimate.stale')}</MessageBarBody>
        </MessageBar>
      ) : null}
      {e.result && !busy ? (
        <>
          <Body1 className={styles.summary} data-testid="estimate-summary">
            {t('estimate.summary', {
              messages: format.number(e.result.messages),
              events: format.number(e.result.events),
              mailboxes: e.result.mailboxes,
              first: seconds(e.result.firstRunSeconds),
              refresh: seconds(e.result.refreshSeconds),
            })}
          </Body1>
          <Caption1 className={styles.muted}>
            {t('estimate.requests', { full: format.number(e.result.requestsFull), refresh: format.number(e.result.requestsRefresh) })}{' '}
            {e.asOf ? t('estimate.asOf', { date: formatDateTime(e.asOf, locale.formatLocale) }) : null}
          </Caption1>
          {e.mailboxesFailed > 0 ? (
            <MessageBar intent="warning" data-testid="estimate-uncounted">
              <MessageBarBody>{t('estimate.failedMailboxes', { count: e.mailboxesFailed })}</MessageBarBody>
            </MessageBar>
          ) : null}
        </>
      ) : null}
      {e.result && compared ? (
        <section aria-labelledby="estimate-compare-title">
          <h3 id="estimate-compare-title" className={styles.title}>
            {t('estimate.compare.title')}
          </h3>
          <div className={styles.scroller} tabIndex={0} role="region" aria-label={t('estimate.compare.title')}>
            <Table size="small" className={styles.table} data-testid="estimate-compare">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{t('estimate.compare.what')}</TableHeaderCell>
                  <TableHeaderCell className={styles.number}>{t('estimate.compare.estimated')}</TableHeaderCell>
                  <TableHeaderCell className={styles.number}>{t('estimate.compare.actual')}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                <TableRow>
                  <TableCell>{t('estimate.compare.messages')}</TableCell>
                  <TableCell className={styles.number}>{format.number(e.result.messages)}</TableCell>
                  <TableCell className={styles.number} data-testid="actual-messages">{format.number(compared.counters.messagesRead)}</TableCell>
                </TableRow>
                <TableRow>
                  <TableCell>{t('estimate.compare.events')}</TableCell>
                  <TableCell className={styles.number}>{format.number(e.result.events)}</TableCell>
                  <TableCell className={styles.number}>{format.number(compared.counters.eventsRead)}</TableCell>
                </TableRow>
                <TableRow>
                  <TableCell>{t('estimate.compare.duration')}</TableCell>
                  <TableCell className={styles.number}>{seconds(e.result.firstRunSeconds)}</TableCell>
                  <TableCell className={styles.number}>{compared.summary ? formatDuration(compared.summary.durationMs, locale.formatLocale) : t('runs.notYet')}</TableCell>
                </TableRow>
              </TableBody>
            </Table>
          </div>
        </section>
      ) : null}
    </section>
  );
}
