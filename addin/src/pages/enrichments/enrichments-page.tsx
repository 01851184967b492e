import { Badge, Body1, makeStyles, tokens } from '@fluentui/react-components';
import { useMe, useSession } from '../../app/session-provider';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeading } from '../../components/page-heading';
import { PageLayout } from '../../components/page-layout';
import type { StringKey } from '../../platform/i18n/strings-en';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useApiResource } from '../../platform/use-api-resource';
import { TenantStatusCard } from './tenant-status-card';

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    maxWidth: '640px',
  },
  item: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
    paddingBlock: tokens.spacingVerticalS,
    paddingInline: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    overflowWrap: 'anywhere',
  },
});

const knownStates = new Set(['draft', 'running', 'ready', 'failed']);

function stateLabelKey(state: string): StringKey | null {
  return knownStates.has(state) ? (`enrichment.state.${state}` as StringKey) : null;
}

export function EnrichmentsPage() {
  const styles = useStyles();
  const { t } = useI18n();
  const { api } = useSession();
  const me = useMe();
  const enrichments = useApiResource((signal) => api.listEnrichments(signal), [api]);

  return (
    <PageLayout label={t('enrichments.title')}>
      <PageHeading>{t('enrichments.title')}</PageHeading>
      <TenantStatusCard />
      {enrichments.status === 'loading' ? (
        <LoadingState label={t('state.loading')} lines={3} />
      ) : enrichments.status === 'error' ? (
        <ErrorState problem={enrichments.problem} onRetry={enrichments.retry} />
      ) : enrichments.data.items.length === 0 ? (
        <EmptyState
          testId="empty-enrichments"
          message={t('enrichments.empty')}
          next={me.isAdmin ? t('enrichments.emptyAdmin') : t('enrichments.emptyMember')}
        />
      ) : (
        <ul className={styles.list} aria-label={t('enrichments.listLabel')}>
          {enrichments.data.items.map((item) => {
            const key = stateLabelKey(item.state);
            return (
              <li key={item.id} className={styles.item}>
                <Body1>{item.name}</Body1>
                <Badge appearance="outline">{key ? t(key) : item.state}</Badge>
              </li>
            );
          })}
        </ul>
      )}
    </PageLayout>
  );
}
