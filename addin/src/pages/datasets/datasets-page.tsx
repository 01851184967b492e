import {
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { AddRegular, ArrowRightRegular, ArrowSyncRegular, DeleteRegular, DismissRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useNavigation } from '../../platform/navigation/navigation';
import { useMe } from '../../platform/session/session-provider';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeading } from '../../components/page-heading';
import { PageLayout } from '../../components/page-layout';
import { useAdminApi } from '../../platform/api/use-admin-api';
import type { DatasetSummary } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useApiResource } from '../../platform/api/use-api-resource';
import { DatasetImport } from './dataset-import';
import { useCardListStyles } from '../../components/card-list.styles';

const useStyles = makeStyles({
  intro: { color: tokens.colorNeutralForeground2, maxWidth: '720px' },
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  name: { ...typographyStyles.body1Strong, margin: 0 },
  meta: { color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  notice: { maxWidth: '720px' },
});

type View = { kind: 'list' } | { kind: 'import'; target: DatasetSummary | null };

/**
 * Customer data: the imported datasets (business accounts with their contacts), and for admins
 * the import, re-import (a new version) and delete actions. `?action=import` opens straight on
 * the import form (the wizard's "Import customer data" buttons); after an import the page says
 * what comes next and takes the admin to a new enrichment with that data chosen.
 */
export function DatasetsPage() {
  const styles = useStyles();
  const cards = useCardListStyles();
  const { t, format } = useI18n();
  const me = useMe();
  const admin = useAdminApi();
  const { navigate } = useNavigation();
  const datasets = useApiResource((signal) => admin.listDatasets(signal), [admin]);
  const [view, setView] = useState<View>(() =>
    me.isAdmin && new URLSearchParams(window.location.search).get('action') === 'import' ? { kind: 'import', target: null } : { kind: 'list' },
  );
  const [imported, setImported] = useState<DatasetSummary | null>(null);
  const [toDelete, setToDelete] = useState<DatasetSummary | null>(null);
  const [deleted, setDeleted] = useState<string | null>(null);

  if (view.kind === 'import') {
    return (
      <PageLayout label={t('datasets.title')}>
        <PageHeading>{t('datasets.title')}</PageHeading>
        <DatasetImport
          admin={admin}
          target={view.target}
          existingNames={datasets.status === 'ready' ? datasets.data.items.map((d) => d.name) : []}
          onDone={(dataset) => {
            setImported(dataset);
            setDeleted(null);
            setView({ kind: 'list' });
            datasets.retry();
          }}
          onCancel={() => setView({ kind: 'list' })}
        />
      </PageLayout>
    );
  }

  return (
    <PageLayout label={t('datasets.title')}>
      <PageHeading>{t('datasets.title')}</PageHeading>
      <Body1 className={styles.intro}>{t('datasets.intro')}</Body1>
      {imported ? (
        <MessageBar intent="success" layout="multiline" className={styles.notice} data-testid="import-done">
          <MessageBarBody>
            <MessageBarTitle>{t('datasets.imported', { name: imported.name })}</MessageBarTitle>
            {t('datasets.importedDetail', { accounts: imported.accountCount, contacts: imported.contactCount, version: imported.version })}{' '}
            {imported.usedBy.length > 0 ? t('datasets.nextUsed', { names: imported.usedBy.map((u) => u.name).join(', ') }) : t('datasets.next')}
          </MessageBarBody>
          <MessageBarActions
            containerAction={<Button appearance="transparent" icon={<DismissRegular />} aria-label={t('datasets.dismiss')} onClick={() => setImported(null)} />}
          >
            {imported.usedBy.length === 0 ? (
              <Button
                appearance="primary"
                icon={<ArrowRightRegular />}
                iconPosition="after"
                onClick={() => navigate('enrichment-wizard', { datasetId: imported.id })}
                data-testid="import-next-enrichment"
              >
                {t('datasets.createEnrichment')}
              </Button>
            ) : null}
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {deleted ? (
        <MessageBar intent="success" className={styles.notice} role="status">
          <MessageBarBody>{t('datasets.deleted', { name: deleted })}</MessageBarBody>
        </MessageBar>
      ) : null}
      {me.isAdmin ? (
        <div className={styles.toolbar}>
          <Button appearance="primary" icon={<AddRegular />} onClick={() => setView({ kind: 'import', target: null })} data-testid="import-new">
            {t('datasets.importNew')}
          </Button>
        </div>
      ) : (
        <Caption1 className={styles.meta}>{t('datasets.sellerNote')}</Caption1>
      )}
      {datasets.status === 'loading' ? (
        <LoadingState label={t('state.loading')} lines={3} />
      ) : datasets.status === 'error' ? (
        <ErrorState problem={datasets.problem} onRetry={datasets.retry} />
      ) : datasets.data.items.length === 0 ? (
        <EmptyState testId="empty-datasets" message={t('datasets.empty')} next={me.isAdmin ? t('datasets.emptyAdmin') : t('datasets.emptyMember')} />
      ) : (
        <ul className={cards.list} aria-label={t('datasets.listLabel')}>
          {datasets.data.items.map((d) => (
            <li key={d.id} className={cards.item} data-testid="dataset-item" data-dataset-id={d.id}>
              <h2 className={styles.name}>{d.name}</h2>
              <Caption1 className={styles.meta}>
                {t('datasets.meta', { version: d.version, accounts: d.accountCount, contacts: d.contactCount, date: format.date(d.updatedAt) })}
              </Caption1>
              <Caption1 className={styles.meta}>
                {d.usedBy.length > 0 ? t('datasets.usedBy', { names: d.usedBy.map((u) => u.name).join(', ') }) : t('datasets.unused')}
              </Caption1>
              {me.isAdmin ? (
                <div className={styles.actions}>
                  <Button size="small" icon={<ArrowSyncRegular />} onClick={() => setView({ kind: 'import', target: d })} aria-label={t('datasets.reimportNamed', { name: d.name })}>
                    {t('datasets.reimport')}
                  </Button>
                  <Button size="small" icon={<DeleteRegular />} onClick={() => setToDelete(d)} aria-label={t('datasets.deleteNamed', { name: d.name })}>
                    {t('datasets.delete')}
                  </Button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={toDelete !== null}
        title={t('datasets.deleteTitle', { name: toDelete?.name ?? '' })}
        confirmLabel={t('datasets.delete')}
        testId="delete-dataset-dialog"
        onClose={() => setToDelete(null)}
        onConfirm={async () => {
          if (!toDelete) return;
          await admin.deleteDataset(toDelete.id);
          setDeleted(toDelete.name);
          setImported(null);
          datasets.retry();
        }}
      >
        <Body1>
          {toDelete && toDelete.usedBy.length > 0
            ? t('datasets.deleteUsed', { names: toDelete.usedBy.map((u) => u.name).join(', ') })
            : t('datasets.deleteBody', { accounts: toDelete?.accountCount ?? 0, contacts: toDelete?.contactCount ?? 0 })}
        </Body1>
      </ConfirmDialog>
    </PageLayout>
  );
}
