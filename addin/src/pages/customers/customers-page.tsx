import { Body1, Caption1, Field, SearchBox, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useMe, useSession } from '../../app/session-provider';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeading } from '../../components/page-heading';
import { PageLayout } from '../../components/page-layout';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useApiResource } from '../../platform/use-api-resource';

const useStyles = makeStyles({
  search: { maxWidth: '360px', width: '100%' },
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
    paddingBlock: tokens.spacingVerticalS,
    paddingInline: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    overflowWrap: 'anywhere',
  },
});

/** Wait for typing to pause before asking the API, so each keystroke is not a request. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function CustomersPage() {
  const styles = useStyles();
  const { t } = useI18n();
  const { api } = useSession();
  const me = useMe();
  const [search, setSearch] = useState('');
  const query = useDebounced(search.trim(), 300);
  const accounts = useApiResource((signal) => api.listAccounts(query, signal), [api, query]);

  return (
    <PageLayout label={t('customers.title')}>
      <PageHeading>{t('customers.title')}</PageHeading>
      <Field label={t('customers.search')} className={styles.search}>
        <SearchBox value={search} onChange={(_, data) => setSearch(data.value)} />
      </Field>
      {accounts.status === 'loading' ? (
        <LoadingState label={t('state.loading')} lines={4} />
      ) : accounts.status === 'error' ? (
        <ErrorState problem={accounts.problem} onRetry={accounts.retry} />
      ) : accounts.data.items.length === 0 ? (
        query ? (
          <EmptyState testId="no-matching-customers" message={t('customers.noMatches', { search: query })} />
        ) : (
          <EmptyState
            testId="empty-customers"
            message={t('customers.empty')}
            next={me.isAdmin ? t('customers.emptyAdmin') : t('customers.emptyMember')}
          />
        )
      ) : (
        <>
          <Caption1 aria-live="polite">{t('customers.total', { count: accounts.data.total })}</Caption1>
          <ul className={styles.list}>
            {accounts.data.items.map((item) => (
              <li key={item.id} className={styles.item}>
                <Body1>{item.name}</Body1>
              </li>
            ))}
          </ul>
        </>
      )}
    </PageLayout>
  );
}
