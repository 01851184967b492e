import { attributeLabel } from '../../components/results/account-attributes';
import { Body1, Caption1, Link, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { HalfLifeField } from '../../components/half-life-field';
import { PrivacyThresholdField } from '../../components/privacy-threshold-field';
import type { AdminViewsApi } from '../../platform/api/admin-views-api';
import type { DatasetSummary, MappingPreview, Prerequisites } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import { ReviewEstimate } from './review-estimate';
import type { MailboxResolution } from './use-mailbox-resolution';
import { wizardSteps, type WizardDraft, type WizardStep } from './wizard-draft';
import { stepTitleKeys } from './wizard-step-header';
import { WizardStepSection } from './wizard-step-section';

const useStyles = makeStyles({
  sections: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    paddingBlock: tokens.spacingVerticalM,
    paddingInline: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    overflowWrap: 'anywhere',
    minWidth: 0,
  },
  sectionHead: { display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', gap: tokens.spacingHorizontalS, alignItems: 'baseline' },
  sectionTitle: { ...typographyStyles.body1Strong, margin: 0 },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, max-content) minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXXS,
    margin: 0,
  },
  pair: { display: 'contents' },
  term: { color: tokens.colorNeutralForeground2 },
  value: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
  intro: { color: tokens.colorNeutralForeground2 },
});

function ReviewSection({ step, onEdit, children }: { step: WizardStep; onEdit(index: number): void; children: ReactNode }) {
  const styles = useStyles();
  const { t } = useI18n();
  const index = wizardSteps.indexOf(step);
  const title = t(stepTitleKeys[step]);
  return (
    <section className={styles.section} aria-labelledby={`review-${step}`} data-testid={`review-${step}`}>
      <div className={styles.sectionHead}>
        <h3 id={`review-${step}`} className={styles.sectionTitle}>
          {index + 1}. {title}
        </h3>
        <Link as="button" onClick={() => onEdit(index)} aria-label={t('wizard.review.editStep', { title })}>
          {t('wizard.review.edit')}
        </Link>
      </div>
      {children}
    </section>
  );
}

function Facts({ rows }: { rows: Array<[string, ReactNode]> }) {
  const styles = useStyles();
  return (
    <dl className={styles.facts}>
      {rows.map(([term, value]) => (
        <div key={term} className={styles.pair}>
          <dt className={styles.term}>
            <Body1>{term}</Body1>
          </dt>
          <dd className={styles.value}>
            <Body1>{value}</Body1>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Step 8: everything entered, one section per step, each with an Edit link back to it; the
 * engagement score's half-life, which has a sensible default and so no step of its own; and the
 * dry-run estimate of the selected mailboxes, counted in the background while the admin reads.
 */
export function ReviewStep({
  adminViews,
  draft,
  prerequisites,
  resolution,
  dataset,
  preview,
  onEdit,
  onHalfLifeChange,
  onPrivacyThresholdChange,
  focusOnMount,
}: {
  adminViews: AdminViewsApi;
  draft: WizardDraft;
  prerequisites: Prerequisites | null;
  resolution: MailboxResolution;
  dataset: DatasetSummary | null;
  preview: MappingPreview | null;
  onEdit(index: number): void;
  onHalfLifeChange(value: string): void;
  onPrivacyThresholdChange(value: number | null): void;
  focusOnMount: boolean;
}) {
  const styles = useStyles();
  const { t, format } = useI18n();
  const users = draft.picked.filter((p) => p.kind === 'user');
  const groups = draft.picked.filter((p) => p.kind === 'group');
  const unresolved = resolution.status === 'ready' ? resolution.data.unresolved.length : 0;
  const none = t('wizard.review.none');
  return (
    <WizardStepSection title={t('wizard.step.review')} intro={t('wizard.review.intro')} focusOnMount={focusOnMount} testId="step-review">
      <div className={styles.sections}>
        <ReviewSection step="overview" onEdit={onEdit}>
          <Facts
            rows={[
              [
                t('wizard.prereq.region'),
                prerequisites?.countryLetterCode ? format.region(prerequisites.countryLetterCode) : none,
              ],
              [
                t('wizard.review.prerequisites'),
                prerequisites
                  ? t('wizard.review.prereqSummary', {
                      met: prerequisites.items.filter((i) => i.status === 'met').length,
                      total: prerequisites.items.length,
                    })
                  : none,
              ],
            ]}
          />
        </ReviewSection>
        <ReviewSection step="mailboxes" onEdit={onEdit}>
          <Facts
            rows={[
              [t('wizard.review.resolved'), resolution.status === 'ready' ? format.number(resolution.data.count) : '…'],
              [t('wizard.review.users'), users.length > 0 ? users.map((u) => u.displayName).join(', ') : none],
              [t('wizard.review.groups'), groups.length > 0 ? groups.map((g) => g.displayName).join(', ') : none],
              ...(unresolved > 0 ? ([[t('wizard.review.unresolved'), format.number(unresolved)]] as Array<[string, ReactNode]>) : []),
            ]}
          />
        </ReviewSection>
        <ReviewSection step="consent" onEdit={onEdit}>
          <Body1>{draft.consentAgreed ? t('wizard.review.agreed') : t('wizard.review.notAgreed')}</Body1>
        </ReviewSection>
        <ReviewSection step="dataset" onEdit={onEdit}>
          <Facts
            rows={[
              [t('wizard.review.dataset'), dataset?.name ?? none],
              [
                t('wizard.review.datasetSize'),
                dataset ? t('wizard.review.datasetCounts', { accounts: dataset.accountCount, contacts: dataset.contactCount }) : none,
              ],
            ]}
          />
        </ReviewSection>
        <ReviewSection step="mapping" onEdit={onEdit}>
          <Facts
            rows={[
              [t('wizard.mapping.emailField'), draft.emailField || none],
              [t('wizard.mapping.accountIdField'), draft.accountIdField || none],
              [t('wizard.mapping.ownerField'), draft.ownerField ? attributeLabel(t, draft.ownerField) : t('wizard.mapping.ownerNone')],
              [
                t('wizard.review.usable'),
                preview ? t('wizard.mapping.usable', { usable: preview.usableAddressCount, total: preview.contactCount }) : '…',
              ],
              [t('wizard.review.matchDomains'), draft.matchAccountDomains ? t('wizard.review.yes') : t('wizard.review.no')],
            ]}
          />
        </ReviewSection>
        <ReviewSection step="exclusions" onEdit={onEdit}>
          <Facts
            rows={[
              [t('wizard.exclusions.addresses'), draft.excludedAddresses.length > 0 ? draft.excludedAddresses.join(', ') : none],
              [t('wizard.exclusions.domains'), draft.excludedDomains.length > 0 ? draft.excludedDomains.join(', ') : none],
            ]}
          />
        </ReviewSection>
        <ReviewSection step="name" onEdit={onEdit}>
          <Facts
            rows={[
              [t('wizard.name.label'), draft.name.trim() || none],
              [t('wizard.name.entityLabel'), draft.entityName.trim()],
            ]}
          />
        </ReviewSection>
        <ReviewEstimate api={adminViews} resolution={resolution} />
        <section className={styles.section} aria-labelledby="review-score" data-testid="review-score">
          <h3 id="review-score" className={styles.sectionTitle}>
            {t('halfLife.title')}
          </h3>
          <Body1 className={styles.intro}>{t('halfLife.intro')}</Body1>
          <HalfLifeField value={draft.halfLifeDays} onChange={onHalfLifeChange} testId="review-half-life" />
        </section>
        <section className={styles.section} aria-labelledby="review-privacy" data-testid="review-privacy">
          <h3 id="review-privacy" className={styles.sectionTitle}>
            {t('privacy.title')}
          </h3>
          <Body1 className={styles.intro}>{t('privacy.intro')}</Body1>
          <PrivacyThresholdField value={draft.privacyThreshold} onChange={onPrivacyThresholdChange} testId="review-privacy-threshold" />
        </section>
      </div>
      <Caption1 className={styles.muted}>{t('wizard.review.saveHint')}</Caption1>
    </WizardStepSection>
  );
}
