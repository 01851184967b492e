import { Button, Link, Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowLeftRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useNavigation } from '../../platform/navigation/navigation';
import { useMe } from '../../platform/session/session-provider';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeading } from '../../components/page-heading';
import { PageLayout } from '../../components/page-layout';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { OutputRow, ResultsOverview as Overview } from '../../platform/api/contracts';
import { useInsightsApi } from '../../platform/api/use-insights-api';
import { useApiResource } from '../../platform/api/use-api-resource';
import { useQueryParam } from '../../platform/use-query-param';
import { EnrichmentSelect } from '../../components/results/enrichment-select';
import { useUnmatchedShare } from '../admin-views/use-unmatched-share';
import { ResultsOverview } from './results-overview';
import { RowsExplorer } from '../../components/results/rows-explorer';
import { useEnrichmentChoice } from '../../components/results/use-enrichment-choice';
import { UsersTable } from './users-table';

const useStyles = makeStyles({
  top: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end' },
  back: { alignSelf: 'flex-start' },
  source: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', minWidth: 0 },
});

/**
 * Accounts: the results of one enrichment (`?page=results&enrichmentId=…`), the overview, and
 * with `view=data` every account's rows in a grid (`account=<id>` opens it on that account's
 * monthly rows, as the customer card's link does). Account names open the customer card.
 */
export function ResultsPage() {
  const styles = useStyles();
  const { t } = useI18n();
  const me = useMe();
  const { navigate } = useNavigation();
  const choice = useEnrichmentChoice(useQueryParam('enrichmentId'));
  const view = useQueryParam('view');
  const account = useQueryParam('account');

  return (
    <PageLayout label={t('results.title')}>
      <PageHeading>{t('results.title')}</PageHeading>
      {choice.status === 'loading' ? (
        <LoadingState label={t('state.loading')} lines={4} />
      ) : choice.status === 'error' ? (
        <ErrorState problem={choice.problem} onRetry={choice.retry} />
      ) : !choice.data.enrichmentId ? (
        <EmptyState
          testId="results-no-enrichment"
          message={t('results.noEnrichment')}
          next={me.isAdmin ? t('results.noEnrichmentAdmin') : t('results.noEnrichmentNext')}
        />
      ) : (
        <>
          <div className={styles.source}>
            <EnrichmentSelect
              enrichments={choice.data.enrichments}
              value={choice.data.enrichmentId}
              onChange={(id) => navigate('results', { enrichmentId: id })}
            />
            {me.isAdmin ? (
              // Admins go from what an enrichment produced to the enrichment itself (runs, schedule).
              <Link as="button" onClick={() => navigate('enrichment', { enrichmentId: choice.data.enrichmentId })} data-testid="results-enrichment-link">
                {t('results.openEnrichment', {
                  name: choice.data.enrichments.find((e) => e.id === choice.data.enrichmentId)?.name ?? choice.data.enrichmentId ?? '',
                })}
              </Link>
            ) : null}
          </div>
          <EnrichmentResults
            key={`${choice.data.enrichmentId}|${account ?? ''}`}
            enrichmentId={choice.data.enrichmentId}
            dataView={view === 'data'}
            account={account}
            onView={(next) => navigate('results', { enrichmentId: choice.data.enrichmentId, view: next })}
          />
        </>
      )}
    </PageLayout>
  );
}

function EnrichmentResults({
  enrichmentId,
  dataView,
  account,
  onView,
}: {
  enrichmentId: string;
  dataView: boolean;
  account: string | null;
  onView(view: 'data' | null): void;
}) {
  const { t } = useI18n();
  const api = useInsightsApi();
  const { navigate } = useNavigation();
  const overview = useApiResource((signal) => api.getResults(enrichmentId, signal), [api, enrichmentId]);
  const unmatchedShare = useUnmatchedShare(enrichmentId, useMe().isAdmin);
  const openAccount = (row: Partial<OutputRow>) =>
    navigate('customers', { accountId: row.AccountId ?? null, enrichmentId, from: 'results', ...(dataView ? { fromView: 'data' } : {}) });
  if (overview.status === 'loading') return <LoadingState label={t('state.loading')} lines={6} />;
  if (overview.status === 'error') return <ErrorState problem={overview.problem} onRetry={overview.retry} />;
  const data = overview.data;
  if (!data.current) {
    const state = data.lastRun?.state;
    return (
      <EmptyState
        testId="results-empty"
        message={t('results.empty')}
        next={state ? t('results.emptyLastRun', { state: t(`run.state.${state}`) }) : t('results.emptyNext')}
      />
    );
  }
  return dataView ? (
    <DataView overview={data} enrichmentId={enrichmentId} account={account} onBack={() => onView(null)} onOpenAccount={openAccount} />
  ) : (
    <ResultsOverview
      overview={data}
      onSeeMore={() => onView('data')}
      onOpenAccount={openAccount}
      unmatched={unmatchedShare === null ? null : { share: unmatchedShare, onOpen: () => navigate('enrichment', { enrichmentId, tab: 'domains', view: null, account: null }) }}
    />
  );
}

function DataView({
  overview,
  enrichmentId,
  account,
  onBack,
  onOpenAccount,
}: {
  overview: Overview;
  enrichmentId: string;
  account: string | null;
  onBack(): void;
  onOpenAccount(row: Partial<OutputRow>): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const me = useMe();
  const api = useInsightsApi();
  const [choice, setEntity] = useState<'accounts' | 'users'>('accounts');
  // The API refuses the mailbox list to sellers: never ask for it on their behalf.
  const entity = me.isAdmin ? choice : 'accounts';
  return (
    <>
      <div className={styles.top}>
        <Button className={styles.back} appearance="subtle" icon={<ArrowLeftRegular />} onClick={onBack} data-testid="back-to-overview">
          {t('results.backToOverview')}
        </Button>
        {/* The list of mailboxes read is configuration, for admins; sellers see the accounts only. */}
        {me.isAdmin ? (
          <TabList selectedValue={entity} onTabSelect={(_, d) => setEntity(d.value as 'accounts' | 'users')} size="small">
            <Tab value="accounts" data-testid="entity-accounts">
              {t('results.accountsTab')}
            </Tab>
            <Tab value="users" data-testid="entity-users">
              {t('results.usersTab')}
            </Tab>
          </TabList>
        ) : null}
      </div>
      {entity === 'accounts' ? (
        <RowsExplorer
          label={t('results.gridLabel')}
          fileBase={overview.entityName}
          privacyThreshold={overview.privacyThreshold}
          testId="results-grid"
          loadPage={(view, page, signal) => api.listRows(enrichmentId, view, page, signal)}
          download={(view, locale) => api.downloadRowsCsv(enrichmentId, view, locale)}
          downloadEntity={() => api.downloadRowsParquet(enrichmentId)}
          loadPeriods={async (level, signal) => (await api.listPeriods(enrichmentId, level, signal)).periods}
          onOpenAccount={onOpenAccount}
          {...(account ? { initial: { search: account, level: 'Month' as const } } : {})}
        />
      ) : (
        <UsersTable enrichmentId={enrichmentId} label={t('results.usersTab')} />
      )}
    </>
  );
}
