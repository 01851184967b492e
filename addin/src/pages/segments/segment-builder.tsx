import {
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Subtitle2,
  Textarea,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, DeleteRegular, GroupRegular, SaveRegular } from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import { useDebouncedValue } from '../../components/use-debounced-value';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { ColumnName, ConditionOperator, Level, Segment } from '../../platform/api/contracts';
import { levels } from '../../platform/api/view-queries';
import { toProblem, useApiResource, useLatestResource } from '../../platform/api/use-api-resource';
import { useInsightsApi } from '../../platform/api/use-insights-api';
import { columnLabel, columnTypes, durationColumns } from '../../components/results/cell-format';
import { segmentName } from './segment-names';
import {
  buildDefinition,
  countConditions,
  maxChildren,
  maxConditions,
  maxDepth,
  needsValue,
  newCondition,
  newGroup,
  operatorsFor,
  segmentColumns,
  updateNode,
  type ConditionDraft,
  type DraftError,
  type GroupDraft,
  type SegmentDraft,
} from './segment-draft';

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
  group: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    paddingLeft: tokens.spacingHorizontalM,
    borderLeftWidth: tokens.strokeWidthThick,
    borderLeftStyle: 'solid',
    borderLeftColor: tokens.colorBrandStroke1,
    minWidth: 0,
  },
  nested: { borderLeftColor: tokens.colorNeutralStroke1 },
  condition: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    alignItems: 'flex-end',
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    minWidth: 0,
  },
  column: { flexBasis: '200px', flexGrow: 2, minWidth: 0 },
  operator: { flexBasis: '130px', flexGrow: 1, minWidth: 0 },
  value: { flexBasis: '110px', flexGrow: 1, minWidth: 0 },
  fill: { width: '100%', minWidth: 0 },
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
 * button, so the whole builder works from the keyboard.
 */
export function SegmentBuilder({ enrichmentId, initial, editing, canSave, onSaved, onCancel }: SegmentBuilderProps) {
  const styles = useStyles();
  const { t, format } = useI18n();
  const api = useInsightsApi();
  const [draft, setDraft] = useState<SegmentDraft>(initial);
  const [name, setName] = useState(editing ? segmentName(t, editing) : '');
  const [description, setDescription] = useState(editing?.description ?? '');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);

  const { definition, errors } = useMemo(() => buildDefinition(draft), [draft]);
  const settled = useDebouncedValue(definition, 250);
  const settledKey = JSON.stringify(settled);
  // Only the count for the latest definition is shown, however the answers arrive.
  const count = useLatestResource(
    (signal) => (settled ? api.countSegment(enrichmentId, settled, signal) : Promise.resolve(null)),
    [api, enrichmentId, settledKey],
  );
  const periods = useApiResource(
    (signal) => (draft.level === 'Year' ? Promise.resolve([] as string[]) : api.listPeriods(enrichmentId, draft.level, signal).then((p) => p.periods)),
    [api, enrichmentId, draft.level],
  );
  const conditionCount = countConditions(draft.root);

  const update = (id: string, fn: (node: ConditionDraft | GroupDraft) => ConditionDraft | GroupDraft | null) =>
    setDraft((d) => ({ ...d, root: updateNode(d.root, id, fn) }));

  const save = async () => {
    if (!definition || !name.trim()) return;
    setSaving(true);
    setSaveError(null);
    try {
      const body = { name: name.trim(), description: description.trim(), definition };
      const saved = editing ? await api.updateSegment(enrichmentId, editing.id, body) : await api.createSegment(enrichmentId, body);
      onSaved(saved);
    } catch (error) {
      setSaveError(toProblem(error).detail);
    } finally {
      setSaving(false);
    }
  };

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
        ) : count.status === 'loading' || settledKey !== JSON.stringify(definition) ? (
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

function GroupEditor({
  group,
  depth,
  errors,
  canAddCondition,
  onChange,
  onRemove,
}: {
  group: GroupDraft;
  depth: number;
  errors: Record<string, DraftError>;
  canAddCondition: boolean;
  onChange(id: string, fn: (node: ConditionDraft | GroupDraft) => ConditionDraft | GroupDraft | null): void;
  onRemove?: () => void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const full = group.children.length >= maxChildren;
  const addChild = (child: ConditionDraft | GroupDraft) =>
    onChange(group.id, (g) => ({ ...(g as GroupDraft), children: [...(g as GroupDraft).children, child] }));
  const combinatorLabel = t('segments.combinatorLabel');
  return (
    <div className={mergeClasses(styles.group, depth > 1 && styles.nested)} role="group" aria-label={t('segments.groupLabel', { depth })} data-group-depth={depth}>
      <RadioGroup
        layout="horizontal"
        value={group.combinator}
        onChange={(_, d) => onChange(group.id, (g) => ({ ...(g as GroupDraft), combinator: d.value as 'and' | 'or' }))}
        aria-label={combinatorLabel}
      >
        <Radio value="and" label={t('segments.and')} data-testid="combinator-and" />
        <Radio value="or" label={t('segments.or')} data-testid="combinator-or" />
      </RadioGroup>
      {errors[group.id] ? <Caption1 role="alert">{t(`segments.error.${errors[group.id]!}`)}</Caption1> : null}
      {group.children.map((child, index) =>
        child.kind === 'group' ? (
          <GroupEditor
            key={child.id}
            group={child}
            depth={depth + 1}
            errors={errors}
            canAddCondition={canAddCondition}
            onChange={onChange}
            onRemove={() => onChange(child.id, () => null)}
          />
        ) : (
          <ConditionEditor
            key={child.id}
            condition={child}
            index={index + 1}
            errors={errors}
            onChange={(fn) => onChange(child.id, (c) => fn(c as ConditionDraft))}
            onRemove={() => onChange(child.id, () => null)}
          />
        ),
      )}
      <div className={styles.actions}>
        <Button size="small" icon={<AddRegular />} disabled={full || !canAddCondition} onClick={() => addChild(newCondition())} data-testid="add-condition">
          {t('segments.addCondition')}
        </Button>
        {depth < maxDepth ? (
          <Button size="small" icon={<GroupRegular />} disabled={full || !canAddCondition} onClick={() => addChild(newGroup(group.combinator === 'and' ? 'or' : 'and'))}>
            {t('segments.addGroup')}
          </Button>
        ) : null}
        {onRemove ? (
          <Button size="small" appearance="subtle" icon={<DeleteRegular />} onClick={onRemove}>
            {t('segments.removeGroup')}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

function ConditionEditor({
  condition,
  index,
  errors,
  onChange,
  onRemove,
}: {
  condition: ConditionDraft;
  index: number;
  errors: Record<string, DraftError>;
  onChange(fn: (c: ConditionDraft) => ConditionDraft): void;
  onRemove(): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const type = columnTypes[condition.column];
  const operators = operatorsFor(type);
  const inputType = type === 'date' ? 'date' : 'text';
  const error = errors[condition.id];
  const errorTo = errors[`${condition.id}:to`];
  const showErrors = condition.value !== '' || condition.valueTo !== '';
  return (
    <div className={styles.condition} role="group" aria-label={t('segments.conditionLabel', { index })} data-testid="condition">
      <Field label={t('segments.column')} className={styles.column}>
        <Select
          className={styles.fill}
          value={condition.column}
          onChange={(_, d) => {
            const column = d.value as ColumnName;
            const ops = operatorsFor(columnTypes[column]);
            onChange((c) => ({ ...c, column, operator: ops.includes(c.operator) ? c.operator : ops[0]!, value: '', valueTo: '' }));
          }}
          data-testid="condition-column"
        >
          {segmentColumns.map((column) => (
            <option key={column} value={column}>
              {columnLabel(t, column)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('segments.operator')} className={styles.operator}>
        <Select
          className={styles.fill}
          value={condition.operator}
          onChange={(_, d) => onChange((c) => ({ ...c, operator: d.value as ConditionOperator }))}
          data-testid="condition-operator"
        >
          {operators.map((op) => (
            <option key={op} value={op}>
              {t(`operator.${op}`)}
            </option>
          ))}
        </Select>
      </Field>
      {needsValue(condition.operator) ? (
        <Field
          label={condition.operator === 'between' ? t('segments.from') : t('segments.value')}
          // Durations are typed in minutes; the grid and card show them in the unit that reads best.
          {...(durationColumns.has(condition.column) ? { hint: t('segments.inMinutes') } : {})}
          className={styles.value}
          validationState={error && showErrors ? 'error' : 'none'}
          validationMessage={error && showErrors ? t(`segments.error.${error}`) : undefined}
        >
          <Input
            className={styles.fill}
            type={inputType}
            inputMode={type === 'number' ? 'decimal' : undefined}
            value={condition.value}
            onChange={(_, d) => onChange((c) => ({ ...c, value: d.value }))}
            data-testid="condition-value"
          />
        </Field>
      ) : null}
      {condition.operator === 'between' ? (
        <Field
          label={t('segments.to')}
          {...(durationColumns.has(condition.column) ? { hint: t('segments.inMinutes') } : {})}
          className={styles.value}
          validationState={errorTo && showErrors ? 'error' : 'none'}
          validationMessage={errorTo && showErrors ? t(`segments.error.${errorTo}`) : undefined}
        >
          <Input
            className={styles.fill}
            type={inputType}
            inputMode={type === 'number' ? 'decimal' : undefined}
            value={condition.valueTo}
            onChange={(_, d) => onChange((c) => ({ ...c, valueTo: d.value }))}
            data-testid="condition-value-to"
          />
        </Field>
      ) : null}
      <Button
        appearance="subtle"
        icon={<DeleteRegular />}
        aria-label={t('segments.removeCondition', { index })}
        onClick={onRemove}
        data-testid="remove-condition"
      />
    </div>
  );
}
