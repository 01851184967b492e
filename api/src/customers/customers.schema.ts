import { z } from 'zod';
import { SCORE_PART_FIELDS, type ScorePartName } from '../engine/domain/engagement-score';
import { outputRowSchema } from '../results/results.schema';
import { CARD_PARTS } from './customer-card';

export const accountSearchQuery = z
  .object({
    search: z.string().max(100, 'search terms are at most 100 characters').default(''),
    enrichmentId: z.string().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(10),
  })
  .strict();

export const accountSearchResult = z.object({
  enrichmentId: z.string().nullable(),
  runId: z.string().nullable(),
  items: z.array(z.object({ id: z.string(), name: z.string(), score: z.number() })),
  total: z.number().int(),
});

export const cardParams = z.object({ enrichmentId: z.string().min(1).max(100), accountId: z.string().min(1).max(200) });

const part = z.enum(CARD_PARTS);
const historyPoint = z.object({ start: z.string(), emailsToAccount: z.number(), emailsFromAccount: z.number(), meetingsByOrganisation: z.number(), meetingsByAccount: z.number() });
const nullableNumber = z.number().nullable();
/** The row's score parts, field for field as the engine stores them (`SCORE_PART_FIELDS`). */
const scorePartsShape = {} as Record<ScorePartName, z.ZodType<number | null>>;
for (const f of SCORE_PART_FIELDS) scorePartsShape[f.name] = (f.nullable ? nullableNumber : z.number()).describe(f.description);
const scorePartsSchema = z.object(scorePartsShape);

export const customerCardSchema = z.object({
  enrichmentId: z.string(),
  runId: z.string(),
  asOf: z.string(),
  account: z.object({ id: z.string(), name: z.string(), attributes: z.record(z.string(), z.string()) }),
  year: outputRowSchema,
  score: z.object({
    value: z.number(),
    medianScore: z.number(),
    parts: scorePartsSchema,
    explanation: z.array(z.object({ part, value: z.number(), median: z.number(), effect: z.enum(['raised', 'lowered', 'neutral']) })),
  }),
  totals: z.object({
    emails: z.number(), emailsToAccount: z.number(), emailsFromAccount: z.number(),
    meetings: z.number(), meetingsByOrganisation: z.number(), meetingsByAccount: z.number(),
    peopleOrganisationEmails: z.number(), peopleOrganisationMeetings: z.number(), peopleAccountEmails: z.number(), peopleAccountMeetings: z.number(),
    daysSinceLastEmail: nullableNumber, daysSinceLastMeeting: nullableNumber, averageMeetingMinutes: nullableNumber, averageReplyMinutes: nullableNumber,
    engagementStartDate: z.string().nullable(),
  }),
  history: z.object({ week: z.array(historyPoint), month: z.array(historyPoint) }),
});
