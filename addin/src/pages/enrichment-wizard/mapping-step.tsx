import {
  Body1,
  Checkbox,
  Dropdown,
  Field,
  Option,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import type { DatasetSummary, MappingPreview } from '../../platform/admin-api-types';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { Resource } from '../../platform/use-api-resource';
import { WizardStepSection } from './wizard-step-section';

const useStyles = makeStyles({
  fields: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  dropdown: { minWidth: 0, width: '100%' },
  usable: { ...typographyStyles.body1Strong },
  tableWrap: { overflowX: 'auto', maxWidth: '100%' },
  cell: { overflowWrap: 'anywhere' },
  subheading: { ...typographyStyles.body1Strong, margin: 0 },
});

/** Step 5: which contact columns hold the address and the account id, checked on real rows. */
export function MappingStep({
  dataset,
  emailField,
  accountIdField,
  matchAccountDomains,
  onChange,
  preview,
  showErrors,
  focusOnMount,
}: {
  dataset: DatasetSummary | null;
  emailField: string;
  accountIdField: string;
  matchAccountDomains: boolean;
  onChange(patch: { emailField?: string; accountIdField?: string; matchAccountDomains?: boolean }): void;
  preview: (Resource<MappingPreview> & { retry(): void }) | null;
  showErrors: boolean;
  focusOnMount: boolean;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const fields = dataset?.contactFields ?? [];
  const same = emailField !== '' && emailField === accountIdField;
  const emailError = showErrors && emailField === '' ? t('wizard.mapping.emailRequired') : same ? t('wizard.mapping.sameField') : undefined;
  const accountError = showErrors && accountIdField === '' ? t('wizard.mapping.accountRequired') : undefined;
  const noUsable = preview?.status === 'ready' && preview.data.usableAddressCount === 0;

  return (
    <WizardStepSection
      title={t('wizard.step.mapping')}
      intro={t('wizard.mapping.intro', { dataset: dataset?.name ?? '—' })}
      focusOnMount={focusOnMount}
      testId="step-mapping"
    >
      <div className={styles.fields}>
        <Field label={t('wizard.mapping.emailField')} required validationState={emailError ? 'error' : 'none'} {...(emailError ? { validationMessage: emailError } : {})}>
          <Dropdown
            className={styles.dropdown}
            value={emailField}
            selectedOptions={emailField ? [emailField] : []}
            placeholder={t('wizard.mapping.choose')}
            onOptionSelect={(_, data) => onChange({ emailField: data.optionValue ?? '' })}
            data-testid="email-field"
          >
            {fields.map((f) => (
              <Option key={f} value={f}>
                {f}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field
          label={t('wizard.mapping.accountIdField')}
          required
          validationState={accountError ? 'error' : 'none'}
          {...(accountError ? { validationMessage: accountError } : {})}
        >
          <Dropdown
            className={styles.dropdown}
            value={accountIdField}
            selectedOptions={accountIdField ? [accountIdField] : []}
            placeholder={t('wizard.mapping.choose')}
            onOptionSelect={(_, data) => onChange({ accountIdField: data.optionValue ?? '' })}
            data-testid="account-id-field"
          >
            {fields.map((f) => (
              <Option key={f} value={f}>
                {f}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </div>

      {preview === null ? null : preview.status === 'loading' ? (
        <LoadingState label={t('wizard.mapping.checking')} lines={3} />
      ) : preview.status === 'error' ? (
        <ErrorState problem={preview.problem} onRetry={preview.retry} />
      ) : (
        <>
          <Field validationState={noUsable ? 'error' : 'success'} validationMessage={noUsable ? t('wizard.mapping.noUsable') : undefined}>
            <Body1 className={styles.usable} data-testid="usable-count" aria-live="polite">
              {t('wizard.mapping.usable', { usable: preview.data.usableAddressCount, total: preview.data.contactCount })}
            </Body1>
          </Field>
          {preview.data.unknownAccountCount > 0 ? (
            <Body1>{t('wizard.mapping.unknownAccounts', { count: preview.data.unknownAccountCount })}</Body1>
          ) : null}
          <h3 className={styles.subheading}>{t('wizard.mapping.samples')}</h3>
          <div className={styles.tableWrap}>
            <Table size="small" aria-label={t('wizard.mapping.samples')} data-testid="mapping-samples">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{emailField}</TableHeaderCell>
                  <TableHeaderCell>{accountIdField}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {preview.data.samples.map((s, i) => (
                  <TableRow key={i}>
                    <TableCell className={styles.cell}>{s.email || '—'}</TableCell>
                    <TableCell className={styles.cell}>{s.accountId || '—'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </>
      )}

      <Checkbox
        checked={matchAccountDomains}
        onChange={(_, data) => onChange({ matchAccountDomains: data.checked === true })}
        label={t('wizard.mapping.matchDomains')}
      />
    </WizardStepSection>
  );
}
