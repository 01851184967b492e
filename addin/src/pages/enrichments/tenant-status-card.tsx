import {
  Body1,
  Button,
  Caption1,
  Card,
  CardHeader,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { BuildingRegular } from '@fluentui/react-icons';
import { useMe, useSession } from '../../platform/session/session-provider';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useApiResource } from '../../platform/api/use-api-resource';

/** The API's problem code when the organisation has not granted the app admin consent. */
export const consentRequiredCode = 'consent-required';

const useStyles = makeStyles({
  card: { maxWidth: '640px' },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, max-content) minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
  },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  consent: { maxWidth: '640px' },
});

/**
 * The organisation as Microsoft Graph reports it (through the API): name and country. If the
 * app lacks admin consent the API says so, and that is shown as a warning rather than an
 * error because it is an expected first-run state.
 */
export function TenantStatusCard() {
  const styles = useStyles();
  const { t, format } = useI18n();
  const { api } = useSession();
  const me = useMe();
  const tenant = useApiResource((signal) => api.getTenant(signal), [api]);

  if (tenant.status === 'loading') return <LoadingState label={t('state.loading')} lines={2} />;
  if (tenant.status === 'error') {
    if (tenant.problem.code === consentRequiredCode) {
      return (
        <MessageBar intent="warning" layout="multiline" className={styles.consent} data-testid="tenant-consent">
          <MessageBarBody>
            <MessageBarTitle>{t('tenant.consentTitle')}</MessageBarTitle>
            {tenant.problem.detail}
            {me.isAdmin ? <div>{t('tenant.consentAdminHint')}</div> : null}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={tenant.retry}>{t('state.retry')}</Button>
          </MessageBarActions>
        </MessageBar>
      );
    }
    return <ErrorState problem={tenant.problem} onRetry={tenant.retry} />;
  }

  const { displayName, countryLetterCode, verifiedDomains } = tenant.data;
  return (
    <Card className={styles.card} data-testid="tenant-card" aria-label={t('tenant.title')}>
      <CardHeader
        image={<BuildingRegular fontSize={24} aria-hidden />}
        header={<Text weight="semibold">{displayName}</Text>}
        description={<Caption1>{t('tenant.title')}</Caption1>}
      />
      <dl className={styles.facts}>
        <dt className={styles.term}>
          <Body1>{t('tenant.country')}</Body1>
        </dt>
        <dd className={styles.value}>
          <Body1 data-testid="tenant-country">{format.region(countryLetterCode)}</Body1>
        </dd>
        <dt className={styles.term}>
          <Body1>{t('tenant.domains')}</Body1>
        </dt>
        <dd className={styles.value}>
          <Body1>{verifiedDomains.length > 0 ? verifiedDomains.join(', ') : '—'}</Body1>
        </dd>
      </dl>
    </Card>
  );
}
