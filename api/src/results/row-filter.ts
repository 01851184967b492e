import { z } from 'zod';
import { AppError } from '../platform/errors/app-error';
import { MAX_INPUT_NESTING, nestsDeeperThan, tooDeeplyNested } from '../platform/http/input-nesting';
import { COLUMN_NAMES, columnInfo, type ColumnName } from './results-columns';
import { conditionSql, type SqlParams } from './snapshot-sql';

/**
 * The condition language shared by the grid's `filter`, segments and measures: a validated tree
 * that this module alone translates into SQL over a snapshot. Values are plain numbers or
 * strings (zod refuses objects) and are always bound as parameters, column names come from the
 * catalogue, and operators are words mapped here, so no client text can become SQL.
 */
export const OPERATORS = ['>', '<', '>=', '<=', '=', 'between', 'isEmpty', 'isNotEmpty'] as const;
export type Operator = (typeof OPERATORS)[number];

export const MAX_DEPTH = 4;
export const MAX_CHILDREN = 20;
export const MAX_CONDITIONS = 40;

export interface SegmentCondition {
  type: 'condition';
  column: ColumnName;
  operator: Operator;
  value?: number | string;
  valueTo?: number | string;
}
export interface SegmentGroup {
  type: 'group';
  combinator: 'and' | 'or';
  children: Array<SegmentCondition | SegmentGroup>;
}

const scalar = z.union([z.number().finite(), z.string().max(200)]);

export const conditionSchema = z
  .object({
    type: z.literal('condition'),
    column: z.enum(COLUMN_NAMES, { error: (i) => `unknown column ${JSON.stringify(i.input)}; use one of the output entity's columns` }),
    operator: z.enum(OPERATORS, { error: (i) => `unknown operator ${JSON.stringify(i.input)}; use one of ${OPERATORS.join(' ')}` }),
    value: scalar.optional(),
    valueTo: scalar.optional(),
  })
  .strict();

export const groupSchema: z.ZodType<SegmentGroup, SegmentGroup> = z.lazy(() =>
  z
    .object({
      type: z.literal('group'),
      combinator: z.enum(['and', 'or']),
      children: z.array(z.discriminatedUnion('type', [conditionSchema, groupSchema as unknown as z.ZodObject<{ type: z.ZodLiteral<'group'> }>])).min(1, 'a group needs at least one condition').max(MAX_CHILDREN, `a group holds at most ${MAX_CHILDREN} children`),
    })
    .strict(),
) as z.ZodType<SegmentGroup, SegmentGroup>;

/** Checks what the schema cannot: value types per column and operator, depth and size. */
export function checkGroup(root: SegmentGroup, path: string): void {
  let conditions = 0;
  const fail = (where: string, message: string): never => {
    throw new AppError('validation', `The condition at ${where} is not valid: ${message}`, { fields: [{ path: where, message }] });
  };
  const walk = (g: SegmentGroup, where: string, depth: number) => {
    if (depth > MAX_DEPTH) fail(where, `groups nest at most ${MAX_DEPTH} deep`);
    g.children.forEach((c, i) => {
      const at = `${where}.children.${i}`;
      if (c.type === 'group') return walk(c, at, depth + 1);
      conditions += 1;
      if (conditions > MAX_CONDITIONS) fail(at, `a definition holds at most ${MAX_CONDITIONS} conditions`);
      checkCondition(c, at, fail);
    });
  };
  walk(root, path, 1);
}

function checkCondition(c: SegmentCondition, at: string, fail: (where: string, m: string) => never): void {
  const info = columnInfo(c.column)!;
  const unary = c.operator === 'isEmpty' || c.operator === 'isNotEmpty';
  if (unary) {
    if (c.value !== undefined || c.valueTo !== undefined) fail(at, `${c.operator} takes no value`);
    return;
  }
  if (c.value === undefined) fail(`${at}.value`, `${c.column} ${c.operator} needs a value`);
  if (c.operator === 'between' ? c.valueTo === undefined : c.valueTo !== undefined) {
    fail(`${at}.valueTo`, c.operator === 'between' ? 'between needs valueTo (inclusive upper bound)' : 'valueTo is only for between');
  }
  for (const [key, v] of [['value', c.value], ['valueTo', c.valueTo]] as const) {
    if (v === undefined) continue;
    if (info.type === 'number' && typeof v !== 'number') fail(`${at}.${key}`, `${c.column} is a number column; ${JSON.stringify(v)} is not a number`);
    if (info.type === 'date' && (typeof v !== 'string' || Number.isNaN(Date.parse(v)))) fail(`${at}.${key}`, `${c.column} is a date column; give an ISO date`);
    if (info.type === 'string') {
      if (typeof v !== 'string') fail(`${at}.${key}`, `${c.column} is a text column; give text`);
      if (c.operator !== '=') fail(at, `text columns support = only`);
    }
  }
  if (c.operator === 'between' && (c.value as number | string) > (c.valueTo as number | string)) fail(at, 'between needs value ≤ valueTo');
}

/** The SQL of a checked group: catalogue columns, bound values (see `snapshot-sql.ts`). */
export function groupSql(g: SegmentGroup, p: SqlParams): string {
  const parts = g.children.map((c) => (c.type === 'group' ? groupSql(c, p) : conditionSql(c, p)));
  return parts.map((x) => `(${x})`).join(g.combinator === 'and' ? ' AND ' : ' OR ');
}

/** Whether a condition tree names a column (e.g. ScoreChange, which needs a join). */
export function groupUses(g: SegmentGroup, column: ColumnName): boolean {
  return g.children.some((c) => (c.type === 'group' ? groupUses(c, column) : c.column === column));
}

/** Parses the grid's `filter` query parameter (JSON text) into a checked group. */
export function parseFilterParam(text: string, param = 'filter'): SegmentGroup {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError('validation', `The query parameter ${param} is not JSON: give a condition group {"type":"group","combinator":"and","children":[…]}.`, {
      fields: [{ path: `query.${param}`, message: 'not JSON' }],
    });
  }
  // Bounded before the recursive schema runs: a deep enough tree would overflow its stack.
  if (nestsDeeperThan(raw, MAX_INPUT_NESTING)) throw tooDeeplyNested(`query.${param}`);
  const r = groupSchema.safeParse(raw);
  if (!r.success) {
    const fields = r.error.issues.map((i) => ({ path: ['query', param, ...i.path.map(String)].join('.'), message: i.message }));
    throw new AppError('validation', `The query parameter ${param} is not a valid condition group: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, { fields });
  }
  checkGroup(r.data, `query.${param}`);
  return r.data;
}
