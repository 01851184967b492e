import {
  Body1,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useNavigation } from '../../platform/navigation/navigation';
import { useMe } from '../../platform/session/session-provider';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ConsentRequestOutcome } from '../../components/consent-request-outcome';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { useCardListStyles } from '../../components/card-list.styles';
import { LoadingState } from '../../components/loading-state';
import { PageHeading } from '../../components/page-heading';
import { PageLayout } from '../../components/page-layout';
import { useI18n } from '../../platform/i18n/i18n-context';
import { ConsentRedirectNotice } from './consent-redirect-notice';
import { EnrichmentCard } from './enrichment-card';
import { TenantStatusCard } from './tenant-status-card';
import { useEnrichmentsList } from './use-enrichments-list';

const useStyles = makeStyles({
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  muted: { color: tokens.colorNeutralForeground2 },
  notice: { maxWidth: '720px' },
});

/** The enrichments list; state and actions live in `useEnrichmentsList`, each item in `EnrichmentCard`. */
export function EnrichmentsPage() {
  const styles = useStyles();
  const cards = useCardListStyles();
  const { t } = useI18n();
  const me = useMe();
  const { navigate } = useNavigation();
  const list = useEnrichmentsList();
  const { enrichments, listed, items, notice, toDelete, resent, setResent } = list;
  const actions = { onPauseOrResume: list.pauseOrResume, onResend: list.resend, onCheck: list.check, onDelete: list.setToDelete };
  const create = () => navigate('enrichment-wizard', { enrichmentId: null, consent: null });

  return (
    <PageLayout label={t('enrichments.title')}>
      <PageHeading>{t('enrichments.title')}</PageHeading>
      <ConsentRedirectNotice enrichmentName={list.nameOf} />
      <TenantStatusCard />
      {me.isAdmin ? (
        <div className={styles.toolbar}>
          <Button appearance="primary" icon={<AddRegular />} onClick={create} data-testid="new-enrichment">
            {t('enrichmentsAdmin.new')}
          </Button>
        </div>
      ) : (
        <Caption1 className={styles.muted} data-testid="seller-note">
          {t('admin.onlyAdmins')}
        </Caption1>
      )}
      {notice ? (
        <MessageBar intent={notice.intent} layout="multiline" className={styles.notice} role={notice.intent === 'error' ? 'alert' : 'status'} data-testid="enrichment-notice">
          <MessageBarBody>{notice.text}</MessageBarBody>
        </MessageBar>
      ) : null}
      {!listed && enrichments.status === 'loading' ? (
        <LoadingState label={t('state.loading')} lines={3} />
      ) : enrichments.status === 'error' ? (
        <ErrorState problem={enrichments.problem} onRetry={enrichments.retry} />
      ) : items.length === 0 ? (
        <EmptyState
          testId="empty-enrichments"
          message={t('enrichments.empty')}
          next={me.isAdmin ? t('enrichments.emptyAdmin') : t('enrichments.emptyMember')}
        />
      ) : (
        <ul className={cards.list} aria-label={t('enrichments.listLabel')}>
          {items.map((item) => (
            <EnrichmentCard key={item.id} item={item} busy={list.busyId === item.id} isAdmin={me.isAdmin} actions={actions} />
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={toDelete !== null}
        title={t('enrichmentsAdmin.deleteTitle', { name: toDelete?.name ?? '' })}
        confirmLabel={t('enrichmentsAdmin.delete')}
        testId="delete-enrichment-dialog"
        onClose={() => list.setToDelete(null)}
        onConfirm={list.confirmDelete}
      >
        <Body1>{t('enrichmentsAdmin.deleteBody')}</Body1>
      </ConfirmDialog>
      <Dialog open={resent !== null} onOpenChange={(_, data) => (data.open ? undefined : setResent(null))}>
        <DialogSurface data-testid="resend-dialog">
          <DialogBody>
            <DialogTitle>{t('enrichmentsAdmin.resendTitle', { name: resent?.item.name ?? '' })}</DialogTitle>
            <DialogContent>
              {resent ? (
                <ConsentRequestOutcome result={resent.result} onSendTo={(recipients) => list.sendConsentTo(resent.item.id, recipients)} />
              ) : null}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => setResent(null)}>
                {t('wizard.close')}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </PageLayout>
  );
}
