import { Body1, Button, Caption1, Field, MessageBar, MessageBarBody, ProgressBar, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import type { AdminViewsApi } from '../../platform/api/admin-views-api';
import { useI18n } from '../../platform/i18n/i18n-context';
import { isEstimating } from '../admin-views/use-estimate';
import { formatDateTime, formatDuration } from '../enrichment-detail/run-format';
import { useDraftEstimate } from './use-draft-estimate';
import type { MailboxResolution } from './use-mailbox-resolution';

const useStyles = makeStyles({
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    paddingBlock: tokens.spacingVerticalM,
    paddingInline: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    overflowWrap: 'anywhere',
    minWidth: 0,
  },
  head: { display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  title: { ...typographyStyles.body1Strong, margin: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
  summary: { ...typographyStyles.body1Strong },
});

/**
 * The review step's dry-run estimate of the selected mailboxes, before the enrichment exists:
 * counted in the background with a progress bar, then the sentence an admin plans with.
 * Save never waits for it; without the organisation's consent it says when it becomes available.
 */
export function ReviewEstimate({ api, resolution }: { api: AdminViewsApi; resolution: MailboxResolution }) {
  const styles = useStyles();
  const { t, format, locale } = useI18n();
  const { state, refresh, retry } = useDraftEstimate(api, resolution);
  const seconds = (s: number) => formatDuration(s * 1000, locale.formatLocale);
  const e = state.status === 'ready' ? state.data : null;
  const busy = !!e && (isEstimating(e) || state.status === 'ready' && state.refreshing);

  let body: React.JSX.Element | null = null;
  if (state.status === 'empty') body = <EmptyState testId="review-estimate-empty" message={t('estimate.draft.empty')} />;
  else if (state.status === 'loading') body = <LoadingState label={t('state.loading')} lines={2} />;
  else if (state.status === 'error') {
    body =
      state.problem.code === 'consent-required' ? (
        <MessageBar intent="info" layout="multiline" data-testid="review-estimate-consent">
          <MessageBarBody>{t('estimate.draft.needsConsent')}</MessageBarBody>
        </MessageBar>
      ) : (
        <ErrorState problem={state.problem} onRetry={retry} />
      );
  } else if (e) {
    body = (
      <>
        {isEstimating(e) ? (
          <Field label={t('estimate.progressLabel')} validationMessage={t('estimate.progress', { done: e.mailboxesDone, total: e.mailboxesTotal })} validationState="none">
            {/* Waiting for a worker, the bar moves without claiming a share. */}
            <ProgressBar value={e.state === 'running' && e.mailboxesTotal > 0 ? e.mailboxesDone / e.mailboxesTotal : undefined} data-testid="review-estimate-progress" />
          </Field>
        ) : null}
        {e.state === 'failed' ? (
          <MessageBar intent="error" layout="multiline" data-testid="review-estimate-failed">
            <MessageBarBody>{t('estimate.failed', { reason: e.failureReason ?? '' })}</MessageBarBody>
          </MessageBar>
        ) : null}
        {e.result && !isEstimating(e) ? (
          <>
            <Body1 className={styles.summary} data-testid="review-estimate-summary">
              {t('estimate.summary', {
                messages: format.number(e.result.messages),
                events: format.number(e.result.events),
                mailboxes: e.result.mailboxes,
                first: seconds(e.result.firstRunSeconds),
                refresh: seconds(e.result.refreshSeconds),
              })}
            </Body1>
            {e.asOf ? <Caption1 className={styles.muted}>{t('estimate.asOf', { date: formatDateTime(e.asOf, locale.formatLocale) })}</Caption1> : null}
            {e.mailboxesFailed > 0 ? (
              <MessageBar intent="warning" layout="multiline" data-testid="review-estimate-uncounted">
                <MessageBarBody>{t('estimate.draft.uncounted', { count: e.mailboxesFailed })}</MessageBarBody>
              </MessageBar>
            ) : null}
          </>
        ) : null}
      </>
    );
  }

  return (
    <section className={styles.section} aria-labelledby="review-estimate-title" aria-busy={busy} data-testid="review-estimate" data-state={e?.state ?? state.status}>
      <div className={styles.head}>
        <h3 id="review-estimate-title" className={styles.title}>
          {t('estimate.title')}
        </h3>
        {e ? (
          <Button size="small" icon={<ArrowClockwiseRegular />} disabled={busy} onClick={refresh} data-testid="review-estimate-refresh">
            {t('estimate.refresh')}
          </Button>
        ) : null}
      </div>
      <Caption1 className={styles.muted}>{t('estimate.draft.intro')}</Caption1>
      {body}
    </section>
  );
}
