import { Body1, Button, Field, Input, Spinner, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { ErrorState } from '../../components/error-state';
import type { AdminApi } from '../../platform/api/admin-api';
import type { DatasetSummary } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import { FileStage } from './file-stage';
import { ImportCommitStep } from './import-commit-step';
import { guessAccountsColumns, guessContactsColumns } from './import-files';
import { useDatasetImport } from './use-dataset-import';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '880px', minWidth: 0 },
  heading: { ...typographyStyles.subtitle1, margin: 0 },
  name: { maxWidth: '420px', width: '100%' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

/**
 * Import (or re-import) customer data: name it, pick the accounts and contacts files, check
 * their columns, upload both into a staging session, read the row-by-row report, then choose
 * all-or-nothing or valid rows only. Nothing is visible to enrichments until the commit.
 * State and effects: `useDatasetImport`.
 */export function DatasetImport({
  admin,
  target,
  existingNames,
  onDone,
  onCancel,
}: {
  admin: AdminApi;
  /** Set when re-importing: a new version of this dataset. */
  target: DatasetSummary | null;
  existingNames: string[];
  onDone(dataset: DatasetSummary): void;
  onCancel(): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const state = useDatasetImport({ admin, target, existingNames, onDone, onCancel });
  const { name, setName, nameError, accountsFile, setAccountsFile, contactsFile, setContactsFile, accountsColumns, setAccountsColumns, contactsColumns, setContactsColumns, showErrors, phase, problem, busy, uploadingLabel, upload, cancel } = state;
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <section className={styles.root} aria-labelledby="import-heading" data-testid="dataset-import">
      <h2 id="import-heading" ref={headingRef} tabIndex={-1} className={styles.heading}>
        {target ? t('import.titleReimport', { name: target.name }) : t('import.titleNew')}
      </h2>
      <Body1>{t('import.intro')}</Body1>

      {phase.kind === 'setup' || phase.kind === 'uploading' ? (
        <>
          <Field
            label={t('import.name')}
            required
            hint={target ? t('import.nameFixed') : t('import.nameHint')}
            validationState={nameError ? 'error' : 'none'}
            {...(nameError ? { validationMessage: nameError } : {})}
          >
            <Input
              className={styles.name}
              value={name}
              disabled={!!target || busy}
              onChange={(_, data) => setName(data.value)}
              data-testid="dataset-name"
            />
          </Field>
          <FileStage
            admin={admin}
            title={t('import.accountsTitle')}
            hint={t('import.accountsHint')}
            file={accountsFile}
            onFile={setAccountsFile}
            onColumns={(columns) => setAccountsColumns(guessAccountsColumns(columns))}
            slots={[
              { key: 'accountIdColumn', label: t('import.col.accountId'), required: true, value: accountsColumns.accountIdColumn },
              { key: 'nameColumn', label: t('import.col.accountName'), required: false, value: accountsColumns.nameColumn },
              { key: 'domainsColumn', label: t('import.col.domains'), required: false, value: accountsColumns.domainsColumn },
            ]}
            onSlot={(key, value) => setAccountsColumns((c) => ({ ...c, [key]: value }))}
            showErrors={showErrors}
            testId="accounts-file"
          />
          <FileStage
            admin={admin}
            title={t('import.contactsTitle')}
            hint={t('import.contactsHint')}
            file={contactsFile}
            onFile={setContactsFile}
            onColumns={(columns) => setContactsColumns(guessContactsColumns(columns))}
            slots={[
              { key: 'emailColumn', label: t('import.col.email'), required: true, value: contactsColumns.emailColumn },
              { key: 'accountIdColumn', label: t('import.col.contactAccountId'), required: true, value: contactsColumns.accountIdColumn },
            ]}
            onSlot={(key, value) => setContactsColumns((c) => ({ ...c, [key]: value }))}
            showErrors={showErrors}
            testId="contacts-file"
          />
          {problem ? <ErrorState problem={problem} /> : null}
          <div className={styles.actions}>
            <Button appearance="primary" onClick={upload} disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined} data-testid="import-upload">
              {busy ? uploadingLabel : t('import.upload')}
            </Button>
            <Button onClick={cancel} disabled={busy}>
              {t('import.cancel')}
            </Button>
          </div>
        </>
      ) : (
        <ImportCommitStep admin={admin} session={phase.session} state={state} />
      )}
    </section>
  );
}
