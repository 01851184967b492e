import { z } from 'zod';
import { LEVELS } from '../results/results-columns';
import { groupSchema } from '../results/row-filter';

export const segmentDefinitionSchema = z
  .object({
    level: z.enum(LEVELS).default('Year'),
    period: z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'give an ISO date (an AggregationStartDate)').transform((s) => new Date(s).toISOString()).optional(),
    root: groupSchema,
  })
  .strict();
export type SegmentDefinition = z.output<typeof segmentDefinitionSchema>;

export const segmentInputSchema = z
  .object({
    name: z.string().trim().min(1, 'a segment needs a name').max(80, 'names are at most 80 characters').regex(/^\P{Cc}*$/u, 'a name cannot contain control characters (such as NUL or a line break)'),
    description: z.string().trim().max(500).regex(/^[\t\n\r\P{Cc}]*$/u, 'a description cannot contain control characters other than line breaks and tabs').default(''),
    definition: segmentDefinitionSchema,
  })
  .strict();
export type SegmentInput = z.output<typeof segmentInputSchema>;

export const segmentSchema = z.object({
  id: z.string(),
  enrichmentId: z.string(),
  name: z.string(),
  description: z.string(),
  definition: z.object({ level: z.enum(LEVELS), period: z.string().optional(), root: groupSchema }),
  builtIn: z.boolean(),
  count: z.number().int(),
  total: z.number().int(),
  runId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  updatedBy: z.string(),
});

export const segmentParams = z.object({ enrichmentId: z.string().min(1).max(100), segmentId: z.string().min(1).max(100) });
export const countResultSchema = z.object({ runId: z.string().nullable(), count: z.number().int(), total: z.number().int() });
