import { Caption1, Switch, makeStyles, tokens } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { createAlertsApi } from '../../platform/api/alerts-api';
import { toProblem, useApiResource } from '../../platform/api/use-api-resource';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useSession } from '../../platform/session/session-provider';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  error: { color: tokens.colorPaletteRedForeground1 },
});

/**
 * A seller's own account alerts, on or off (muted), on the Customers page: a setting of the user,
 * whatever enrichment alerts them. Shown once its state is known; a failed save says why.
 */
export function AlertsMuteSwitch() {
  const styles = useStyles();
  const { t } = useI18n();
  const { api } = useSession();
  const alerts = useMemo(() => createAlertsApi(api), [api]);
  const current = useApiResource((signal) => alerts.mute(signal), [alerts]);
  const [muted, setMuted] = useState<boolean | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (current.status !== 'ready') return null;
  const value = muted ?? current.data.muted;

  const change = async (on: boolean) => {
    setSaving(true);
    setError(null);
    try {
      setMuted((await alerts.setMute(!on)).muted);
    } catch (e) {
      setError(toProblem(e).detail);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className={styles.row}>
      <Switch checked={!value} disabled={saving} onChange={(_, d) => void change(d.checked)} label={t('alerts.mute')} data-testid="alerts-mute" data-muted={value} />
      {error ? (
        <Caption1 role="alert" className={styles.error}>
          {error}
        </Caption1>
      ) : null}
    </div>
  );
}
