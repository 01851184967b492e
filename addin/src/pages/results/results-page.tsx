import { Button, Caption1, Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowLeftRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useNavigation } from '../../app/navigation';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeading } from '../../components/page-heading';
import { PageLayout } from '../../components/page-layout';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { ResultsOverview as Overview } from '../../platform/insights-api-types';
import { useInsightsApi } from '../../platform/use-insights-api';
import { useApiResource } from '../../platform/use-api-resource';
import { useQueryParam } from '../../platform/use-query-param';
import { EnrichmentSelect } from './enrichment-select';
import { ResultsOverview } from './results-overview';
import { RowsExplorer } from './rows-explorer';
import { useEnrichmentChoice } from './use-enrichment-choice';
import { UsersTable } from './users-table';

const useStyles = makeStyles({
  top: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end' },
  back: { alignSelf: 'flex-start' },
  entity: { color: tokens.colorNeutralForeground2 },
});

/**
 * Results of one enrichment (`?page=results&enrichmentId=…`): the overview, and with
 * `view=data` the whole output entity in a grid next to the user entity.
 */
export function ResultsPage() {
  const { t } = useI18n();
  const { navigate } = useNavigation();
  const choice = useEnrichmentChoice(useQueryParam('enrichmentId'));
  const view = useQueryParam('view');

  return (
    <PageLayout label={t('results.title')}>
      <PageHeading>{t('results.title')}</PageHeading>
      {choice.status === 'loading' ? (
        <LoadingState label={t('state.loading')} lines={4} />
      ) : choice.status === 'error' ? (
        <ErrorState problem={choice.problem} onRetry={choice.retry} />
      ) : !choice.data.enrichmentId ? (
        <EmptyState testId="results-no-enrichment" message={t('results.noEnrichment')} next={t('results.noEnrichmentNext')} />
      ) : (
        <>
          <EnrichmentSelect
            enrichments={choice.data.enrichments}
            value={choice.data.enrichmentId}
            onChange={(id) => navigate('results', { enrichmentId: id, view: null })}
          />
          <EnrichmentResults
            enrichmentId={choice.data.enrichmentId}
            dataView={view === 'data'}
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
  onView,
}: {
  enrichmentId: string;
  dataView: boolean;
  onView(view: 'data' | null): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const api = useInsightsApi();
  const overview = useApiResource((signal) => api.getResults(enrichmentId, signal), [api, enrichmentId]);
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
  return (
    <>
      <Caption1 className={styles.entity}>{t('results.entity', { entity: data.entityName })}</Caption1>
      {dataView ? (
        <DataView overview={data} enrichmentId={enrichmentId} onBack={() => onView(null)} />
      ) : (
        <ResultsOverview overview={data} onSeeMore={() => onView('data')} />
      )}
    </>
  );
}

function DataView({ overview, enrichmentId, onBack }: { overview: Overview; enrichmentId: string; onBack(): void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const api = useInsightsApi();
  const [entity, setEntity] = useState<'accounts' | 'users'>('accounts');
  return (
    <>
      <div className={styles.top}>
        <Button className={styles.back} appearance="subtle" icon={<ArrowLeftRegular />} onClick={onBack} data-testid="back-to-overview">
          {t('results.backToOverview')}
        </Button>
        <TabList selectedValue={entity} onTabSelect={(_, d) => setEntity(d.value as 'accounts' | 'users')} size="small">
          <Tab value="accounts" data-testid="entity-accounts">
            {overview.entityName}
          </Tab>
          <Tab value="users" data-testid="entity-users">
            {overview.userEntityName}
          </Tab>
        </TabList>
      </div>
      {entity === 'accounts' ? (
        <RowsExplorer
          label={t('results.gridLabel', { entity: overview.entityName })}
          fileBase={overview.entityName}
          testId="results-grid"
          loadPage={(view, page, signal) => api.listRows(enrichmentId, view, page, signal)}
          download={(view) => api.downloadRowsCsv(enrichmentId, view)}
          downloadEntity={() => api.downloadRowsParquet(enrichmentId)}
          loadPeriods={async (level, signal) => (await api.listPeriods(enrichmentId, level, signal)).periods}
        />
      ) : (
        <UsersTable enrichmentId={enrichmentId} label={t('results.usersLabel', { entity: overview.userEntityName })} />
      )}
    </>
  );
}
