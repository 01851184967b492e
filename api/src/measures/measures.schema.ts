import { z } from 'zod';
import { LEVELS, NUMBER_COLUMNS } from '../results/results-columns';
import { groupSchema } from '../results/row-filter';

export const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max', 'median'] as const;

export const measureRequestSchema = z
  .object({
    aggregate: z.enum(AGGREGATES),
    column: z.enum(NUMBER_COLUMNS, { error: (i) => `${JSON.stringify(i.input)} is not a number column of the output entity` }).optional(),
    level: z.enum(LEVELS).default('Year'),
    period: z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'give an ISO date (an AggregationStartDate)').transform((s) => new Date(s).toISOString()).optional(),
    segmentId: z.string().min(1).max(100).optional(),
    filter: groupSchema.optional(),
    groupBy: z.string().min(1).max(100).optional(),
  })
  .strict()
  .refine((r) => r.aggregate === 'count' || r.column !== undefined, { message: 'sum, avg, min, max and median need a column', path: ['column'] })
  .refine((r) => !(r.segmentId && r.filter), { message: 'give segmentId or filter, not both', path: ['filter'] });
export type MeasureRequest = z.output<typeof measureRequestSchema>;

const withheldShape = {
  withheldRows: z.number().int().describe('Matched rows whose counts the privacy threshold withheld: no aggregate includes their values'),
  withheld: z.boolean().describe('Every matched row is withheld, so the value is too (null): fewer than k colleagues stand behind it'),
};
const groupRow = z.object({ key: z.string().nullable(), value: z.number().nullable(), count: z.number().int(), ...withheldShape });
export const measureResultSchema = z.object({
  runId: z.string().nullable(),
  aggregate: z.enum(AGGREGATES),
  column: z.string().nullable(),
  groupBy: z.string().nullable(),
  value: z.number().nullable(),
  count: z.number().int(),
  ...withheldShape,
  groups: z.array(groupRow).nullable(),
});
