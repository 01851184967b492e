import { Field, Select, makeStyles } from '@fluentui/react-components';
import { useI18n } from '../platform/i18n/i18n-context';

/** The API's bounds for the small-count privacy threshold k (api/src/privacy/privacy-threshold.ts). */
export const privacyThresholdLimits = { min: 2, max: 10 } as const;
const choices = Array.from({ length: privacyThresholdLimits.max - privacyThresholdLimits.min + 1 }, (_, i) => privacyThresholdLimits.min + i);

const useStyles = makeStyles({
  select: { maxWidth: '280px', width: '100%' },
});

/**
 * The privacy threshold as a choice of Off or 2–10 colleagues, with what it does said next to it.
 * A native select: every value is valid, and the keyboard and screen readers know it already.
 * Used by the wizard's review and the enrichment page.
 */
export function PrivacyThresholdField({ value, onChange, disabled, testId }: { value: number | null; onChange(value: number | null): void; disabled?: boolean; testId: string }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <Field label={t('privacy.label')} hint={t('privacy.hint')}>
      <Select className={styles.select} value={value === null ? '' : String(value)} disabled={disabled} onChange={(_, d) => onChange(d.value === '' ? null : Number(d.value))} data-testid={testId}>
        <option value="">{t('privacy.off')}</option>
        {choices.map((k) => (
          <option key={k} value={String(k)}>
            {t('privacy.option', { k })}
          </option>
        ))}
      </Select>
    </Field>
  );
}
