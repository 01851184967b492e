import {
  Badge,
  Button,
  Caption1,
  Link,
  Menu,
  MenuButton,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular, DeleteRegular, EditRegular, MailRegular, PauseRegular, PlayRegular } from '@fluentui/react-icons';
import { useCardListStyles } from '../../components/card-list.styles';
import type { AdminEnrichmentSummary, ConsentState } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { StringKey } from '../../platform/i18n/strings-en';
import { useNavigation } from '../../platform/navigation/navigation';
import { consentStateOf } from './use-enrichments-list';

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground2 },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  name: { ...typographyStyles.body1Strong, margin: 0, marginInlineEnd: 'auto' },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

const consentBadge: Record<ConsentState, { key: StringKey; color: 'warning' | 'success' | 'danger' }> = {
  awaiting: { key: 'enrichmentsAdmin.consent.awaiting', color: 'warning' },
  consented: { key: 'enrichmentsAdmin.consent.consented', color: 'success' },
  refused: { key: 'enrichmentsAdmin.consent.refused', color: 'danger' },
};

export interface EnrichmentCardActions {
  onPauseOrResume(item: AdminEnrichmentSummary): void;
  onResend(item: AdminEnrichmentSummary): void;
  onCheck(item: AdminEnrichmentSummary): void;
  onDelete(item: AdminEnrichmentSummary): void;
}

/** One enrichment of the list: its name (opens its page), consent and paused badges, and an admin's actions. */
export function EnrichmentCard({ item, busy, isAdmin, actions }: { item: AdminEnrichmentSummary; busy: boolean; isAdmin: boolean; actions: EnrichmentCardActions }) {
  const styles = useStyles();
  const cards = useCardListStyles();
  const { t, format } = useI18n();
  const { navigate } = useNavigation();
  const consent = consentStateOf(item);
  const edit = () => navigate('enrichment-wizard', { enrichmentId: item.id, consent: null });
  return (
    <li className={cards.item} data-testid="enrichment-item" data-enrichment-id={item.id}>
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
      {isAdmin ? (
        <div className={styles.actions}>
          <Button size="small" icon={<EditRegular />} onClick={edit} disabled={busy} aria-label={t('enrichmentsAdmin.editNamed', { name: item.name })}>
            {t('enrichmentsAdmin.edit')}
          </Button>
          {consent !== 'consented' ? (
            <Button size="small" icon={<MailRegular />} onClick={() => actions.onResend(item)} disabled={busy} data-testid="resend-consent">
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
                <MenuItem icon={item.paused ? <PlayRegular /> : <PauseRegular />} onClick={() => actions.onPauseOrResume(item)}>
                  {item.paused ? t('enrichmentsAdmin.resume') : t('enrichmentsAdmin.pause')}
                </MenuItem>
                {consent !== 'consented' ? (
                  <MenuItem icon={<ArrowClockwiseRegular />} onClick={() => actions.onCheck(item)}>
                    {t('enrichmentsAdmin.check')}
                  </MenuItem>
                ) : null}
                <MenuItem icon={<DeleteRegular />} onClick={() => actions.onDelete(item)}>
                  {t('enrichmentsAdmin.delete')}
                </MenuItem>
              </MenuList>
            </MenuPopover>
          </Menu>
        </div>
      ) : null}
    </li>
  );
}
