import { Button, Field, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowLeftRegular, CheckmarkRegular } from '@fluentui/react-icons';
import { ErrorState } from '../../components/error-state';
import type { AdminApi } from '../../platform/api/admin-api';
import type { CommitMode, ImportSession } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import { ImportReport } from './import-report';
import type { DatasetImportState } from './use-dataset-import';

const useStyles = makeStyles({
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  modes: { overflowWrap: 'anywhere' },
});

/** After the upload: the row-by-row report, the commit mode, and commit, change files or cancel. */
export function ImportCommitStep({ admin, session, state }: { admin: AdminApi; session: ImportSession; state: DatasetImportState }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { phase, mode, setMode, problem, commit, setPhase, cancel } = state;
  return (
    <>
      <ImportReport admin={admin} session={session} />
      <Field label={t('import.modeLabel')}>
        <RadioGroup className={styles.modes} value={mode} onChange={(_, data) => setMode(data.value as CommitMode)} data-testid="commit-mode">
          <Radio value="all-or-nothing" label={t('import.modeAll')} />
          <Radio value="valid-only" label={t('import.modeValid')} />
        </RadioGroup>
      </Field>
      <CommitBlocker session={session} mode={mode} />
      {problem ? <ErrorState problem={problem} /> : null}
      <div className={styles.actions}>
        <Button
          appearance="primary"
          icon={phase.kind === 'committing' ? <Spinner size="tiny" /> : <CheckmarkRegular />}
          disabled={phase.kind === 'committing' || commitBlocked(session, mode)}
          onClick={() => commit(session)}
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
