import { Body1, Caption1, Checkbox, Field, makeStyles, tokens } from '@fluentui/react-components';
import { useI18n } from '../../platform/i18n/i18n-context';
import { WizardStepSection } from './wizard-step-section';

const useStyles = makeStyles({
  statement: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    paddingBlock: tokens.spacingVerticalM,
    paddingInline: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    overflowWrap: 'anywhere',
  },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
  muted: { color: tokens.colorNeutralForeground2 },
});

/** The application permissions the tenant's administrators will be asked to grant, and why. */
const permissions = [
  ['Mail.ReadBasic.All', 'wizard.consent.perm.mail'],
  ['Calendars.ReadBasic.All', 'wizard.consent.perm.calendar'],
  ['User.Read.All', 'wizard.consent.perm.users'],
  ['GroupMember.Read.All', 'wizard.consent.perm.groups'],
  ['Organization.Read.All', 'wizard.consent.perm.organization'],
  ['RoleManagement.Read.Directory', 'wizard.consent.perm.roles'],
  ['TeamsActivity.Send', 'wizard.consent.perm.activity'],
] as const;

/** Step 3: the consent statement; "I agree" must be ticked to go on. */
export function ConsentStep({
  agreed,
  onChange,
  showErrors,
  agreedBefore,
  focusOnMount,
}: {
  agreed: boolean;
  onChange(next: boolean): void;
  showErrors: boolean;
  agreedBefore: { agreedBy: string; agreedAt: string } | null;
  focusOnMount: boolean;
}) {
  const styles = useStyles();
  const { t, format } = useI18n();
  return (
    <WizardStepSection title={t('wizard.step.consent')} intro={t('wizard.consent.intro')} focusOnMount={focusOnMount} testId="step-consent">
      <div className={styles.statement} data-testid="consent-statement">
        <Body1>{t('wizard.consent.statement')}</Body1>
        <ul className={styles.list}>
          {permissions.map(([name, key]) => (
            <li key={name}>
              <Body1>
                <code>{name}</code> — {t(key)}
              </Body1>
            </li>
          ))}
        </ul>
        <Body1>{t('wizard.consent.never')}</Body1>
        <Body1>{t('wizard.consent.revoke')}</Body1>
      </div>
      {agreedBefore ? (
        <Caption1 className={styles.muted}>
          {t('wizard.consent.agreedBefore', { date: format.date(agreedBefore.agreedAt) })}
        </Caption1>
      ) : null}
      <Field
        required
        validationState={showErrors && !agreed ? 'error' : 'none'}
        {...(showErrors && !agreed ? { validationMessage: t('wizard.consent.mustAgree') } : {})}
      >
        <Checkbox checked={agreed} onChange={(_, data) => onChange(data.checked === true)} label={t('wizard.consent.agree')} data-testid="consent-agree" />
      </Field>
    </WizardStepSection>
  );
}
