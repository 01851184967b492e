import { Badge, Body1, Button, Caption1, Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowLeftRegular, TableRegular } from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import { useNavigation } from '../../platform/navigation/navigation';
import { urlWithParams } from '../../platform/navigation/page-id';
import { useMe, useSession } from '../../platform/session/session-provider';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeading } from '../../components/page-heading';
import { PageLayout } from '../../components/page-layout';
import { useAdminApi } from '../../platform/api/use-admin-api';
import type { ConsentState } from '../../platform/api/contracts';
import type { StringKey } from '../../platform/i18n/strings-en';
import { useI18n } from '../../platform/i18n/i18n-context';
import { createRunsApi } from '../../platform/api/runs-api';
import { useApiResource } from '../../platform/api/use-api-resource';
import { useQueryParam } from '../../platform/use-query-param';
import { createAdminViewsApi } from '../../platform/api/admin-views-api';
import { EstimateTab } from '../admin-views/estimate-tab';
import { MailboxHealthTab } from '../admin-views/mailbox-health-tab';
import { UnmatchedDomainsTab } from '../admin-views/unmatched-domains-tab';
import { RunsTab } from './runs-tab';
import { createWebhooksApi } from '../../platform/api/webhooks-api';
import { WebhookTab } from './webhook-tab';
import { createAlertsApi } from '../../platform/api/alerts-api';
import { AlertsTab } from './alerts-tab';

const useStyles = makeStyles({
  back: { alignSelf: 'flex-start' },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0, overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground2 },
  tabs: { flexWrap: 'wrap' },
  results: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalM, maxWidth: '640px' },
});

const consentBadge: Record<ConsentState, { key: StringKey; color: 'warning' | 'success' | 'danger' }> = {
  awaiting: { key: 'enrichmentDetail.consent.awaiting', color: 'warning' },
  consented: { key: 'enrichmentDetail.consent.consented', color: 'success' },
  refused: { key: 'enrichmentDetail.consent.refused', color: 'danger' },
};

const DETAIL_TABS = ['runs', 'results', 'webhook', 'alerts', 'estimate', 'health', 'domains'] as const;
type DetailTab = (typeof DETAIL_TABS)[number];
/** Tabs for admins only (they never render for anyone else). */
const ADMIN_TABS: readonly DetailTab[] = ['webhook', 'alerts', 'estimate', 'health', 'domains'];
const tabFrom = (value: unknown): DetailTab => (DETAIL_TABS.includes(value as DetailTab) ? (value as DetailTab) : 'runs');
const tabLabel: Record<DetailTab, StringKey> = {
  runs: 'enrichmentDetail.tab.runs',
  results: 'enrichmentDetail.tab.results',
  alerts: 'enrichmentDetail.tab.alerts',
  webhook: 'enrichmentDetail.tab.webhook',
  estimate: 'enrichmentDetail.tab.estimate',
  health: 'enrichmentDetail.tab.health',
  domains: 'enrichmentDetail.tab.domains',
};

/**
 * One enrichment (`?page=enrichment&enrichmentId=…[&tab=results|alerts|webhook|estimate|health|domains]`): its consent state, the
 * live progress of its current run, the schedule and run history, a way to its results, and
 * the webhook notified on each publish.
 * The tab is mirrored in the URL so a deep link or the back button returns to the same view.
 */
export function EnrichmentDetailPage() {
  const styles = useStyles();
  const { t } = useI18n();
  const me = useMe();
  const { api } = useSession();
  const admin = useAdminApi();
  const runsApi = useMemo(() => createRunsApi(api), [api]);
  const webhooksApi = useMemo(() => createWebhooksApi(api), [api]);
  const alertsApi = useMemo(() => createAlertsApi(api), [api]);
  const { navigate } = useNavigation();
  const enrichmentId = useQueryParam('enrichmentId');
  const adminViews = useMemo(() => createAdminViewsApi(api), [api]);
  const [tab, setTab] = useState<DetailTab>(() => tabFrom(new URLSearchParams(window.location.search).get('tab')));
  const enrichment = useApiResource(
    (signal) => (enrichmentId ? admin.getEnrichment(enrichmentId, signal) : Promise.resolve(null)),
    [admin, enrichmentId],
  );

  const backButton = (
    <Button className={styles.back} appearance="subtle" icon={<ArrowLeftRegular />} onClick={() => navigate('enrichments', { enrichmentId: null, tab: null })}>
      {t('enrichmentDetail.back')}
    </Button>
  );

  if (enrichment.status !== 'ready' || !enrichment.data) {
    return (
      <PageLayout label={t('enrichmentDetail.title')}>
        {backButton}
        <PageHeading>{t('enrichmentDetail.title')}</PageHeading>
        {enrichment.status === 'loading' ? (
          <LoadingState label={t('state.loading')} lines={4} />
        ) : enrichment.status === 'error' ? (
          <ErrorState problem={enrichment.problem} onRetry={enrichment.retry} />
        ) : (
          <EmptyState testId="enrichment-missing" message={t('enrichmentDetail.notFound')} />
        )}
      </PageLayout>
    );
  }

  const e = enrichment.data;
  const consent = consentBadge[e.consent.state];
  return (
    <PageLayout label={e.name}>
      {backButton}
      <div className={styles.head}>
        <PageHeading>{e.name}</PageHeading>
        <Badge appearance="tint" color={consent.color} data-testid="detail-consent" data-consent={e.consent.state}>
          {t(consent.key)}
        </Badge>
        {e.paused ? (
          <Badge appearance="outline" color="informative">
            {t('enrichmentDetail.paused')}
          </Badge>
        ) : null}
      </div>
      <Caption1 className={styles.muted}>
        {t('enrichmentDetail.meta', { mailboxes: e.mailboxes.count, entity: e.entityName })}
      </Caption1>
      <TabList
        className={styles.tabs}
        selectedValue={tab}
        onTabSelect={(_, data) => {
          const next = tabFrom(data.value);
          setTab(next);
          // Replace, not push: switching tabs is not a page of its own for Back, and focus
          // stays on the tab list (a navigation would move it to the heading).
          window.history.replaceState(window.history.state, '', urlWithParams(window.location.href, { tab: next === 'runs' ? null : next }));
        }}
        aria-label={t('enrichmentDetail.tabsLabel')}
      >
        {DETAIL_TABS.filter((value) => me.isAdmin || !ADMIN_TABS.includes(value)).map((value) => (
          <Tab key={value} value={value} data-testid={`detail-tab-${value}`}>
            {t(tabLabel[value])}
          </Tab>
        ))}
      </TabList>
      <div role="tabpanel" aria-label={t(tabLabel[tab])}>
        {tab === 'runs' ? (
          <RunsTab runsApi={runsApi} enrichment={e} isAdmin={me.isAdmin} />
        ) : tab === 'alerts' && me.isAdmin ? (
          <AlertsTab api={alertsApi} enrichmentId={e.id} />
        ) : tab === 'webhook' && me.isAdmin ? (
          <WebhookTab api={webhooksApi} enrichmentId={e.id} />
        ) : tab === 'estimate' && me.isAdmin ? (
          <EstimateTab api={adminViews} runsApi={runsApi} enrichment={e} />
        ) : tab === 'health' && me.isAdmin ? (
          <MailboxHealthTab api={adminViews} runsApi={runsApi} enrichmentId={e.id} />
        ) : tab === 'domains' && me.isAdmin ? (
          <UnmatchedDomainsTab api={adminViews} enrichment={e} />
        ) : (
          <div className={styles.results}>
            <Body1>{t('enrichmentDetail.resultsIntro')}</Body1>
            <Button
              appearance="primary"
              icon={<TableRegular />}
              onClick={() => navigate('results', { enrichmentId: e.id, tab: null, view: null })}
              data-testid="open-results"
            >
              {t('enrichmentDetail.openResults')}
            </Button>
          </div>
        )}
      </div>
    </PageLayout>
  );
}
