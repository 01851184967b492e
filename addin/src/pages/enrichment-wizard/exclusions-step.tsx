import {
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Tag,
  TagGroup,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { AddRegular, MailRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { AdminApi } from '../../platform/api/admin-api';
import type { ApiProblem } from '../../platform/api/api-problem';
import { useI18n } from '../../platform/i18n/i18n-context';
import { toProblem } from '../../platform/api/use-api-resource';
import { maxExclusions, mergeDomains, parseEntries } from './wizard-draft';
import { WizardStepSection } from './wizard-step-section';

const useStyles = makeStyles({
  block: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'flex-start' },
  input: { flexGrow: 1, minWidth: '0', width: '100%', maxWidth: '420px' },
  tags: { flexWrap: 'wrap', rowGap: tokens.spacingVerticalXS, overflowWrap: 'anywhere' },
  subheading: { ...typographyStyles.body1Strong, margin: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
});

function ExclusionList({
  kind,
  values,
  onChange,
  testId,
}: {
  kind: 'address' | 'domain';
  values: string[];
  onChange(next: string[]): void;
  testId: string;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [message, setMessage] = useState<{ state: 'error' | 'warning' | 'success'; text: string } | null>(null);
  const label = kind === 'address' ? t('wizard.exclusions.addresses') : t('wizard.exclusions.domains');

  const add = () => {
    const parsed = parseEntries(text, kind, values);
    const room = maxExclusions - values.length;
    const accepted = parsed.added.slice(0, Math.max(0, room));
    if (accepted.length > 0) onChange([...values, ...accepted]);
    if (parsed.invalid.length > 0) {
      // Keep what could not be read in the box, so it can be corrected rather than retyped.
      setText(parsed.invalid.join(', '));
      setMessage({
        state: 'error',
        text: t(kind === 'address' ? 'wizard.exclusions.invalidAddress' : 'wizard.exclusions.invalidDomain', { values: parsed.invalid.join(', ') }),
      });
    } else if (parsed.added.length > accepted.length) {
      setText('');
      setMessage({ state: 'warning', text: t('wizard.exclusions.limit', { max: maxExclusions }) });
    } else if (parsed.duplicates.length > 0 && accepted.length === 0) {
      setText('');
      setMessage({ state: 'warning', text: t('wizard.exclusions.duplicate', { values: parsed.duplicates.join(', ') }) });
    } else {
      setText('');
      setMessage(accepted.length > 0 ? { state: 'success', text: t('wizard.exclusions.added', { count: accepted.length }) } : null);
    }
  };

  return (
    <div className={styles.block} data-testid={testId}>
      <Field
        label={label}
        hint={kind === 'address' ? t('wizard.exclusions.addressHint') : t('wizard.exclusions.domainHint')}
        validationState={message?.state ?? 'none'}
        {...(message ? { validationMessage: message.text } : {})}
      >
        <div className={styles.row}>
          <Input
            className={styles.input}
            value={text}
            onChange={(_, data) => setText(data.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
            placeholder={kind === 'address' ? t('wizard.exclusions.addressExample') : 'partner.example'}
          />
          <Button icon={<AddRegular />} onClick={add} disabled={text.trim() === ''}>
            {t('wizard.exclusions.add')}
          </Button>
        </div>
      </Field>
      {values.length === 0 ? (
        <Caption1 className={styles.muted}>{t('wizard.exclusions.none')}</Caption1>
      ) : (
        <TagGroup
          className={styles.tags}
          aria-label={label}
          onDismiss={(_, data) => onChange(values.filter((v) => v !== data.value))}
        >
          {values.map((v) => (
            <Tag key={v} value={v} size="small" data-testid="excluded-entry" dismissible dismissIcon={{ 'aria-label': t('wizard.exclusions.remove', { value: v }) }}>
              {v}
            </Tag>
          ))}
        </TagGroup>
      )}
    </div>
  );
}

/** Step 6 (optional): addresses and whole domains whose mail is never counted. */
export function ExclusionsStep({
  admin,
  addresses,
  domains,
  onChange,
  focusOnMount,
}: {
  admin: AdminApi;
  addresses: string[];
  domains: string[];
  onChange(patch: { excludedAddresses?: string[]; excludedDomains?: string[] }): void;
  focusOnMount: boolean;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const [freeMail, setFreeMail] = useState<{ status: 'idle' | 'loading' } | { status: 'done'; added: number } | { status: 'error'; problem: ApiProblem }>({
    status: 'idle',
  });

  const addFreeMail = async () => {
    setFreeMail({ status: 'loading' });
    try {
      const { domains: common } = await admin.freeMailDomains();
      const merged = mergeDomains(domains, common).slice(0, maxExclusions);
      onChange({ excludedDomains: merged });
      setFreeMail({ status: 'done', added: merged.length - domains.length });
    } catch (error) {
      setFreeMail({ status: 'error', problem: toProblem(error) });
    }
  };

  return (
    <WizardStepSection title={t('wizard.step.exclusions')} intro={t('wizard.exclusions.intro')} focusOnMount={focusOnMount} testId="step-exclusions">
      <ExclusionList kind="address" values={addresses} onChange={(next) => onChange({ excludedAddresses: next })} testId="excluded-addresses" />
      <ExclusionList kind="domain" values={domains} onChange={(next) => onChange({ excludedDomains: next })} testId="excluded-domains" />
      <div className={styles.row}>
        <Button icon={<MailRegular />} onClick={addFreeMail} disabled={freeMail.status === 'loading'} data-testid="add-free-mail">
          {freeMail.status === 'loading' ? t('wizard.exclusions.freeMailAdding') : t('wizard.exclusions.freeMail')}
        </Button>
      </div>
      {freeMail.status === 'done' ? (
        <MessageBar intent="success" role="status">
          <MessageBarBody>
            {freeMail.added > 0 ? t('wizard.exclusions.freeMailAdded', { count: freeMail.added }) : t('wizard.exclusions.freeMailNone')}
          </MessageBarBody>
        </MessageBar>
      ) : freeMail.status === 'error' ? (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{freeMail.problem.detail}</MessageBarBody>
        </MessageBar>
      ) : null}
    </WizardStepSection>
  );
}
