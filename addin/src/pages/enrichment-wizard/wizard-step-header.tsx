import { Caption1, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CheckmarkRegular, LockClosedRegular } from '@fluentui/react-icons';
import type { StringKey } from '../../platform/i18n/strings-en';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useMediaQuery } from '../../platform/use-media-query';
import { wizardSteps, type WizardStep } from './wizard-draft';

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalXS,
  },
  step: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    minHeight: '32px',
    paddingInline: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusCircular,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase200,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: tokens.strokeWidthThin,
    },
    ':disabled': {
      cursor: 'not-allowed',
      color: tokens.colorNeutralForegroundDisabled,
      border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStrokeDisabled}`,
      backgroundColor: tokens.colorNeutralBackgroundDisabled,
    },
  },
  current: {
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorBrandStroke1}`,
    fontWeight: tokens.fontWeightSemibold,
    ':hover': { backgroundColor: tokens.colorBrandBackgroundHover },
  },
  number: { fontWeight: tokens.fontWeightSemibold },
  caption: { color: tokens.colorNeutralForeground2 },
});

export const stepTitleKeys: Record<WizardStep, StringKey> = {
  overview: 'wizard.step.overview',
  mailboxes: 'wizard.step.mailboxes',
  consent: 'wizard.step.consent',
  dataset: 'wizard.step.dataset',
  mapping: 'wizard.step.mapping',
  exclusions: 'wizard.step.exclusions',
  name: 'wizard.step.name',
  review: 'wizard.step.review',
};

/**
 * Numbered steps. The current one carries `aria-current="step"`; steps beyond the first
 * incomplete one are disabled buttons, so they cannot be reached before earlier ones are valid.
 * In a narrow panel only the numbers show, with the current step named underneath.
 */
export function WizardStepHeader({
  current,
  furthest,
  completed,
  onGo,
  disabled,
}: {
  current: number;
  furthest: number;
  completed: ReadonlyArray<boolean>;
  onGo(index: number): void;
  disabled?: boolean;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const narrow = useMediaQuery('(max-width: 560px)');
  const currentStep = wizardSteps[current]!;
  return (
    <nav aria-label={t('wizard.stepsLabel')}>
      <ol className={styles.list}>
        {wizardSteps.map((step, index) => {
          const title = t(stepTitleKeys[step]);
          const locked = index > furthest;
          const label = t('wizard.stepLabel', { number: index + 1, title });
          return (
            <li key={step}>
              <button
                type="button"
                className={mergeClasses(styles.step, index === current && styles.current)}
                aria-current={index === current ? 'step' : undefined}
                aria-label={locked ? `${label} (${t('wizard.stepLocked')})` : label}
                disabled={disabled || locked}
                data-step={step}
                onClick={() => onGo(index)}
              >
                <span className={styles.number}>{index + 1}</span>
                {narrow ? null : <span>{title}</span>}
                {locked ? <LockClosedRegular aria-hidden /> : completed[index] && index !== current ? <CheckmarkRegular aria-hidden /> : null}
              </button>
            </li>
          );
        })}
      </ol>
      {narrow ? (
        <Caption1 className={styles.caption}>
          {t('wizard.stepOf', { number: current + 1, total: wizardSteps.length, title: t(stepTitleKeys[currentStep]) })}
        </Caption1>
      ) : null}
    </nav>
  );
}
