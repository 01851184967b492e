import {
  Avatar,
  Body1,
  Caption1,
  Field,
  MessageBar,
  MessageBarBody,
  Spinner,
  Tag,
  TagPicker,
  TagPickerControl,
  TagPickerGroup,
  TagPickerInput,
  TagPickerList,
  TagPickerOption,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { PeopleTeamRegular } from '@fluentui/react-icons';
import { ErrorState } from '../../components/error-state';
import type { AdminApi } from '../../platform/api/admin-api';
import type { UnresolvedReason } from '../../platform/api/contracts';
import type { StringKey } from '../../platform/i18n/strings-en';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { MailboxResolution } from './use-mailbox-resolution';
import { useDirectorySearch } from './use-directory-search';
import { mailboxLimits, pickKey, type PickedEntry } from './wizard-draft';
import { WizardStepSection } from './wizard-step-section';

const useStyles = makeStyles({
  picker: { maxWidth: '100%' },
  count: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    ...typographyStyles.body1Strong,
  },
  unresolved: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalXL,
    overflowWrap: 'anywhere',
  },
  subheading: { ...typographyStyles.body1Strong, margin: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
  // Long group names ("EMEA Key Accounts – Manufacturing and Industrial") wrap instead of being clipped.
  option: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
  tag: { maxWidth: '100%', height: 'auto', whiteSpace: 'normal', overflowWrap: 'anywhere' },
});

const reasonKeys: Record<UnresolvedReason, StringKey> = {
  'not-found': 'wizard.mailboxes.reason.notFound',
  'no-mailbox': 'wizard.mailboxes.reason.noMailbox',
  disabled: 'wizard.mailboxes.reason.disabled',
  'empty-group': 'wizard.mailboxes.reason.emptyGroup',
};

function EntryMedia({ entry }: { entry: { kind: 'user' | 'group'; displayName: string } }) {
  return entry.kind === 'group' ? (
    <Avatar aria-hidden size={24} icon={<PeopleTeamRegular />} shape="square" />
  ) : (
    <Avatar aria-hidden size={24} name={entry.displayName} color="colorful" />
  );
}

/**
 * Step 2: a people picker searching users and mail-enabled groups through the API. The number
 * of unique addresses the selection resolves to is recomputed live on the server (groups are
 * expanded transitively there) and announced politely; what does not resolve is listed.
 */
export function MailboxesStep({
  admin,
  picked,
  onChange,
  resolution,
  showErrors,
  focusOnMount,
}: {
  admin: AdminApi;
  picked: PickedEntry[];
  onChange(next: PickedEntry[]): void;
  resolution: MailboxResolution;
  showErrors: boolean;
  focusOnMount: boolean;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const { query, setQuery, q, open, setOpen, search, options, pickedKeys, onOptionSelect } = useDirectorySearch(admin, picked, onChange);

  const count = resolution.status === 'ready' ? resolution.data.count : null;
  let validationMessage: string | undefined;
  let validationState: 'error' | 'success' | 'none' = 'none';
  if (resolution.status === 'ready') {
    const c = resolution.data.count;
    if (c < mailboxLimits.min) {
      validationMessage = t('wizard.mailboxes.tooFew', { min: mailboxLimits.min, count: c });
      validationState = showErrors || picked.length > 0 ? 'error' : 'none';
    } else if (c > mailboxLimits.max) {
      validationMessage = t('wizard.mailboxes.tooMany', { max: mailboxLimits.max, count: c });
      validationState = 'error';
    } else {
      validationMessage = t('wizard.mailboxes.withinLimits', { min: mailboxLimits.min, max: mailboxLimits.max });
      validationState = 'success';
    }
  } else if (resolution.status === 'empty' && showErrors) {
    validationMessage = t('wizard.mailboxes.noneYet', { min: mailboxLimits.min });
    validationState = 'error';
  }

  return (
    <WizardStepSection title={t('wizard.step.mailboxes')} intro={t('wizard.mailboxes.intro')} focusOnMount={focusOnMount} testId="step-mailboxes">
      <Field
        label={t('wizard.mailboxes.pickerLabel')}
        hint={t('wizard.mailboxes.pickerHint')}
        validationState={validationState}
        {...(validationState !== 'none' && validationMessage ? { validationMessage } : {})}
      >
        <TagPicker
          onOptionSelect={onOptionSelect}
          selectedOptions={pickedKeys}
          open={open && query.trim() !== ''}
          onOpenChange={(_, data) => setOpen(data.open)}
        >
          <TagPickerControl className={styles.picker} expandIcon={{ 'aria-label': t('common.openList') }} data-testid="mailbox-picker">
            <TagPickerGroup aria-label={t('wizard.mailboxes.selectedLabel')}>
              {picked.map((p) => (
                <Tag
                  key={pickKey(p)}
                  value={pickKey(p)}
                  shape="rounded"
                  media={<EntryMedia entry={p} />}
                  secondaryText={p.kind === 'group' ? t('wizard.mailboxes.group') : undefined}
                  aria-label={t('wizard.mailboxes.removeSelection', { name: p.displayName })}
                  className={styles.tag}
                  data-testid="picked-entry"
                >
                  {p.displayName}
                </Tag>
              ))}
            </TagPickerGroup>
            <TagPickerInput
              aria-label={t('wizard.mailboxes.searchLabel')}
              placeholder={picked.length === 0 ? t('wizard.mailboxes.searchPlaceholder') : undefined}
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setOpen(true);
              }}
            />
          </TagPickerControl>
          <TagPickerList>
            {search.status === 'idle' ? undefined : search.status === 'loading' || search.q !== q ? (
              <TagPickerOption value="searching" text={t('wizard.mailboxes.searching')}>
                {t('wizard.mailboxes.searching')}
              </TagPickerOption>
            ) : search.status === 'error' ? (
              <TagPickerOption value="no-matches" text={search.problem.detail}>
                {search.problem.detail}
              </TagPickerOption>
            ) : options.length === 0 ? (
              <TagPickerOption value="no-matches" text={t('wizard.mailboxes.noMatches', { q })}>
                {t('wizard.mailboxes.noMatches', { q })}
              </TagPickerOption>
            ) : (
              options.map((entry) => (
                <TagPickerOption
                  key={pickKey(entry)}
                  value={pickKey(entry)}
                  text={entry.displayName}
                  media={<EntryMedia entry={entry} />}
                  secondaryContent={
                    entry.kind === 'group'
                      ? [
                          typeof entry.memberCount === 'number'
                            ? t('wizard.mailboxes.groupMembers', { count: entry.memberCount })
                            : t('wizard.mailboxes.group'),
                          entry.mail,
                        ]
                          .filter(Boolean)
                          .join(' · ')
                      : (entry.mail ?? t('wizard.mailboxes.noAddress'))
                  }
                  className={styles.option}
                  data-kind={entry.kind}
                  data-member-count={entry.memberCount ?? undefined}
                >
                  {entry.displayName}
                </TagPickerOption>
              ))
            )}
          </TagPickerList>
        </TagPicker>
      </Field>

      {search.status === 'ready' && !search.groupsSearched ? (
        <MessageBar intent="info" layout="multiline" data-testid="groups-not-searched">
          <MessageBarBody>{t('wizard.mailboxes.groupsNeedConsent')}</MessageBarBody>
        </MessageBar>
      ) : null}

      <div className={styles.count} aria-live="polite" data-testid="resolved-count">
        {resolution.status === 'loading' ? <Spinner size="tiny" aria-hidden /> : null}
        {resolution.status === 'empty'
          ? t('wizard.mailboxes.countNone')
          : resolution.status === 'loading'
            ? t('wizard.mailboxes.counting')
            : count !== null
              ? t('wizard.mailboxes.count', { count })
              : null}
      </div>
      {resolution.status === 'error' ? <ErrorState problem={resolution.problem} onRetry={resolution.retry} /> : null}

      {resolution.status === 'ready' && resolution.data.unresolved.length > 0 ? (
        <div data-testid="unresolved">
          <h3 className={styles.subheading}>{t('wizard.mailboxes.unresolvedTitle', { count: resolution.data.unresolved.length })}</h3>
          <Caption1 className={styles.muted}>{t('wizard.mailboxes.unresolvedHint')}</Caption1>
          <ul className={styles.unresolved}>
            {resolution.data.unresolved.map((u) => (
              <li key={`${u.kind}:${u.id}`}>
                <Body1>
                  {u.displayName ?? u.id} — {t(reasonKeys[u.reason])}
                </Body1>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </WizardStepSection>
  );
}
