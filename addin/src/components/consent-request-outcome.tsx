import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { SendRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { ConsentRequestResult } from '../platform/api/contracts';
import type { ApiProblem } from '../platform/api/api-problem';
import { useI18n } from '../platform/i18n/i18n-context';
import { toProblem } from '../platform/api/use-api-resource';
import { CopyTextField } from './copy-text-field';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '720px', minWidth: 0 },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'flex-start' },
  input: { flexGrow: 1, minWidth: 0, width: '100%', maxWidth: '420px' },
  recipients: { overflowWrap: 'anywhere' },
});

const addressPattern = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/**
 * What happened to the consent request: mailed to the Global Administrators, mailed to chosen
 * recipients, or not mailed (then the admin names recipients here). The consent link is always
 * shown to copy, because mail may be slow, filtered, or the approver may prefer a chat.
 */
export function ConsentRequestOutcome({
  result,
  onSendTo,
}: {
  result: ConsentRequestResult;
  onSendTo?(recipients: string[]): Promise<ConsentRequestResult>;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const [current, setCurrent] = useState(result);
  const [text, setText] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const send = async () => {
    const entries = text
      .split(/[\s,;]+/)
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const invalid = entries.filter((e) => !addressPattern.test(e));
    if (entries.length === 0) {
      setInputError(t('consentOutcome.recipientsRequired'));
      return;
    }
    if (invalid.length > 0) {
      setInputError(t('consentOutcome.recipientsInvalid', { values: invalid.join(', ') }));
      return;
    }
    if (!onSendTo) return;
    setInputError(null);
    setProblem(null);
    setSending(true);
    try {
      setCurrent(await onSendTo(entries));
      setText('');
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setSending(false);
    }
  };

  return (
    <div className={styles.root} data-testid="consent-outcome" data-sent={String(current.sent)}>
      {current.sent ? (
        <MessageBar intent="success" layout="multiline" data-testid="consent-sent">
          <MessageBarBody>
            <MessageBarTitle>
              {current.recipientSource === 'global-admins'
                ? t('consentOutcome.sentToAdmins', { count: current.recipients.length })
                : t('consentOutcome.sentToChosen', { count: current.recipients.length })}
            </MessageBarTitle>
            <span className={styles.recipients}>{current.recipients.join(', ')}</span>
          </MessageBarBody>
        </MessageBar>
      ) : (
        <MessageBar intent="warning" layout="multiline" data-testid="consent-not-sent">
          <MessageBarBody>
            <MessageBarTitle>{t('consentOutcome.notSent')}</MessageBarTitle>
            {current.reason ?? t('consentOutcome.notSentNoReason')}
          </MessageBarBody>
        </MessageBar>
      )}
      {!current.sent && onSendTo ? (
        <Field
          label={t('consentOutcome.recipientsLabel')}
          hint={t('consentOutcome.recipientsHint')}
          validationState={inputError || problem ? 'error' : 'none'}
          {...(inputError ? { validationMessage: inputError } : problem ? { validationMessage: problem.detail } : {})}
        >
          <div className={styles.row}>
            <Input
              className={styles.input}
              value={text}
              onChange={(_, data) => setText(data.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void send();
                }
              }}
              placeholder="admin@contoso.example"
              data-testid="consent-recipients"
            />
            <Button icon={<SendRegular />} onClick={() => void send()} disabled={sending}>
              {sending ? t('consentOutcome.sending') : t('consentOutcome.send')}
            </Button>
          </div>
        </Field>
      ) : null}
      <CopyTextField label={t('consentOutcome.linkLabel')} hint={t('consentOutcome.linkHint')} value={current.link} testId="consent-link" />
    </div>
  );
}
