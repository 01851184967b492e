import {
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { CheckmarkCircleFilled, DismissCircleFilled, QuestionCircleFilled } from '@fluentui/react-icons';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import type { PrerequisiteId, PrerequisiteStatus, Prerequisites } from '../../platform/api/contracts';
import type { Formatters, Translate } from '../../platform/i18n/i18n';
import type { StringKey } from '../../platform/i18n/strings-en';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { Resource } from '../../platform/api/use-api-resource';
import { WizardStepSection } from './wizard-step-section';

const useStyles = makeStyles({
  subheading: { ...typographyStyles.body1Strong, margin: 0 },
  facts: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  prereqs: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  prereq: {
    display: 'grid',
    gridTemplateColumns: 'auto minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalS,
    alignItems: 'start',
    overflowWrap: 'anywhere',
  },
  met: { color: tokens.colorPaletteGreenForeground1 },
  notMet: { color: tokens.colorPaletteRedForeground1 },
  unknown: { color: tokens.colorPaletteMarigoldForeground1 },
  reason: { color: tokens.colorNeutralForeground2, display: 'block' },
});

const prereqTitleKeys: Record<PrerequisiteId, StringKey> = {
  region: 'wizard.prereq.region',
  licence: 'wizard.prereq.licence',
  dataset: 'wizard.prereq.dataset',
  role: 'wizard.prereq.role',
};
const statusKeys: Record<PrerequisiteStatus, StringKey> = {
  met: 'wizard.prereq.met',
  'not-met': 'wizard.prereq.notMet',
  unknown: 'wizard.prereq.unknown',
};

/**
 * Why a prerequisite is (not) met, in the user's language. The API's own sentence is English
 * (it is also the error it returns on save); the tab words it from the same facts: the
 * prerequisite, its status, the tenant's country and the datasets there are.
 */
export function prerequisiteReason(
  t: Translate,
  format: Formatters,
  item: { id: PrerequisiteId; status: PrerequisiteStatus },
  facts: { countryLetterCode: string | null; datasetCount: number | null },
): string {
  const country = facts.countryLetterCode ? format.region(facts.countryLetterCode) : null;
  switch (item.id) {
    case 'region':
      if (item.status === 'met') return t('wizard.prereqReason.regionMet', { country: country ?? '' });
      return country ? t('wizard.prereqReason.regionNotMet', { country }) : t('wizard.prereqReason.regionMissing');
    case 'licence':
      return item.status === 'met'
        ? t('wizard.prereqReason.licenceMet')
        : item.status === 'unknown'
          ? t('wizard.prereqReason.licenceUnknown')
          : t('wizard.prereqReason.licenceNotMet');
    case 'dataset':
      if (item.status !== 'met') return t('wizard.prereqReason.datasetNotMet');
      return facts.datasetCount ? t('wizard.prereqReason.datasetMet', { count: facts.datasetCount }) : t('wizard.prereqReason.datasetMetAny');
    case 'role':
      return item.status === 'met' ? t('wizard.prereqReason.roleMet') : t('wizard.prereqReason.roleNotMet');
  }
}

function StatusIcon({ status }: { status: PrerequisiteStatus }) {
  const styles = useStyles();
  if (status === 'met') return <CheckmarkCircleFilled className={styles.met} fontSize={20} aria-hidden />;
  if (status === 'not-met') return <DismissCircleFilled className={styles.notMet} fontSize={20} aria-hidden />;
  return <QuestionCircleFilled className={styles.unknown} fontSize={20} aria-hidden />;
}

/** Step 1: what the enrichment does and reads, where it is offered, and each prerequisite. */
export function OverviewStep({
  prerequisites,
  datasetCount,
  focusOnMount,
  onImportData,
}: {
  prerequisites: Resource<Prerequisites> & { retry(): void };
  /** How many datasets there are, when known, for the customer data prerequisite's wording. */
  datasetCount: number | null;
  focusOnMount: boolean;
  onImportData(): void;
}) {
  const styles = useStyles();
  const { t, format } = useI18n();
  const reason = (item: { id: PrerequisiteId; status: PrerequisiteStatus }) =>
    prerequisites.status === 'ready'
      ? prerequisiteReason(t, format, item, { countryLetterCode: prerequisites.data.countryLetterCode, datasetCount })
      : '';
  return (
    <WizardStepSection title={t('wizard.step.overview')} intro={t('wizard.overview.intro')} focusOnMount={focusOnMount} testId="step-overview">
      <h3 className={styles.subheading}>{t('wizard.overview.readsTitle')}</h3>
      <ul className={styles.facts}>
        <li>
          <Body1>{t('wizard.overview.readsMetadata')}</Body1>
        </li>
        <li>
          <Body1>{t('wizard.overview.readsNoBodies')}</Body1>
        </li>
        <li>
          <Body1>{t('wizard.overview.readsAggregates')}</Body1>
        </li>
      </ul>
      <h3 className={styles.subheading}>{t('wizard.overview.regionsTitle')}</h3>
      <Body1>{t('wizard.overview.regions')}</Body1>
      <h3 className={styles.subheading}>{t('wizard.overview.prereqTitle')}</h3>
      {prerequisites.status === 'loading' ? (
        <LoadingState label={t('wizard.overview.checking')} lines={4} />
      ) : prerequisites.status === 'error' ? (
        <ErrorState problem={prerequisites.problem} onRetry={prerequisites.retry} />
      ) : (
        <>
          <ul className={styles.prereqs} aria-label={t('wizard.overview.prereqTitle')} data-testid="prerequisites">
            {prerequisites.data.items.map((item) => (
              <li key={item.id} className={styles.prereq} data-prereq={item.id} data-status={item.status}>
                <StatusIcon status={item.status} />
                <span>
                  <Body1>
                    {t('common.labelValue', { label: t(prereqTitleKeys[item.id]), value: t(statusKeys[item.status]) })}
                  </Body1>
                  <Caption1 className={styles.reason} data-testid="prereq-reason">
                    {reason(item)}
                  </Caption1>
                  {item.id === 'dataset' && item.status === 'not-met' ? (
                    <Button appearance="secondary" size="small" onClick={onImportData} data-testid="prereq-import-data">
                      {t('wizard.overview.importData')}
                    </Button>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
          {prerequisites.data.canCreate ? null : (
            <MessageBar intent="error" layout="multiline" data-testid="cannot-create">
              <MessageBarBody>
                <MessageBarTitle>{t('wizard.overview.blockedTitle')}</MessageBarTitle>
                {prerequisites.data.items
                  .filter((i) => i.status === 'not-met')
                  .map((i) => reason(i))
                  .join(' ')}
              </MessageBarBody>
            </MessageBar>
          )}
        </>
      )}
    </WizardStepSection>
  );
}
