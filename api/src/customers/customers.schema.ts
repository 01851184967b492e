import { z } from 'zod';
import { SCORE_BANDS } from '../runs/domain/engagement-score';
import { SCORE_PART_FIELDS, type ScoreParts, type ScorePartName } from '../snapshots/output-entity';
import { ACCOUNT_SORTS } from '../results/results.service';
import { cursorParam, nextLinkField, storedRowSchema } from '../results/results.schema';
import { CARD_PARTS } from './customer-card';

const BANDS = Object.keys(SCORE_BANDS) as [keyof typeof SCORE_BANDS, ...Array<keyof typeof SCORE_BANDS>];
const MAX_OFFSET = 1_000_000;
const scoreChange = z.coerce.number().int('a whole number of points').min(-100).max(100);

/** The customer list: search, order, band and change filters, paging (a page size or offset beyond its range is refused, naming it, as every list does). */
export const accountSearchQuery = z
  .object({
    search: z.string().max(100, 'search terms are at most 100 characters').default(''),
    enrichmentId: z.string().min(1).max(100).optional(),
    limit: z.coerce.number().int('a whole number').min(1).max(100, 'at most 100 accounts per page').default(10),
    offset: z.coerce.number().int('a whole number').min(0).max(MAX_OFFSET, `at most ${MAX_OFFSET}`).default(0),
    sort: z.enum(ACCOUNT_SORTS, { error: (i) => `unknown sort ${JSON.stringify(i.input)}; use one of ${ACCOUNT_SORTS.join(', ')}` }).default('relevance'),
    order: z.enum(['asc', 'desc']).optional(),
    band: z.enum(BANDS, { error: (i) => `unknown score band ${JSON.stringify(i.input)}; use one of ${BANDS.join(', ')}` }).optional(),
    /** Change of the Year score since the previous run, in points: changeMax=-10 lists the accounts cooling down. */
    changeMin: scoreChange.optional(),
    changeMax: scoreChange.optional(),
    accounts: z
      // Sent comma-separated; a cursor carries the parsed list, validated again.
      .preprocess(
        (v) => (typeof v === 'string' ? [...new Set(v.split(',').map((x) => x.trim()).filter(Boolean))] : v),
        z.array(z.string().max(200, 'an account id is at most 200 characters')).max(100, 'at most 100 account ids'),
      )
      .optional()
      .describe('Comma-separated account ids: only these accounts (the link of an account alert)'),
    cursor: cursorParam,
  })
  .strict();
export type AccountSearchQuery = z.output<typeof accountSearchQuery>;
/** What a customer-list cursor carries forward: the query without its position. */
export const carriedAccountQuery = accountSearchQuery.omit({ offset: true, cursor: true });

export const accountSearchResult = z.object({
  enrichmentId: z.string().nullable(),
  runId: z.string().nullable(),
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      score: z.number().nullable().describe('The Year score; null when the privacy threshold withheld the account\'s counts'),
      change: z.number().nullable().describe('Year score minus the previous published run’s; null when the account is new or there is no previous run'),
      daysSinceLastContact: z.number().nullable(),
    }),
  ),
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  previousAsOf: z.string().nullable().describe('The as-of of the run changes are measured against; null when there is none'),
  nextLink: nextLinkField,
});

export const cardParams = z.object({ enrichmentId: z.string().min(1).max(100), accountId: z.string().min(1).max(200) });

const part = z.enum(CARD_PARTS);
const historyPoint = z.object({
  start: z.string(),
  emailsToAccount: z.number().nullable(),
  emailsFromAccount: z.number().nullable(),
  meetingsByOrganisation: z.number().nullable(),
  meetingsByAccount: z.number().nullable(),
  withheld: z.boolean().describe('The privacy threshold withheld this period\'s counts (they are null): fewer than k colleagues were involved'),
});
const nullableNumber = z.number().nullable();
/** The row's score parts, field for field as the engine stores them (`SCORE_PART_FIELDS`). */
const scorePartsShape = {} as Record<ScorePartName, z.ZodType<number | null>>;
for (const f of SCORE_PART_FIELDS) scorePartsShape[f.name] = (f.nullable ? nullableNumber : z.number()).describe(f.description);
// Built field by field from SCORE_PART_FIELDS, so it checks each part's nullability as ScoreParts declares it.
const scorePartsSchema = z.object(scorePartsShape) as unknown as z.ZodType<ScoreParts, ScoreParts>;

export const customerCardSchema = z.object({
  enrichmentId: z.string(),
  runId: z.string(),
  asOf: z.string(),
  account: z.object({ id: z.string(), name: z.string(), attributes: z.record(z.string(), z.string()) }),
  year: storedRowSchema,
  privacyThreshold: z.number().int().nullable().describe('The privacy threshold k the result was published with (null: off)'),
  withheld: z.boolean().describe('The Year row\'s counts are withheld: fewer than k colleagues were involved; score, parts and totals are null'),
  score: z.object({
    value: z.number().nullable(),
    medianScore: z.number(),
    parts: scorePartsSchema.nullable(),
    band: z.enum(BANDS).nullable(),
    explanation: z.array(z.object({ part, value: z.number(), median: z.number(), effect: z.enum(['raised', 'lowered', 'neutral']) })),
  }),
  trend: z.object({
    change: z.number().nullable().describe('Year score minus the previous published run’s; null when the account is new or there is no previous run'),
    previousAsOf: z.string().nullable(),
    history: z.array(z.object({ runId: z.string(), asOf: z.string(), score: z.number().nullable() })).describe('The Year score in each kept run, oldest first (null: not in that run)'),
  }),
  totals: z.nullable(z.object({
    emails: z.number(), emailsToAccount: z.number(), emailsFromAccount: z.number(),
    meetings: z.number(), meetingsByOrganisation: z.number(), meetingsByAccount: z.number(),
    peopleOrganisationEmails: z.number(), peopleOrganisationMeetings: z.number(), peopleAccountEmails: z.number(), peopleAccountMeetings: z.number(),
    daysSinceLastEmail: nullableNumber, daysSinceLastMeeting: nullableNumber, averageMeetingMinutes: nullableNumber, averageReplyMinutes: nullableNumber,
    engagementStartDate: z.string().nullable(),
  })),
  history: z.object({ week: z.array(historyPoint), month: z.array(historyPoint) }),
});
