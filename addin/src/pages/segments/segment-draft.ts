import type { ColumnName, ColumnType, ConditionOperator, Level, SegmentCondition, SegmentDefinition, SegmentGroup } from '../../platform/api/contracts';
import { columnTypes } from '../../components/results/cell-format';

/**
 * The segment builder's editable tree. Values stay as typed text until the definition is
 * built, so a half-typed number is an error on its field rather than a refused request.
 */
export interface ConditionDraft {
  kind: 'condition';
  id: string;
  column: ColumnName;
  operator: ConditionOperator;
  value: string;
  valueTo: string;
}

export interface GroupDraft {
  kind: 'group';
  id: string;
  combinator: 'and' | 'or';
  children: (ConditionDraft | GroupDraft)[];
}

export interface SegmentDraft {
  level: Level;
  period: string;
  root: GroupDraft;
}

export type DraftError = 'valueRequired' | 'notANumber' | 'notADate' | 'toBeforeFrom' | 'emptyGroup';

// The API's limits, checked here too so the builder can say so before sending.
export const maxDepth = 4;
export const maxChildren = 20;
export const maxConditions = 40;

/** Columns a segment can filter on, and which operators make sense for each type. */
export const segmentColumns = (Object.keys(columnTypes) as ColumnName[]).filter((c) => c !== 'AggregationLevel');

export function operatorsFor(type: ColumnType): ConditionOperator[] {
  if (type === 'string') return ['=', 'isEmpty', 'isNotEmpty'];
  return ['>', '<', '>=', '<=', '=', 'between', 'isEmpty', 'isNotEmpty'];
}

export function needsValue(op: ConditionOperator): boolean {
  return op !== 'isEmpty' && op !== 'isNotEmpty';
}

let counter = 0;
export function newId(): string {
  counter += 1;
  return `n${counter}`;
}

export function newCondition(column: ColumnName = 'DaysSinceLastEmail'): ConditionDraft {
  return { kind: 'condition', id: newId(), column, operator: '>', value: '', valueTo: '' };
}

export function newGroup(combinator: 'and' | 'or' = 'and'): GroupDraft {
  return { kind: 'group', id: newId(), combinator, children: [newCondition()] };
}

function parseValue(type: ColumnType, text: string): { ok: true; value: number | string } | { ok: false; error: DraftError } {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, error: 'valueRequired' };
  if (type === 'number') {
    const normalised = trimmed.replace(',', '.');
    if (!/^-?\d+(\.\d+)?$/.test(normalised)) return { ok: false, error: 'notANumber' };
    return { ok: true, value: Number(normalised) };
  }
  if (type === 'date') {
    // Date inputs give yyyy-mm-dd; the API wants an ISO date.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed) || Number.isNaN(Date.parse(trimmed))) return { ok: false, error: 'notADate' };
    return { ok: true, value: new Date(`${trimmed}T00:00:00Z`).toISOString() };
  }
  return { ok: true, value: trimmed };
}

/**
 * Build the API's definition from the draft, or the errors per node id (`id` for the value,
 * `id:to` for the upper bound of a between) when something is missing or malformed.
 */
export function buildDefinition(draft: SegmentDraft): { definition: SegmentDefinition | null; errors: Record<string, DraftError> } {
  const errors: Record<string, DraftError> = {};
  const convertGroup = (group: GroupDraft): SegmentGroup => {
    if (group.children.length === 0) errors[group.id] = 'emptyGroup';
    return {
      type: 'group',
      combinator: group.combinator,
      children: group.children.map((child) => (child.kind === 'group' ? convertGroup(child) : convertCondition(child))),
    };
  };
  const convertCondition = (c: ConditionDraft): SegmentCondition => {
    const out: SegmentCondition = { type: 'condition', column: c.column, operator: c.operator };
    if (!needsValue(c.operator)) return out;
    const type = columnTypes[c.column];
    const from = parseValue(type, c.value);
    if (from.ok) out.value = from.value;
    else errors[c.id] = from.error;
    if (c.operator === 'between') {
      const to = parseValue(type, c.valueTo);
      if (to.ok) out.valueTo = to.value;
      else errors[`${c.id}:to`] = to.error;
      if (from.ok && to.ok && from.value > to.value) errors[`${c.id}:to`] = 'toBeforeFrom';
    }
    return out;
  };
  const root = convertGroup(draft.root);
  const definition: SegmentDefinition = { level: draft.level, root };
  if (draft.level !== 'Year' && draft.period) definition.period = draft.period;
  return { definition: Object.keys(errors).length ? null : definition, errors };
}

/** The draft for a saved definition (editing a segment). */
export function draftFromDefinition(definition: SegmentDefinition): SegmentDraft {
  const fromGroup = (group: SegmentGroup): GroupDraft => ({
    kind: 'group',
    id: newId(),
    combinator: group.combinator,
    children: group.children.map((child) => (child.type === 'group' ? fromGroup(child) : fromCondition(child))),
  });
  const fromCondition = (c: SegmentCondition): ConditionDraft => ({
    kind: 'condition',
    id: newId(),
    column: c.column,
    operator: c.operator,
    value: valueText(c.column, c.value),
    valueTo: valueText(c.column, c.valueTo),
  });
  return { level: definition.level ?? 'Year', period: definition.period ?? '', root: fromGroup(definition.root) };
}

function valueText(column: ColumnName, value: number | string | undefined): string {
  if (value === undefined) return '';
  if (columnTypes[column] === 'date' && typeof value === 'string') return value.slice(0, 10);
  return String(value);
}

export function countConditions(group: GroupDraft): number {
  return group.children.reduce((n, child) => n + (child.kind === 'group' ? countConditions(child) : 1), 0);
}

/** The example every enrichment ships with, for the "start from" button. */
export function staleAccountsDraft(): SegmentDraft {
  return {
    level: 'Year',
    period: '',
    root: {
      kind: 'group',
      id: newId(),
      combinator: 'and',
      children: [
        { kind: 'condition', id: newId(), column: 'DaysSinceLastEmail', operator: '>', value: '60', valueTo: '' },
        { kind: 'condition', id: newId(), column: 'DaysSinceLastMeeting', operator: '>', value: '60', valueTo: '' },
      ],
    },
  };
}

/** Immutable updates of one node of the tree by id. */
export function updateNode(
  group: GroupDraft,
  id: string,
  update: (node: ConditionDraft | GroupDraft) => ConditionDraft | GroupDraft | null,
): GroupDraft {
  if (group.id === id) return (update(group) as GroupDraft | null) ?? group;
  const children: (ConditionDraft | GroupDraft)[] = [];
  for (const child of group.children) {
    if (child.id === id) {
      const next = update(child);
      if (next) children.push(next);
    } else if (child.kind === 'group') {
      children.push(updateNode(child, id, update));
    } else {
      children.push(child);
    }
  }
  return { ...group, children };
}
