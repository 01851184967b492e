import { Field, Select, makeStyles } from '@fluentui/react-components';
import type { EnrichmentSummary } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';

const useStyles = makeStyles({ root: { maxWidth: '360px', width: '100%' } });

/** Choose which enrichment's results to read; hidden when the tenant has only one. */
export function EnrichmentSelect({
  enrichments,
  value,
  onChange,
}: {
  enrichments: EnrichmentSummary[];
  value: string;
  onChange(id: string): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  if (enrichments.length < 2) return null;
  return (
    <Field label={t('results.enrichment')} className={styles.root}>
      <Select value={value} onChange={(_, data) => onChange(data.value)} data-testid="enrichment-select">
        {enrichments.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name}
          </option>
        ))}
      </Select>
    </Field>
  );
}
