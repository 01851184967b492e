import { Body1, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { useMe, useSession } from '../../app/session-provider';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeading } from '../../components/page-heading';
import { PageLayout } from '../../components/page-layout';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useApiResource } from '../../platform/use-api-resource';

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
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
    paddingBlock: tokens.spacingVerticalS,
    paddingInline: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    overflowWrap: 'anywhere',
  },
});

export function SegmentsPage() {
  const styles = useStyles();
  const { t } = useI18n();
  const { api } = useSession();
  const me = useMe();
  const segments = useApiResource((signal) => api.listSegments(signal), [api]);

  return (
    <PageLayout label={t('segments.title')}>
      <PageHeading>{t('segments.title')}</PageHeading>
      {segments.status === 'loading' ? (
        <LoadingState label={t('state.loading')} lines={3} />
      ) : segments.status === 'error' ? (
        <ErrorState problem={segments.problem} onRetry={segments.retry} />
      ) : segments.data.items.length === 0 ? (
        <EmptyState
          testId="empty-segments"
          message={t('segments.empty')}
          next={me.isAdmin ? t('segments.emptyAdmin') : t('segments.emptyMember')}
        />
      ) : (
        <ul className={styles.list}>
          {segments.data.items.map((item) => (
            <li key={item.id} className={styles.item}>
              <Body1>{item.name}</Body1>
              <Caption1>{t('segments.count', { count: item.count })}</Caption1>
            </li>
          ))}
        </ul>
      )}
    </PageLayout>
  );
}
