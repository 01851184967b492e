import {
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Subtitle2,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { SaveRegular } from '@fluentui/react-icons';
import type { Level, Segment } from '../../platform/api/contracts';
import { levels } from '../../platform/api/view-queries';
import { useI18n } from '../../platform/i18n/i18n-context';
import { maxConditions, type SegmentDraft } from './segment-draft';
import { GroupEditor } from './segment-condition-editors';
import { segmentName } from './segment-names';
import { useSegmentBuilder } from './use-segment-builder';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    maxWidth: '960px',
    minWidth: 0,
  },
  heading: { margin: 0 },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', minWidth: 0 },
  grow: { flexGrow: 1, flexBasis: '200px', minWidth: 0 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  count: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    fontSize: tokens.fontSizeBase400,
    fontWeight: tokens.fontWeightSemibold,
  },
});

export interface SegmentBuilderProps {
  enrichmentId: string;
  initial: SegmentDraft;
  /** The segment being edited, or null for a new one. */
  editing: Segment | null;
  canSave: boolean;
  onSaved(segment: Segment): void;
  onCancel(): void;
}

/**
 * Build a segment from conditions combined with AND/OR (nested groups allowed), with the
 * member count updated as you type. Every control is a native form control or a Fluent
 * button, so the whole builder works from the keyboard. State and effects: `useSegmentBuilder`.
 */
export function SegmentBuilder({ enrichmentId, initial, editing, canSave, onSaved, onCancel }: SegmentBuilderProps) {
  const styles = useStyles();
  const { t, format } = useI18n();
  const { draft, setDraft, update, definition, errors, countStale, count, periods, conditionCount, name, setName, description, setDescription, saving, saveError, save } = useSegmentBuilder({
    enrichmentId,
    initial,
    editing,
    onSaved,
  });

  return (
    <section className={styles.root} aria-labelledby="builder-heading" data-testid="segment-builder">
      <Subtitle2 as="h2" id="builder-heading" className={styles.heading}>
        {editing ? t('segments.editTitle', { name: segmentName(t, editing) }) : t('segments.newTitle')}
      </Subtitle2>
      <div className={styles.row}>
        <Field label={t('segments.level')}>
          <Select value={draft.level} onChange={(_, d) => setDraft((x) => ({ ...x, level: d.value as Level, period: '' }))} data-testid="builder-level">
            {levels.map((level) => (
              <option key={level} value={level}>
                {t(`level.${level}`)}
              </option>
            ))}
          </Select>
        </Field>
        {draft.level !== 'Year' ? (
          <Field label={t('segments.period')}>
            <Select value={draft.period} onChange={(_, d) => setDraft((x) => ({ ...x, period: d.value }))}>
              <option value="">{t('segments.latestPeriod')}</option>
              {periods.status === 'ready'
                ? periods.data.map((p) => (
                    <option key={p} value={p}>
                      {format.period(draft.level, p)}
                    </option>
                  ))
                : null}
            </Select>
          </Field>
        ) : null}
      </div>

      <GroupEditor
        group={draft.root}
        depth={1}
        errors={errors}
        canAddCondition={conditionCount < maxConditions}
        onChange={update}
      />

      <div className={styles.count} aria-live="polite" data-testid="live-count">
        {!definition ? (
          <Caption1>{t('segments.countNeedsValues')}</Caption1>
        ) : count.status === 'loading' || countStale ? (
          <Spinner size="extra-tiny" label={t('segments.counting')} />
        ) : count.status === 'error' ? (
          <Caption1 role="alert">{count.problem.detail}</Caption1>
        ) : count.data ? (
          <span data-count={count.data.count}>{t('segments.liveCount', { count: count.data.count, total: count.data.total })}</span>
        ) : null}
      </div>

      {canSave ? (
        <>
          <div className={styles.row}>
            <Field label={t('segments.name')} required className={styles.grow}>
              <Input value={name} onChange={(_, d) => setName(d.value)} maxLength={80} data-testid="segment-name" />
            </Field>
          </div>
          <Field label={t('segments.description')}>
            <Textarea value={description} onChange={(_, d) => setDescription(d.value)} maxLength={500} resize="vertical" />
          </Field>
        </>
      ) : (
        <Caption1>{t('segments.sellerCannotSave')}</Caption1>
      )}
      {saveError ? (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{saveError}</MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.actions}>
        {canSave ? (
          <Button
            appearance="primary"
            icon={<SaveRegular />}
            disabled={!definition || !name.trim() || saving}
            onClick={save}
            data-testid="segment-save"
          >
            {saving ? t('segments.saving') : t('segments.save')}
          </Button>
        ) : null}
        <Button onClick={onCancel}>{t('segments.close')}</Button>
      </div>
    </section>
  );
}

