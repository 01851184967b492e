import {
  Badge,
  Body1,
  Button,
  Caption1,
  Field,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { DismissCircleRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import type { StringKey } from '../../platform/i18n/strings-en';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { Run } from '../../platform/api/contracts';
import { isRunActive, isRunCancellable } from '../../platform/api/run-states';
import { RunEstimateComparison, comparesWithEstimate } from './run-estimate-comparison';
import { formatDateTime, progressFraction } from './run-format';

const useStyles = makeStyles({
  pane: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    paddingBlock: tokens.spacingVerticalM,
    paddingInline: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    maxWidth: '720px',
    boxSizing: 'border-box',
    minWidth: 0,
  },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  title: { ...typographyStyles.subtitle2, margin: 0, marginInlineEnd: 'auto' },
  figures: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))',
    gap: tokens.spacingHorizontalM,
    margin: 0,
  },
  figure: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  label: { ...typographyStyles.caption1, color: tokens.colorNeutralForeground2 },
  value: { ...typographyStyles.body1Strong, margin: 0, overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground2 },
  errors: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  errorItem: { overflowWrap: 'anywhere' },
  errorsTitle: { ...typographyStyles.body1Strong, margin: 0 },
});

const stateColor: Record<Run['state'], 'informative' | 'brand' | 'success' | 'danger' | 'subtle'> = {
  queued: 'informative',
  running: 'brand',
  merging: 'brand',
  completed: 'success',
  failed: 'danger',
  cancelled: 'subtle',
};

/**
 * The progress details of the newest run: a bar over the mailboxes finished, the counters the
 * engine records as it goes, each mailbox that failed with its reason and, once a full run has
 * completed, its estimate beside what it did. Admins can cancel a run that has not started publishing.
 */
export function RunProgressPane({
  run,
  canCancel,
  onCancel,
}: {
  run: Run;
  canCancel: boolean;
  onCancel(): Promise<void>;
}) {
  const styles = useStyles();
  const { t, format, locale } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const active = isRunActive(run);
  const c = run.counters;
  const fraction = progressFraction(c, run.state);
  const when = (iso: string | null) => (iso ? formatDateTime(iso, locale.formatLocale) : t('runs.notYet'));
  const figures: Array<{ id: string; label: StringKey; value: string }> = [
    { id: 'phase', label: 'runs.phase', value: t(`runs.phase.${run.phase}` as StringKey) },
    { id: 'done', label: 'runs.mailboxesDone', value: format.number(c.mailboxesDone) },
    { id: 'failed', label: 'runs.mailboxesFailed', value: format.number(c.mailboxesFailed) },
    { id: 'pending', label: 'runs.mailboxesPending', value: format.number(c.mailboxesPending) },
    { id: 'messages', label: 'runs.messagesRead', value: format.number(c.messagesRead) },
    { id: 'events', label: 'runs.eventsRead', value: format.number(c.eventsRead) },
    { id: 'started', label: 'runs.startedAt', value: when(run.startedAt) },
    { id: 'ended', label: 'runs.endedAt', value: when(run.endedAt) },
  ];

  return (
    <section className={styles.pane} aria-labelledby="run-progress-title" data-testid="run-progress-pane" data-run-id={run.id} data-state={run.state}>
      <div className={styles.head}>
        <h2 id="run-progress-title" className={styles.title}>
          {active ? t('runs.progressTitle') : t('runs.lastRunTitle')}
        </h2>
        {/* A status region: state changes are announced, the counters' every tick is not. */}
        <Badge appearance="tint" color={stateColor[run.state]} role="status" data-testid="run-state">
          {t(`run.state.${run.state}` as StringKey)}
        </Badge>
        {canCancel && isRunCancellable(run) ? (
          <Button size="small" icon={<DismissCircleRegular />} onClick={() => setConfirming(true)} data-testid="cancel-run">
            {t('runs.cancel')}
          </Button>
        ) : null}
      </div>
      <Field
        label={t('runs.progressLabel')}
        hint={t('runs.progressValue', { done: c.mailboxesDone + c.mailboxesFailed, total: c.mailboxesTotal })}
        validationState="none"
      >
        <ProgressBar
          value={fraction ?? undefined}
          max={1}
          thickness="large"
          color={run.state === 'failed' ? 'error' : run.state === 'completed' ? 'success' : 'brand'}
          data-testid="run-progress"
          data-fraction={fraction === null ? '' : String(fraction)}
        />
      </Field>
      {active ? (
        <Caption1 className={styles.muted}>
          {t('runs.updatesLive')}
        </Caption1>
      ) : null}
      <dl className={styles.figures}>
        {figures.map((f) => (
          <div key={f.id} className={styles.figure} data-figure={f.id}>
            <dt className={styles.label}>{t(f.label)}</dt>
            <dd className={styles.value}>{f.value}</dd>
          </div>
        ))}
      </dl>
      {comparesWithEstimate(run) ? <RunEstimateComparison run={run} /> : null}
      {run.failureReason ? (
        // A cancelled run carries who cancelled it in the same field; it is no failure.
        <MessageBar intent={run.state === 'failed' ? 'error' : 'info'} layout="multiline" data-testid="run-reason">
          <MessageBarBody>{run.state === 'failed' ? t('runs.failureReason', { reason: run.failureReason }) : run.failureReason}</MessageBarBody>
        </MessageBar>
      ) : null}
      {run.errors.length > 0 ? (
        <div data-testid="run-errors">
          <h3 className={styles.errorsTitle}>{t('runs.errorsTitle', { count: run.errors.length })}</h3>
          <ul className={styles.errors}>
            {run.errors.map((e) => (
              <li key={`${e.userId}-${e.at}`} className={styles.errorItem}>
                <Body1>{t('runs.errorsMailbox', { userId: e.userId })}</Body1>{' '}
                <Caption1 className={styles.muted}>
                  {e.reason} · {formatDateTime(e.at, locale.formatLocale)}
                </Caption1>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={t('runs.cancelTitle')}
        confirmLabel={t('runs.cancelConfirm')}
        testId="cancel-run-dialog"
        onClose={() => setConfirming(false)}
        onConfirm={onCancel}
      >
        <Body1>{t('runs.cancelBody')}</Body1>
      </ConfirmDialog>
    </section>
  );
}
