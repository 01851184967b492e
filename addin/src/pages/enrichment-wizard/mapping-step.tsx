import {
  Body1,
  Button,
  Checkbox,
  Dropdown,
  Field,
  Option,
  Select,
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
import { useState } from 'react';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import type { DatasetSummary, MappingPreview } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { Resource } from '../../platform/api/use-api-resource';
import { WizardStepSection } from './wizard-step-section';
import { attributeLabel } from '../../components/results/account-attributes';

const useStyles = makeStyles({
  fields: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  dropdown: { minWidth: 0, width: '100%' },
  owner: { maxWidth: '320px', width: '100%' },
  usable: { ...typographyStyles.body1Strong },
  tableWrap: { overflowX: 'auto', maxWidth: '100%' },
  cell: { overflowWrap: 'anywhere' },
  subheading: { ...typographyStyles.body1Strong, margin: 0 },
  mapped: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalS },
});

/**
 * Step 5: which contact columns hold the address and the account id, checked on real rows, and
 * optionally which account column names each account's owner (for alerts in Teams).
 * The import already asked for both: when the draft uses the import's columns they are shown
 * as settled, and only an admin who wants other columns opens the pickers.
 */
export function MappingStep({
  dataset,
  emailField,
  accountIdField,
  ownerField,
  matchAccountDomains,
  onChange,
  preview,
  showErrors,
  focusOnMount,
}: {
  dataset: DatasetSummary | null;
  emailField: string;
  accountIdField: string;
  ownerField: string | null;
  matchAccountDomains: boolean;
  onChange(patch: { emailField?: string; accountIdField?: string; ownerField?: string | null; matchAccountDomains?: boolean }): void;
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
  const [changing, setChanging] = useState(false);
  const asImported =
    !!dataset && !!dataset.emailField && emailField === dataset.emailField && accountIdField === dataset.accountIdField;
  const showPickers = changing || !asImported;

  return (
    <WizardStepSection
      title={t('wizard.step.mapping')}
      intro={t('wizard.mapping.intro', { dataset: dataset?.name ?? '—' })}
      focusOnMount={focusOnMount}
      testId="step-mapping"
    >
      {showPickers ? null : (
        <div className={styles.mapped} data-testid="mapping-from-import">
          <Body1>{t('wizard.mapping.fromImport', { email: emailField, accountId: accountIdField })}</Body1>
          <Button size="small" onClick={() => setChanging(true)} data-testid="mapping-change">
            {t('wizard.mapping.change')}
          </Button>
        </div>
      )}
      {showPickers ? (
        <div className={styles.fields}>
          <ColumnPicker
            label={t('wizard.mapping.emailField')}
            error={emailError}
            fields={fields}
            value={emailField}
            onChange={(value) => onChange({ emailField: value })}
            testId="email-field"
          />
          <ColumnPicker
            label={t('wizard.mapping.accountIdField')}
            error={accountError}
            fields={fields}
            value={accountIdField}
            onChange={(value) => onChange({ accountIdField: value })}
            testId="account-id-field"
          />
        </div>
      ) : null}

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

      <Field label={t('wizard.mapping.ownerField')} hint={t('wizard.mapping.ownerHint')}>
        <Select
          className={styles.owner}
          value={ownerField ?? ''}
          onChange={(_, data) => onChange({ ownerField: data.value === '' ? null : data.value })}
          data-testid="owner-field"
        >
          <option value="">{t('wizard.mapping.ownerNone')}</option>
          {(dataset?.accountAttributes ?? []).map((f) => (
            <option key={f} value={f}>
              {attributeLabel(t, f)}
            </option>
          ))}
        </Select>
      </Field>

      <Checkbox
        checked={matchAccountDomains}
        onChange={(_, data) => onChange({ matchAccountDomains: data.checked === true })}
        label={t('wizard.mapping.matchDomains')}
      />
    </WizardStepSection>
  );
}

/** One required contact column, chosen from the dataset's columns. */
function ColumnPicker({
  label,
  error,
  fields,
  value,
  onChange,
  testId,
}: {
  label: string;
  error: string | undefined;
  fields: string[];
  value: string;
  onChange(value: string): void;
  testId: string;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <Field label={label} required validationState={error ? 'error' : 'none'} {...(error ? { validationMessage: error } : {})}>
      <Dropdown
        className={styles.dropdown}
        value={value}
        selectedOptions={value ? [value] : []}
        placeholder={t('wizard.mapping.choose')}
        expandIcon={{ 'aria-label': t('common.openList') }}
        onOptionSelect={(_, data) => onChange(data.optionValue ?? '')}
        data-testid={testId}
      >
        {fields.map((f) => (
          <Option key={f} value={f}>
            {f}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
