import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeading } from '../../components/page-heading';
import { PageLayout } from '../../components/page-layout';
import { useEnrichmentChoice } from '../../components/results/use-enrichment-choice';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useMe } from '../../platform/session/session-provider';
import { useQueryParam } from '../../platform/use-query-param';
import { CardView } from './customer-card-view';
import { SearchView } from './customer-search';

/**
 * Customers: instant search by name or id, and the customer card (`?accountId=…`). A card link
 * without `enrichmentId` (a deep link, a bookmark) shows the account in the tenant's current
 * result; `from` says where the seller came from, for the breadcrumb back.
 */
export function CustomersPage() {
  const { t } = useI18n();
  const accountId = useQueryParam('accountId');
  const enrichmentId = useQueryParam('enrichmentId');
  return (
    <PageLayout label={t('customers.title')}>
      <PageHeading>{t('customers.title')}</PageHeading>
      {accountId ? (
        enrichmentId ? (
          <CardView enrichmentId={enrichmentId} accountId={accountId} />
        ) : (
          <CurrentEnrichmentCard accountId={accountId} />
        )
      ) : (
        <SearchView enrichmentId={enrichmentId} />
      )}
    </PageLayout>
  );
}

/** A card deep link without an enrichment: the tenant's current one (the latest published result). */
function CurrentEnrichmentCard({ accountId }: { accountId: string }) {
  const { t } = useI18n();
  const me = useMe();
  const choice = useEnrichmentChoice(null);
  if (choice.status === 'loading') return <LoadingState label={t('state.loading')} lines={8} />;
  if (choice.status === 'error') return <ErrorState problem={choice.problem} onRetry={choice.retry} />;
  if (!choice.data.enrichmentId) {
    return <EmptyState testId="empty-customers" message={t('customers.empty')} next={me.isAdmin ? t('customers.emptyAdmin') : t('customers.emptyMember')} />;
  }
  return <CardView enrichmentId={choice.data.enrichmentId} accountId={accountId} />;
}
