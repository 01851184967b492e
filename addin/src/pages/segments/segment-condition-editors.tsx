import {
  Button,
  Caption1,
  Field,
  Input,
  Radio,
  RadioGroup,
  Select,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, DeleteRegular, GroupRegular } from '@fluentui/react-icons';
import { columnLabel, columnTypes, durationColumns } from '../../components/results/cell-format';
import type { ColumnName, ConditionOperator } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import {
  maxChildren,
  maxDepth,
  needsValue,
  newCondition,
  newGroup,
  operatorsFor,
  segmentColumns,
  type ConditionDraft,
  type DraftError,
  type GroupDraft,
} from './segment-draft';

const useStyles = makeStyles({
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
});

/** A group of conditions combined with AND or OR, and the groups nested in it (up to `maxDepth`). */
export function GroupEditor({
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
