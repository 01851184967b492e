import { Badge, Body1, Button, Caption1, Checkbox, Field, SearchBox, Select, makeStyles, tokens } from '@fluentui/react-components';
import { ChevronLeftRegular, ChevronRightRegular, TableRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useNavigation } from '../../platform/navigation/navigation';
import { useMe } from '../../platform/session/session-provider';
import { BackBreadcrumb, type Crumb } from '../../components/back-breadcrumb';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeading } from '../../components/page-heading';
import { PageLayout } from '../../components/page-layout';
import { useDebouncedValue } from '../../components/use-debounced-value';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useInsightsApi } from '../../platform/api/use-insights-api';
import { useApiResource, useLatestResource } from '../../platform/api/use-api-resource';
import { useQueryParam } from '../../platform/use-query-param';
import type { AccountSort, ScoreBand } from '../../platform/api/contracts';
import { ScoreBandBadge, ScoreChangeText } from '../../components/score-badges';
import { useEnrichmentChoice } from '../../components/results/use-enrichment-choice';
import { CustomerCard } from './customer-card';

const useStyles = makeStyles({
  search: { maxWidth: '360px', width: '100%' },
  controls: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end' },
  control: { minWidth: '160px', maxWidth: '100%' },
  itemScore: { display: 'flex', flexDirection: 'column', alignItems: 'flex-end', gap: tokens.spacingVerticalXXS, flexShrink: 0 },
  pager: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS, maxWidth: '640px' },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    maxWidth: '640px',
  },
  item: {
    width: '100%',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
    paddingBlock: tokens.spacingVerticalS,
    textAlign: 'start',
    minWidth: 0,
  },
  itemText: { display: 'flex', flexDirection: 'column', minWidth: 0, overflowWrap: 'anywhere', flexGrow: 1 },
  muted: { color: tokens.colorNeutralForeground2 },
  links: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  cardLinks: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

const resultLimit = 20;
const sorts: AccountSort[] = ['relevance', 'name', 'score', 'change', 'lastContact'];
const bands: ScoreBand[] = ['high', 'medium', 'low', 'none'];
/** "Cooling down": the Year score dropped by this much or more since the previous run. */
const coolingDrop = -10;

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

function SearchView({ enrichmentId }: { enrichmentId: string | null }) {
  const styles = useStyles();
  const { t } = useI18n();
  const api = useInsightsApi();
  const me = useMe();
  const { navigate } = useNavigation();
  const [search, setSearch] = useState(() => new URLSearchParams(window.location.search).get('q') ?? '');
  const [sort, setSort] = useState<AccountSort>('relevance');
  const [band, setBand] = useState<ScoreBand | ''>('');
  const [cooling, setCooling] = useState(false);
  const [offset, setOffset] = useState(0);
  // Short enough to feel instant, long enough not to send a request per key.
  const query = useDebouncedValue(search.trim(), 150);
  // A new search, order or filter starts again at the first page.
  useEffect(() => setOffset(0), [query, sort, band, cooling, enrichmentId]);
  // Only the answer to the latest request is shown: a slow answer for "Nor" never replaces "North".
  const latest = useLatestResource(
    (signal) =>
      api.searchAccounts(
        { search: query, enrichmentId, sort, band: band || undefined, changeMax: cooling ? coolingDrop : undefined, offset, limit: resultLimit },
        signal,
      ),
    [api, query, enrichmentId, sort, band, cooling, offset],
  );
  const filtered = band !== '' || cooling;
  const accounts = latest.status === 'loading' && latest.previous ? { status: 'ready' as const, data: latest.previous, retry: latest.retry } : latest;
  const updating = latest.status === 'loading' && !!latest.previous;

  const open = (id: string, resultEnrichmentId: string) =>
    navigate('customers', { accountId: id, enrichmentId: resultEnrichmentId, q: query || null });

  return (
    <>
      <Field label={t('customers.search')} hint={t('customers.searchHint')} className={styles.search}>
        <SearchBox
          value={search}
          onChange={(_, data) => setSearch(data.value)}
          maxLength={100}
          dismiss={{ 'aria-label': t('common.clearSearch') }}
          data-testid="customer-search"
        />
      </Field>
      <div className={styles.controls}>
        <Field label={t('customers.sort')} className={styles.control}>
          <Select value={sort} onChange={(_, data) => setSort(data.value as AccountSort)} data-testid="customer-sort">
            {sorts.map((s) => (
              <option key={s} value={s}>
                {t(`customers.sort.${s}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('customers.band')} className={styles.control}>
          <Select value={band} onChange={(_, data) => setBand(data.value as ScoreBand | '')} data-testid="customer-band">
            <option value="">{t('customers.band.all')}</option>
            {bands.map((b) => (
              <option key={b} value={b}>
                {t(`band.${b}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Checkbox checked={cooling} onChange={(_, data) => setCooling(data.checked === true)} label={t('customers.cooling')} data-testid="customer-cooling" />
      </div>
      {accounts.status === 'loading' ? (
        <LoadingState label={t('state.loading')} lines={4} />
      ) : accounts.status === 'error' ? (
        <ErrorState problem={accounts.problem} onRetry={accounts.retry} />
      ) : !accounts.data.runId ? (
        <EmptyState
          testId="empty-customers"
          message={t('customers.empty')}
          next={me.isAdmin ? t('customers.emptyAdmin') : t('customers.emptyMember')}
        />
      ) : accounts.data.items.length === 0 && accounts.data.offset === 0 ? (
        <EmptyState
          testId="no-matching-customers"
          message={query && !filtered ? t('customers.noMatches', { search: query }) : t('customers.noMatchesFiltered')}
        />
      ) : (
        <>
          <div className={styles.links}>
            <Caption1 aria-live="polite" data-testid="customer-total">
              {accounts.data.total > accounts.data.items.length
                ? t('customers.range', {
                    from: accounts.data.offset + 1,
                    to: accounts.data.offset + accounts.data.items.length,
                    total: accounts.data.total,
                  })
                : t('customers.total', { count: accounts.data.total })}
            </Caption1>
          </div>
          <ul className={styles.list} aria-label={t('customers.resultsLabel')} aria-busy={updating || undefined} data-testid="customer-results">
            {accounts.data.items.map((item) => (
              <li key={item.id}>
                <Button
                  className={styles.item}
                  appearance="subtle"
                  icon={<ChevronRightRegular />}
                  iconPosition="after"
                  onClick={() => open(item.id, accounts.data.enrichmentId!)}
                  data-account-id={item.id}
                >
                  <span className={styles.itemText}>
                    <Body1>{item.name}</Body1>
                    <Caption1 className={styles.muted}>{item.id}</Caption1>
                  </span>
                  <span className={styles.itemScore}>
                    {item.score === null ? (
                      <Badge appearance="outline" shape="rounded" data-testid="account-withheld">
                        {t('privacy.listWithheld')}
                      </Badge>
                    ) : (
                      <ScoreBandBadge score={item.score} />
                    )}
                    <ScoreChangeText change={item.change} previousAsOf={accounts.data.previousAsOf} />
                    {sort === 'lastContact' ? (
                      <Caption1 className={styles.muted}>
                        {item.daysSinceLastContact === null ? t('customers.noContact') : t('customers.lastContact', { days: item.daysSinceLastContact })}
                      </Caption1>
                    ) : null}
                  </span>
                </Button>
              </li>
            ))}
          </ul>
          {accounts.data.total > resultLimit ? (
            <nav className={styles.pager} aria-label={t('customers.pages')}>
              <Button
                icon={<ChevronLeftRegular />}
                disabled={accounts.data.offset === 0}
                onClick={() => setOffset(Math.max(0, accounts.data.offset - resultLimit))}
                data-testid="customer-previous"
              >
                {t('customers.previous')}
              </Button>
              <Button
                icon={<ChevronRightRegular />}
                iconPosition="after"
                disabled={accounts.data.offset + accounts.data.items.length >= accounts.data.total}
                onClick={() => setOffset(accounts.data.offset + resultLimit)}
                data-testid="customer-next"
              >
                {t('customers.next')}
              </Button>
            </nav>
          ) : null}
        </>
      )}
    </>
  );
}

function CardView({ enrichmentId, accountId }: { enrichmentId: string; accountId: string }) {
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
