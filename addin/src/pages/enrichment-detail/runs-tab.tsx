import { Button, Caption1, MessageBar, MessageBarBody, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { PlayRegular, TableRegular } from '@fluentui/react-icons';
import { useId, useState } from 'react';
import { useNavigation } from '../../platform/navigation/navigation';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import type { Enrichment } from '../../platform/api/contracts';
import type { StringKey } from '../../platform/i18n/strings-en';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { RunsApi } from '../../platform/api/runs-api';
import type { Run } from '../../platform/api/contracts';
import { isRunActive } from '../../platform/api/run-states';
import { toProblem } from '../../platform/api/use-api-resource';
import { HalfLifeSettings } from './half-life-settings';
import { PrivacyThresholdSettings } from './privacy-threshold-settings';
import { RunHistoryTable } from './run-history-table';
import { RunProgressPane } from './run-progress-pane';
import { ScheduleSettings } from './schedule-settings';
import { useLiveRuns } from './use-live-runs';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground2 },
  notice: { maxWidth: '720px' },
});

/** Why Run now is unavailable for an admin, or null when it can be pressed. */
export function runNowBlocker(enrichment: Pick<Enrichment, 'consent' | 'paused'>, current: Run | null): StringKey | null {
  if (enrichment.consent.state !== 'consented') return 'runs.reason.consent';
  if (enrichment.paused) return 'runs.reason.paused';
  if (current && isRunActive(current)) return 'runs.reason.running';
  return null;
}

export function RunsTab({ runsApi, enrichment, isAdmin }: { runsApi: RunsApi; enrichment: Enrichment; isAdmin: boolean }) {
  const styles = useStyles();
  const { t } = useI18n();
  const runs = useLiveRuns(runsApi, enrichment.id);
  const [starting, setStarting] = useState(false);
  // `runId` ties a notice to a run: "the run has started" lasts only as long as that run does.
  const [notice, setNotice] = useState<{ intent: 'success' | 'error'; text: string; runId?: string } | null>(null);
  const reasonId = useId();
  const { navigate } = useNavigation();

  if (runs.status === 'loading') return <LoadingState label={t('state.loading')} lines={4} />;
  if (runs.status === 'error') return <ErrorState problem={runs.problem} onRetry={runs.retry} />;

  const current = runs.current;
  const blocker = runNowBlocker(enrichment, current);

  const runNow = async () => {
    setStarting(true);
    setNotice(null);
    try {
      const started = await runsApi.startRun(enrichment.id);
      runs.upsert(started);
      setNotice({ intent: 'success', text: t('runs.started'), runId: started.id });
    } catch (error) {
      setNotice({ intent: 'error', text: toProblem(error).detail });
    } finally {
      setStarting(false);
    }
  };

  const cancel = async () => {
    if (!current) return;
    runs.upsert(await runsApi.cancelRun(enrichment.id, current.id));
    setNotice({ intent: 'success', text: t('runs.cancelled') });
  };

  // A run-bound notice disappears once its run is no longer the active one.
  const shownNotice = notice?.runId && !(current?.id === notice.runId && isRunActive(current)) ? null : notice;
  const finished = current && current.state === 'completed' ? current : null;

  return (
    <div className={styles.root}>
      {isAdmin ? (
        <div className={styles.toolbar}>
          <Button
            appearance="primary"
            icon={starting ? <Spinner size="tiny" /> : <PlayRegular />}
            // Focusable while disabled, so keyboard and screen reader users reach the reason.
            disabledFocusable={!!blocker || starting}
            onClick={runNow}
            aria-describedby={blocker ? reasonId : undefined}
            data-testid="run-now"
          >
            {starting ? t('runs.starting') : t('runs.runNow')}
          </Button>
          {blocker ? (
            <Caption1 id={reasonId} className={styles.muted} data-testid="run-now-reason">
              {t(blocker)}
            </Caption1>
          ) : null}
        </div>
      ) : (
        <Caption1 className={styles.muted} data-testid="runs-seller-note">
          {t('runs.reason.adminOnly')}
        </Caption1>
      )}
      {shownNotice ? (
        <MessageBar
          intent={shownNotice.intent}
          layout="multiline"
          className={styles.notice}
          role={shownNotice.intent === 'error' ? 'alert' : 'status'}
          data-testid="runs-notice"
        >
          <MessageBarBody>{shownNotice.text}</MessageBarBody>
        </MessageBar>
      ) : null}
      {finished ? (
        <div className={styles.toolbar}>
          <Button
            appearance={isAdmin ? 'secondary' : 'primary'}
            icon={<TableRegular />}
            onClick={() => navigate('results', { enrichmentId: enrichment.id })}
            data-testid="run-see-results"
          >
            {t('runs.seeResults')}
          </Button>
        </div>
      ) : null}
      {runs.pollProblem ? (
        <MessageBar intent="warning" layout="multiline" className={styles.notice}>
          <MessageBarBody>{t('runs.pollFailed', { detail: runs.pollProblem.detail })}</MessageBarBody>
        </MessageBar>
      ) : null}
      {current ? (
        <RunProgressPane run={current} canCancel={isAdmin} onCancel={cancel} />
      ) : (
        <EmptyState testId="runs-empty" message={t('runs.none')} next={isAdmin ? t('runs.noneAdmin') : t('runs.noneMember')} />
      )}
      <ScheduleSettings
        runsApi={runsApi}
        enrichmentId={enrichment.id}
        isAdmin={isAdmin}
        refreshKey={current ? `${current.id}:${isRunActive(current) ? 'active' : 'ended'}` : 'none'}
      />
      <HalfLifeSettings enrichment={enrichment} isAdmin={isAdmin} />
      <PrivacyThresholdSettings enrichment={enrichment} isAdmin={isAdmin} />
      {runs.data.length > 0 ? <RunHistoryTable runs={runs.data} /> : null}
    </div>
  );
}
