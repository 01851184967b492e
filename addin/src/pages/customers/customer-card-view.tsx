import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { TableRegular } from '@fluentui/react-icons';
import { BackBreadcrumb, type Crumb } from '../../components/back-breadcrumb';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { useApiResource } from '../../platform/api/use-api-resource';
import { useInsightsApi } from '../../platform/api/use-insights-api';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useNavigation } from '../../platform/navigation/navigation';
import { useQueryParam } from '../../platform/use-query-param';
import { CustomerCard } from './customer-card';

const useStyles = makeStyles({
  cardLinks: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

/** One account's card, with the way back to where the seller came from. */
export function CardView({ enrichmentId, accountId }: { enrichmentId: string; accountId: string }) {
  const styles = useStyles();
  const { t } = useI18n();
  const api = useInsightsApi();
  const { navigate } = useNavigation();
  const card = useApiResource((signal) => api.getCustomer(enrichmentId, accountId, signal), [api, enrichmentId, accountId]);
  const from = useQueryParam('from');
  const q = useQueryParam('q');
  const segmentId = useQueryParam('segmentId');
  const fromView = useQueryParam('fromView');
  // Back to where the seller came from: the accounts grid, a segment's members, or the search.
  const origin: Crumb =
    from === 'results'
      ? {
          label: t('nav.accounts'),
          onOpen: () => navigate('results', { enrichmentId, ...(fromView === 'data' ? { view: 'data' } : {}) }),
          testId: 'crumb-origin',
        }
      : from === 'segments'
        ? { label: t('nav.segments'), onOpen: () => navigate('segments', { enrichmentId, segmentId }), testId: 'crumb-origin' }
        : { label: t('customers.searchCrumb'), onOpen: () => navigate('customers', { enrichmentId, q }), testId: 'crumb-origin' };
  const name = card.status === 'ready' ? card.data.account.name : accountId;
  return (
    <>
      <BackBreadcrumb crumbs={[origin, { label: name }]} />
      {card.status === 'loading' ? (
        <LoadingState label={t('state.loading')} lines={8} />
      ) : card.status === 'error' ? (
        <ErrorState problem={card.problem} onRetry={card.retry} />
      ) : (
        <>
          <div className={styles.cardLinks}>
            <Button
              icon={<TableRegular />}
              onClick={() => navigate('results', { enrichmentId, view: 'data', account: accountId })}
              data-testid="card-open-rows"
            >
              {t('card.openRows')}
            </Button>
          </div>
          <CustomerCard card={card.data} />
        </>
      )}
    </>
  );
}
