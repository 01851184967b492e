import {
  Badge,
  Body1,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Link,
  Menu,
  MenuButton,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import {
  AddRegular,
  ArrowClockwiseRegular,
  DeleteRegular,
  EditRegular,
  MailRegular,
  PauseRegular,
  PlayRegular,
} from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
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
import { useAdminApi } from '../../platform/api/use-admin-api';
import type { AdminEnrichmentSummary, ConsentRequestResult, ConsentState } from '../../platform/api/contracts';
import type { StringKey } from '../../platform/i18n/strings-en';
import { useI18n } from '../../platform/i18n/i18n-context';
import { toProblem, useLatestResource } from '../../platform/api/use-api-resource';
import { ConsentRedirectNotice } from './consent-redirect-notice';
import { TenantStatusCard } from './tenant-status-card';

const useStyles = makeStyles({
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  muted: { color: tokens.colorNeutralForeground2 },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  name: { ...typographyStyles.body1Strong, margin: 0, marginInlineEnd: 'auto' },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  notice: { maxWidth: '720px' },
});

const consentBadge: Record<ConsentState, { key: StringKey; color: 'warning' | 'success' | 'danger' }> = {
  awaiting: { key: 'enrichmentsAdmin.consent.awaiting', color: 'warning' },
  consented: { key: 'enrichmentsAdmin.consent.consented', color: 'success' },
  refused: { key: 'enrichmentsAdmin.consent.refused', color: 'danger' },
};

/** The summary's consent state; older summaries only carry the enrichment state. */
function consentStateOf(item: AdminEnrichmentSummary): ConsentState | null {
  if (item.consentState) return item.consentState;
  if (item.state === 'awaiting-consent') return 'awaiting';
  if (item.state === 'consented') return 'consented';
  if (item.state === 'consent-refused') return 'refused';
  return null;
}

type Notice = { intent: 'success' | 'error'; text: string } | null;

/** How often the list is re-read while an enrichment awaits consent (granted in another window or by mail). */
export const CONSENT_POLL_MS = 4000;

/**
 * While `active`, call `refresh` every `ms` and whenever the page comes back into view, so a
 * state changed elsewhere (consent granted from the mailed link) shows without navigating.
 */
function useRefreshWhile(active: boolean, ms: number, refresh: () => void): void {
  useEffect(() => {
    if (!active) return undefined;
    const onVisible = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    const timer = setInterval(onVisible, ms);
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
    };
  }, [active, ms, refresh]);
}

export function EnrichmentsPage() {
  const styles = useStyles();
  const cards = useCardListStyles();
  const { t, format } = useI18n();
  const me = useMe();
  const admin = useAdminApi();
  const { navigate } = useNavigation();
  const enrichments = useLatestResource((signal) => admin.listEnrichments(signal), [admin]);
  const [notice, setNotice] = useState<Notice>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<AdminEnrichmentSummary | null>(null);
  const [resent, setResent] = useState<{ item: AdminEnrichmentSummary; result: ConsentRequestResult } | null>(null);

  // A refresh keeps the list on screen: the previous answer shows until the new one arrives.
  const listed = enrichments.status === 'ready' ? enrichments.data : enrichments.previous;
  const items = listed?.items ?? [];
  useRefreshWhile(items.some((item) => consentStateOf(item) === 'awaiting'), CONSENT_POLL_MS, enrichments.retry);
  const nameOf = (id: string | null) => (id ? (items.find((i) => i.id === id)?.name ?? null) : null);

  const run = async (item: AdminEnrichmentSummary, action: () => Promise<string>) => {
    setBusyId(item.id);
    setNotice(null);
    try {
      setNotice({ intent: 'success', text: await action() });
      enrichments.retry();
    } catch (error) {
      setNotice({ intent: 'error', text: toProblem(error).detail });
    } finally {
      setBusyId(null);
    }
  };

  const pauseOrResume = (item: AdminEnrichmentSummary) =>
    run(item, async () => {
      if (item.paused) {
        await admin.resumeEnrichment(item.id, item.version);
        return t('enrichmentsAdmin.resumed', { name: item.name });
      }
      await admin.pauseEnrichment(item.id, item.version);
      return t('enrichmentsAdmin.paused', { name: item.name });
    });

  const resend = async (item: AdminEnrichmentSummary) => {
    setBusyId(item.id);
    setNotice(null);
    try {
      const result = await admin.requestConsent(item.id);
      setResent({ item, result });
      enrichments.retry();
    } catch (error) {
      setNotice({ intent: 'error', text: toProblem(error).detail });
    } finally {
      setBusyId(null);
    }
  };

  const check = (item: AdminEnrichmentSummary) =>
    run(item, async () => {
      const status = await admin.checkConsent(item.id);
      return status.state === 'consented' ? t('enrichmentsAdmin.checkConsented', { name: item.name }) : t('enrichmentsAdmin.checkAwaiting', { name: item.name });
    });

  const edit = (item: AdminEnrichmentSummary) => navigate('enrichment-wizard', { enrichmentId: item.id, consent: null });
  const create = () => navigate('enrichment-wizard', { enrichmentId: null, consent: null });

  return (
    <PageLayout label={t('enrichments.title')}>
      <PageHeading>{t('enrichments.title')}</PageHeading>
      <ConsentRedirectNotice enrichmentName={nameOf} />
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
          {items.map((item) => {
            const consent = consentStateOf(item);
            const busy = busyId === item.id;
            return (
              <li key={item.id} className={cards.item} data-testid="enrichment-item" data-enrichment-id={item.id}>
                <div className={styles.head}>
                  <h2 className={styles.name}>
                    {/* The name opens the enrichment's page: run progress, history, schedule, results. */}
                    <Link as="button" onClick={() => navigate('enrichment', { enrichmentId: item.id, consent: null })} data-testid="open-enrichment">
                      {item.name}
                    </Link>
                  </h2>
                  <span className={styles.badges}>
                    {consent ? (
                      <Badge appearance="tint" color={consentBadge[consent].color} data-testid="consent-badge" data-consent={consent}>
                        {t(consentBadge[consent].key)}
                      </Badge>
                    ) : null}
                    {item.paused ? (
                      <Badge appearance="outline" color="informative" data-testid="paused-badge">
                        {t('enrichmentsAdmin.pausedBadge')}
                      </Badge>
                    ) : null}
                  </span>
                </div>
                <Caption1 className={styles.muted}>
                  {t('enrichmentsAdmin.meta', {
                    mailboxes: item.mailboxCount ?? 0,
                    entity: item.entityName ?? '—',
                    date: item.updatedAt ? format.date(item.updatedAt) : '—',
                  })}
                </Caption1>
                {me.isAdmin ? (
                  <div className={styles.actions}>
                    <Button size="small" icon={<EditRegular />} onClick={() => edit(item)} disabled={busy} aria-label={t('enrichmentsAdmin.editNamed', { name: item.name })}>
                      {t('enrichmentsAdmin.edit')}
                    </Button>
                    {consent !== 'consented' ? (
                      <Button size="small" icon={<MailRegular />} onClick={() => resend(item)} disabled={busy} data-testid="resend-consent">
                        {t('enrichmentsAdmin.resend')}
                      </Button>
                    ) : null}
                    <Menu>
                      <MenuTrigger disableButtonEnhancement>
                        <MenuButton size="small" disabled={busy} aria-label={t('enrichmentsAdmin.moreNamed', { name: item.name })}>
                          {t('enrichmentsAdmin.more')}
                        </MenuButton>
                      </MenuTrigger>
                      <MenuPopover>
                        <MenuList>
                          <MenuItem icon={item.paused ? <PlayRegular /> : <PauseRegular />} onClick={() => pauseOrResume(item)}>
                            {item.paused ? t('enrichmentsAdmin.resume') : t('enrichmentsAdmin.pause')}
                          </MenuItem>
                          {consent !== 'consented' ? (
                            <MenuItem icon={<ArrowClockwiseRegular />} onClick={() => check(item)}>
                              {t('enrichmentsAdmin.check')}
                            </MenuItem>
                          ) : null}
                          <MenuItem icon={<DeleteRegular />} onClick={() => setToDelete(item)}>
                            {t('enrichmentsAdmin.delete')}
                          </MenuItem>
                        </MenuList>
                      </MenuPopover>
                    </Menu>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      <ConfirmDialog
        open={toDelete !== null}
        title={t('enrichmentsAdmin.deleteTitle', { name: toDelete?.name ?? '' })}
        confirmLabel={t('enrichmentsAdmin.delete')}
        testId="delete-enrichment-dialog"
        onClose={() => setToDelete(null)}
        onConfirm={async () => {
          if (!toDelete) return;
          await admin.deleteEnrichment(toDelete.id);
          setNotice({ intent: 'success', text: t('enrichmentsAdmin.deleted', { name: toDelete.name }) });
          enrichments.retry();
        }}
      >
        <Body1>{t('enrichmentsAdmin.deleteBody')}</Body1>
      </ConfirmDialog>
      <Dialog open={resent !== null} onOpenChange={(_, data) => (data.open ? undefined : setResent(null))}>
        <DialogSurface data-testid="resend-dialog">
          <DialogBody>
            <DialogTitle>{t('enrichmentsAdmin.resendTitle', { name: resent?.item.name ?? '' })}</DialogTitle>
            <DialogContent>
              {resent ? (
                <ConsentRequestOutcome result={resent.result} onSendTo={(recipients) => admin.requestConsent(resent.item.id, recipients)} />
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
