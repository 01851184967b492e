import { Field, Input, makeStyles } from '@fluentui/react-components';
import type { StringKey } from '../platform/i18n/strings-en';
import { useI18n } from '../platform/i18n/i18n-context';
import { halfLifeLimits, halfLifeProblem, type HalfLifeProblem } from './half-life';

const useStyles = makeStyles({
  input: { maxWidth: '140px', width: '100%' },
});

const problemKeys: Record<HalfLifeProblem, StringKey> = {
  required: 'halfLife.error.required',
  whole: 'halfLife.error.whole',
  range: 'halfLife.error.range',
};

/**
 * The half-life of the engagement score, in days, with what it does said next to it. Used by the
 * wizard's review and the enrichment page; the value stays as typed so a mistake can be shown
 * and corrected, and the caller saves only a valid one.
 */
export function HalfLifeField({
  value,
  onChange,
  disabled,
  testId,
}: {
  value: string;
  onChange(value: string): void;
  disabled?: boolean;
  testId: string;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const problem = halfLifeProblem(value);
  return (
    <Field
      label={t('halfLife.label')}
      required
      hint={t('halfLife.hint', { min: halfLifeLimits.min, max: halfLifeLimits.max, default: halfLifeLimits.default })}
      validationState={problem ? 'error' : 'none'}
      {...(problem ? { validationMessage: t(problemKeys[problem], { min: halfLifeLimits.min, max: halfLifeLimits.max }) } : {})}
    >
      <Input
        className={styles.input}
        value={value}
        inputMode="numeric"
        maxLength={3}
        disabled={disabled}
        contentAfter={t('halfLife.unit')}
        onChange={(_, data) => onChange(data.value)}
        data-testid={testId}
      />
    </Field>
  );
}
