import {
  Body1,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Spinner,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { ArrowLeftRegular, CheckmarkRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import { ErrorState } from '../../components/error-state';
import type { AdminApi } from '../../platform/api/admin-api';
import type { CommitMode, DatasetSummary, ImportSession } from '../../platform/api/contracts';
import type { ApiProblem } from '../../platform/api/api-problem';
import { useI18n } from '../../platform/i18n/i18n-context';
import { toProblem } from '../../platform/api/use-api-resource';
import { FileStage } from './file-stage';
import { contentTypeFor, guessAccountsColumns, guessContactsColumns, type AccountsColumns, type ContactsColumns } from './import-files';
import { ImportReport } from './import-report';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '880px', minWidth: 0 },
  heading: { ...typographyStyles.subtitle1, margin: 0 },
  name: { maxWidth: '420px', width: '100%' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  modes: { overflowWrap: 'anywhere' },
});

type Phase =
  | { kind: 'setup' }
  | { kind: 'uploading'; step: 'session' | 'accounts' | 'contacts' }
  | { kind: 'report'; session: ImportSession }
  | { kind: 'committing'; session: ImportSession };

/**
 * Import (or re-import) customer data: name it, pick the accounts and contacts files, check
 * their columns, upload both into a staging session, read the row-by-row report, then choose
 * all-or-nothing or valid rows only. Nothing is visible to enrichments until the commit.
 */
export function DatasetImport({
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
  const [name, setName] = useState(target?.name ?? '');
  const [accountsFile, setAccountsFile] = useState<File | null>(null);
  const [contactsFile, setContactsFile] = useState<File | null>(null);
  const [accountsColumns, setAccountsColumns] = useState<AccountsColumns>({ accountIdColumn: '', nameColumn: '', domainsColumn: '' });
  const [contactsColumns, setContactsColumns] = useState<ContactsColumns>({ emailColumn: '', accountIdColumn: '' });
  const [showErrors, setShowErrors] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'setup' });
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [mode, setMode] = useState<CommitMode>('all-or-nothing');
  const sessionRef = useRef<ImportSession | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const trimmed = name.trim();
  const nameTaken = !target && existingNames.some((n) => n.toLowerCase() === trimmed.toLowerCase());
  const nameError = showErrors && trimmed === '' ? t('import.nameRequired') : trimmed.length > 100 ? t('import.nameLength') : nameTaken ? t('import.nameTaken') : undefined;
  const ready =
    trimmed !== '' &&
    trimmed.length <= 100 &&
    !nameTaken &&
    !!accountsFile &&
    !!contactsFile &&
    accountsColumns.accountIdColumn !== '' &&
    contactsColumns.emailColumn !== '' &&
    contactsColumns.accountIdColumn !== '';

  const upload = async () => {
    setShowErrors(true);
    if (!ready || !accountsFile || !contactsFile) return;
    setProblem(null);
    try {
      let session = sessionRef.current;
      if (!session || session.status !== 'open') {
        setPhase({ kind: 'uploading', step: 'session' });
        session = await admin.startImport(target ? { name: trimmed, datasetId: target.id } : { name: trimmed });
        sessionRef.current = session;
      }
      setPhase({ kind: 'uploading', step: 'accounts' });
      session = await admin.uploadAccounts(session.id, accountsFile, contentTypeFor(accountsFile.name), {
        accountIdColumn: accountsColumns.accountIdColumn,
        ...(accountsColumns.nameColumn ? { nameColumn: accountsColumns.nameColumn } : {}),
        ...(accountsColumns.domainsColumn ? { domainsColumn: accountsColumns.domainsColumn } : {}),
      });
      setPhase({ kind: 'uploading', step: 'contacts' });
      session = await admin.uploadContacts(session.id, contactsFile, contentTypeFor(contactsFile.name), contactsColumns);
      sessionRef.current = session;
      // Leaving rows out is the admin's explicit choice, never a default.
      setMode('all-or-nothing');
      setPhase({ kind: 'report', session });
    } catch (error) {
      setProblem(toProblem(error));
      setPhase(sessionRef.current?.accounts && sessionRef.current.contacts ? { kind: 'report', session: sessionRef.current } : { kind: 'setup' });
    }
  };

  const commit = async (session: ImportSession) => {
    setProblem(null);
    setPhase({ kind: 'committing', session });
    try {
      const dataset = await admin.commitImport(session.id, mode);
      sessionRef.current = null;
      onDone(dataset);
    } catch (error) {
      setProblem(toProblem(error));
      setPhase({ kind: 'report', session });
    }
  };

  const cancel = async () => {
    const session = sessionRef.current;
    sessionRef.current = null;
    // Discarding frees the staged rows now rather than when the session expires; a failure here
    // changes nothing the admin can see, so it is not worth blocking the way back.
    if (session && session.status === 'open') await admin.discardImport(session.id).catch(() => undefined);
    onCancel();
  };

  const busy = phase.kind === 'uploading' || phase.kind === 'committing';
  const uploadingLabel =
    phase.kind === 'uploading'
      ? phase.step === 'session'
        ? t('import.startingSession')
        : phase.step === 'accounts'
          ? t('import.uploadingAccounts')
          : t('import.uploadingContacts')
      : '';

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
        <>
          <ImportReport admin={admin} session={phase.session} />
          <Field label={t('import.modeLabel')}>
            <RadioGroup className={styles.modes} value={mode} onChange={(_, data) => setMode(data.value as CommitMode)} data-testid="commit-mode">
              <Radio value="all-or-nothing" label={t('import.modeAll')} />
              <Radio value="valid-only" label={t('import.modeValid')} />
            </RadioGroup>
          </Field>
          <CommitBlocker session={phase.session} mode={mode} />
          {problem ? <ErrorState problem={problem} /> : null}
          <div className={styles.actions}>
            <Button
              appearance="primary"
              icon={phase.kind === 'committing' ? <Spinner size="tiny" /> : <CheckmarkRegular />}
              disabled={phase.kind === 'committing' || commitBlocked(phase.session, mode)}
              onClick={() => commit(phase.session)}
              data-testid="import-commit"
            >
              {phase.kind === 'committing' ? t('import.committing') : t('import.commit')}
            </Button>
            <Button icon={<ArrowLeftRegular />} disabled={phase.kind === 'committing'} onClick={() => setPhase({ kind: 'setup' })}>
              {t('import.changeFiles')}
            </Button>
            <Button disabled={phase.kind === 'committing'} onClick={cancel}>
              {t('import.cancel')}
            </Button>
          </div>
        </>
      )}
    </section>
  );
}

function rejectedRows(session: ImportSession): number {
  return (session.accounts?.rejected ?? 0) + (session.contacts?.rejected ?? 0);
}

function commitBlocked(session: ImportSession, mode: CommitMode): boolean {
  const validContacts = session.contacts?.valid ?? 0;
  const validAccounts = session.accounts?.valid ?? 0;
  if (validAccounts === 0 || validContacts === 0) return true;
  return mode === 'all-or-nothing' && rejectedRows(session) > 0;
}

function CommitBlocker({ session, mode }: { session: ImportSession; mode: CommitMode }) {
  const { t } = useI18n();
  const rejected = rejectedRows(session);
  if ((session.accounts?.valid ?? 0) === 0 || (session.contacts?.valid ?? 0) === 0) {
    return (
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>{t('import.nothingValid')}</MessageBarBody>
      </MessageBar>
    );
  }
  if (mode === 'all-or-nothing' && rejected > 0) {
    return (
      <MessageBar intent="warning" layout="multiline" data-testid="all-or-nothing-blocked">
        <MessageBarBody>
          <MessageBarTitle>{t('import.allBlockedTitle')}</MessageBarTitle>
          {t('import.allBlocked', { count: rejected })}
        </MessageBarBody>
      </MessageBar>
    );
  }
  return null;
}
