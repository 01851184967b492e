import { useRef, useState } from 'react';
import type { AdminApi } from '../../platform/api/admin-api';
import type { ApiProblem } from '../../platform/api/api-problem';
import type { CommitMode, DatasetSummary, ImportSession } from '../../platform/api/contracts';
import { toProblem } from '../../platform/api/use-api-resource';
import { useI18n } from '../../platform/i18n/i18n-context';
import { contentTypeFor, type AccountsColumns, type ContactsColumns } from './import-files';

export type Phase =
  | { kind: 'setup' }
  | { kind: 'uploading'; step: 'session' | 'accounts' | 'contacts' }
  | { kind: 'report'; session: ImportSession }
  | { kind: 'committing'; session: ImportSession };

/**
 * The import's state and effects: the name, both files and their columns, the phase (setup,
 * uploading, report, committing), the staging session, the commit mode, and the upload, commit
 * and cancel actions.
 */
export function useDatasetImport({ admin, target, existingNames, onDone, onCancel }: { admin: AdminApi; target: DatasetSummary | null; existingNames: string[]; onDone(dataset: DatasetSummary): void; onCancel(): void }) {
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

  return {
    name,
    setName,
    nameError,
    accountsFile,
    setAccountsFile,
    contactsFile,
    setContactsFile,
    accountsColumns,
    setAccountsColumns,
    contactsColumns,
    setContactsColumns,
    showErrors,
    phase,
    setPhase,
    problem,
    mode,
    setMode,
    busy,
    uploadingLabel,
    upload,
    commit,
    cancel,
  };
}

export type DatasetImportState = ReturnType<typeof useDatasetImport>;
