import { Field, Input, makeStyles } from '@fluentui/react-components';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { NameCheck } from './use-name-availability';
import { entityNameProblem, nameProblem, type NameProblem } from './wizard-draft';
import { WizardStepSection } from './wizard-step-section';

const useStyles = makeStyles({
  input: { maxWidth: '420px', width: '100%' },
});

/** Step 7: the enrichment's name (unique in the tenant) and the name its per-account results are saved under. */
export function NameStep({
  name,
  entityName,
  onChange,
  nameCheck,
  showErrors,
  focusOnMount,
}: {
  name: string;
  entityName: string;
  onChange(patch: { name?: string; entityName?: string }): void;
  nameCheck: NameCheck;
  showErrors: boolean;
  focusOnMount: boolean;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const nameMessages: Record<NameProblem, string> = {
    required: t('wizard.name.required'),
    length: t('wizard.name.length'),
    characters: t('wizard.name.characters'),
  };
  const entityMessages: Record<NameProblem, string> = {
    required: t('wizard.name.entityRequired'),
    length: t('wizard.name.entityLength'),
    characters: t('wizard.name.entityCharacters'),
  };

  const problem = nameProblem(name);
  let nameState: 'error' | 'success' | 'warning' | 'none' = 'none';
  let nameMessage: string | undefined;
  if (problem && (showErrors || name !== '')) {
    nameState = 'error';
    nameMessage = nameMessages[problem];
  } else if (nameCheck.status === 'checking') {
    nameMessage = t('wizard.name.checking');
  } else if (nameCheck.status === 'error') {
    nameState = 'warning';
    nameMessage = nameCheck.problem.detail;
  } else if (nameCheck.status === 'ready') {
    nameState = nameCheck.data.available ? 'success' : 'error';
    nameMessage = nameCheck.data.available ? t('wizard.name.available') : (nameCheck.data.reason ?? t('wizard.name.taken'));
  }

  const entityProblem = entityNameProblem(entityName);
  const entityMessage = entityProblem ? entityMessages[entityProblem] : undefined;

  return (
    <WizardStepSection title={t('wizard.step.name')} intro={t('wizard.name.intro')} focusOnMount={focusOnMount} testId="step-name">
      <Field
        label={t('wizard.name.label')}
        required
        hint={t('wizard.name.hint')}
        validationState={nameState}
        {...(nameMessage ? { validationMessage: nameMessage } : {})}
        {...(nameState === 'none' && nameMessage ? { validationMessageIcon: null } : {})}
      >
        <Input className={styles.input} value={name} maxLength={64} onChange={(_, data) => onChange({ name: data.value })} data-testid="enrichment-name" />
      </Field>
      <Field
        label={t('wizard.name.entityLabel')}
        required
        hint={t('wizard.name.entityHint')}
        validationState={entityMessage ? 'error' : 'none'}
        {...(entityMessage ? { validationMessage: entityMessage } : {})}
      >
        <Input
          className={styles.input}
          value={entityName}
          maxLength={40}
          onChange={(_, data) => onChange({ entityName: data.value })}
          data-testid="entity-name"
        />
      </Field>
    </WizardStepSection>
  );
}
