import {
  Button,
  Caption1,
  Field,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Switch,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import type { StringKey } from '../../platform/i18n/strings-en';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { RunsApi } from '../../platform/api/runs-api';
import type { RunSchedule } from '../../platform/api/contracts';
import { toProblem, useApiResource } from '../../platform/api/use-api-resource';
import { formatDateTimeWithZone } from './run-format';

const useStyles = makeStyles({
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    maxWidth: '480px',
    minWidth: 0,
  },
  title: { ...typographyStyles.subtitle2, margin: 0 },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground2 },
});

/** The intervals offered; another interval set through the API still shows as itself. */
export const scheduleIntervals = [24, 168, 336, 720] as const;

/** When the enrichment refreshes by itself: weekly by default; admins change it or turn it off. */
export function ScheduleSettings({
  runsApi,
  enrichmentId,
  isAdmin,
  refreshKey,
}: {
  runsApi: RunsApi;
  enrichmentId: string;
  isAdmin: boolean;
  /** Changes when a run ends, so the next/last times are re-read. */
  refreshKey: string;
}) {
  const styles = useStyles();
  const { t, locale } = useI18n();
  const schedule = useApiResource((signal) => runsApi.getSchedule(enrichmentId, signal), [runsApi, enrichmentId, refreshKey]);
  const [draft, setDraft] = useState<{ enabled: boolean; intervalHours: number } | null>(null);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
  const saved: RunSchedule | null = schedule.status === 'ready' ? schedule.data : null;

  useEffect(() => {
    if (saved) setDraft({ enabled: saved.enabled, intervalHours: saved.intervalHours });
  }, [saved]);

  const title = (
    <h2 id="schedule-title" className={styles.title}>
      {t('schedule.title')}
    </h2>
  );
  if (schedule.status === 'error') {
    return (
      <section className={styles.section} aria-labelledby="schedule-title">
        {title}
        <ErrorState problem={schedule.problem} onRetry={schedule.retry} />
      </section>
    );
  }
  if (schedule.status === 'loading' || !draft) {
    return (
      <section className={styles.section} aria-labelledby="schedule-title">
        {title}
        <LoadingState label={t('state.loading')} lines={2} />
      </section>
    );
  }

  const intervals: number[] = (scheduleIntervals as readonly number[]).includes(draft.intervalHours)
    ? [...scheduleIntervals]
    : [...scheduleIntervals, draft.intervalHours].sort((a, b) => a - b);
  const intervalLabel = (hours: number) =>
    (scheduleIntervals as readonly number[]).includes(hours)
      ? t(`schedule.interval.${hours}` as StringKey)
      : t('schedule.intervalHours', { hours });
  const changed = !!saved && (saved.enabled !== draft.enabled || (draft.enabled && saved.intervalHours !== draft.intervalHours));

  const save = async () => {
    setSaving(true);
    setNotice(null);
    try {
      await runsApi.setSchedule(enrichmentId, draft.enabled ? draft : { enabled: false });
      setNotice({ intent: 'success', text: t('schedule.saved') });
      schedule.retry();
    } catch (error) {
      setNotice({ intent: 'error', text: toProblem(error).detail });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className={styles.section} aria-labelledby="schedule-title" data-testid="schedule-settings">
      {title}
      {isAdmin ? (
        <>
          <div className={styles.row}>
            <Switch
              label={t('schedule.enabled')}
              checked={draft.enabled}
              onChange={(_, data) => setDraft({ ...draft, enabled: data.checked })}
              data-testid="schedule-enabled"
            />
            <Field label={t('schedule.interval')}>
              <Select
                value={String(draft.intervalHours)}
                disabled={!draft.enabled}
                onChange={(_, data) => setDraft({ ...draft, intervalHours: Number(data.value) })}
                data-testid="schedule-interval"
              >
                {intervals.map((h) => (
                  <option key={h} value={String(h)}>
                    {intervalLabel(h)}
                  </option>
                ))}
              </Select>
            </Field>
            <Button
              appearance="secondary"
              onClick={save}
              disabled={!changed || saving}
              icon={saving ? <Spinner size="tiny" /> : undefined}
              data-testid="schedule-save"
            >
              {t('schedule.save')}
            </Button>
          </div>
        </>
      ) : (
        <Caption1 className={styles.muted}>
          {saved?.enabled ? intervalLabel(saved.intervalHours) : null} {t('schedule.readOnly')}
        </Caption1>
      )}
      <Caption1 className={styles.muted} data-testid="schedule-next">
        {saved?.enabled && saved.nextRunAt
          ? t('schedule.next', { date: formatDateTimeWithZone(saved.nextRunAt, locale.formatLocale) })
          : saved?.enabled
            ? null
            : t('schedule.off')}
      </Caption1>
      {notice ? (
        <MessageBar intent={notice.intent} layout="multiline" role={notice.intent === 'error' ? 'alert' : 'status'}>
          <MessageBarBody>{notice.text}</MessageBarBody>
        </MessageBar>
      ) : null}
    </section>
  );
}
