import { Button, Caption1, Field, Radio, RadioGroup, makeStyles, tokens } from '@fluentui/react-components';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import type { DatasetSummary } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { Resource } from '../../platform/api/use-api-resource';
import { WizardStepSection } from './wizard-step-section';

const useStyles = makeStyles({
  meta: { display: 'block', color: tokens.colorNeutralForeground2 },
  group: { overflowWrap: 'anywhere' },
});

/** Step 4: which customer dataset (business accounts and their contacts) to enrich. */
export function DatasetStep({
  datasets,
  datasetId,
  onChange,
  showErrors,
  onImportData,
  focusOnMount,
}: {
  datasets: Resource<{ items: DatasetSummary[] }> & { retry(): void };
  datasetId: string | null;
  onChange(dataset: DatasetSummary): void;
  showErrors: boolean;
  onImportData(): void;
  focusOnMount: boolean;
}) {
  const styles = useStyles();
  const { t, format } = useI18n();
  const missing = datasets.status === 'ready' && datasetId !== null && !datasets.data.items.some((d) => d.id === datasetId);
  const error = showErrors && datasetId === null ? t('wizard.dataset.required') : missing ? t('wizard.dataset.gone') : undefined;
  return (
    <WizardStepSection title={t('wizard.step.dataset')} intro={t('wizard.dataset.intro')} focusOnMount={focusOnMount} testId="step-dataset">
      {datasets.status === 'loading' ? (
        <LoadingState label={t('state.loading')} lines={3} />
      ) : datasets.status === 'error' ? (
        <ErrorState problem={datasets.problem} onRetry={datasets.retry} />
      ) : datasets.data.items.length === 0 ? (
        <>
          <EmptyState testId="no-datasets" message={t('wizard.dataset.empty')} next={t('wizard.dataset.emptyNext')} />
          <div>
            <Button onClick={onImportData}>{t('wizard.overview.importData')}</Button>
          </div>
        </>
      ) : (
        <Field label={t('wizard.dataset.label')} validationState={error ? 'error' : 'none'} {...(error ? { validationMessage: error } : {})}>
          <RadioGroup
            className={styles.group}
            value={datasetId ?? ''}
            onChange={(_, data) => {
              const picked = datasets.data.items.find((d) => d.id === data.value);
              if (picked) onChange(picked);
            }}
          >
            {datasets.data.items.map((d) => (
              <Radio
                key={d.id}
                value={d.id}
                data-testid="dataset-option"
                label={
                  <>
                    {d.name}
                    <Caption1 className={styles.meta}>
                      {t('wizard.dataset.meta', {
                        accounts: d.accountCount,
                        contacts: d.contactCount,
                        version: d.version,
                        date: format.date(d.updatedAt),
                      })}
                    </Caption1>
                  </>
                }
              />
            ))}
          </RadioGroup>
        </Field>
      )}
    </WizardStepSection>
  );
}
