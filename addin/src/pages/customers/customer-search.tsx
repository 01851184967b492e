import { Badge, Body1, Button, Caption1, Checkbox, Field, MessageBar, MessageBarActions, MessageBarBody, SearchBox, Select, makeStyles, tokens } from '@fluentui/react-components';
import { ChevronLeftRegular, ChevronRightRegular } from '@fluentui/react-icons';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { ScoreBandBadge, ScoreChangeText } from '../../components/score-badges';
import type { AccountSort, ScoreBand } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useMe } from '../../platform/session/session-provider';
import { resultLimit, useAccountSearch } from './use-account-search';
import { AlertsMuteSwitch } from './alerts-mute-switch';

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
});

const sorts: AccountSort[] = ['relevance', 'name', 'score', 'change', 'lastContact'];
const bands: ScoreBand[] = ['high', 'medium', 'low', 'none'];

/** Instant search by name or id, with order, band and cooling filters; state and effects: `useAccountSearch`. */
export function SearchView({ enrichmentId }: { enrichmentId: string | null }) {
  const styles = useStyles();
  const { t } = useI18n();
  const me = useMe();
  const { search, setSearch, sort, setSort, band, setBand, cooling, setCooling, setOffset, query, filtered, accounts, updating, open, alertAccounts, alertCount, showAll } = useAccountSearch(enrichmentId);

  return (
    <>
      <AlertsMuteSwitch />
      {alertAccounts ? (
        <MessageBar intent="info" layout="multiline" data-testid="customer-alert-filter">
          <MessageBarBody>{t('customers.alertFilter', { count: alertCount })}</MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={showAll} data-testid="customer-alert-filter-clear">
              {t('customers.alertFilterClear')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
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

