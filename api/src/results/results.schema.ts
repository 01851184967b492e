import { z } from 'zod';
import { runStateSchema } from '../runs/runs.schema';
import { groupSchema } from './row-filter';
import { UI_LOCALES } from '../../../common/i18n/ui-locale';
import { COLUMN_NAMES, LEVELS, type ColumnName } from './results-columns';

const isoDate = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'give an ISO date (an AggregationStartDate)');
const days = z.coerce.number().int('whole days').min(0).max(100_000);
const score = z.coerce.number().min(0).max(100);
const scoreChange = z.coerce.number().int('a whole number of points').min(-100).max(100);
const columnList = z
  .string()
  .max(2000)
  .transform((s, ctx) => {
    const names = s.split(',').map((x) => x.trim()).filter(Boolean);
    const unknown = names.filter((n) => !(COLUMN_NAMES as string[]).includes(n));
    if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown column(s) ${unknown.join(', ')}; use the output entity's columns` });
    return names as (typeof COLUMN_NAMES)[number][];
  });

/** The view part of the grid query (what rows, in what order, which columns). */
export const viewQueryShape = {
  level: z.enum(LEVELS).default('Year'),
  period: isoDate.optional(),
  scoreMin: score.optional(),
  scoreMax: score.optional(),
  /** Change of the Year score since the previous published run, in points (e.g. changeMax=-10: cooling down). */
  changeMin: scoreChange.optional(),
  changeMax: scoreChange.optional(),
  emailDaysMin: days.optional(),
  emailDaysMax: days.optional(),
  meetingDaysMin: days.optional(),
  meetingDaysMax: days.optional(),
  search: z.string().max(100, 'search terms are at most 100 characters').optional(),
  filter: z.string().max(20_000).optional(),
  segmentId: z.string().min(1).max(100).optional(),
  sort: z.enum(COLUMN_NAMES, { error: (i) => `unknown sort column ${JSON.stringify(i.input)}` }).default('EngagementScore'),
  order: z.enum(['asc', 'desc']).default('desc'),
  columns: columnList.optional(),
};
export const viewQuerySchema = z.object(viewQueryShape).strict();
/** The opaque cursor of a previous page's nextLink: it holds the query and pins the run; sent alone (every run-pinned list, see run-paging.ts). */
export const cursorParam = z.string().min(1).max(40_000).optional();
/** The next page of the same run, on every run-pinned list. */
export const nextLinkField = z.string().nullable().describe('The next page of the same run: follow it as it is (its only parameter is an opaque cursor); null on the last page');
export const pageQuerySchema = z
  .object({
    ...viewQueryShape,
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: cursorParam,
  })
  .strict();
/**
 * A CSV download: the view, and the language of its header row (the tab sends its own; else
 * Accept-Language; else English). `header=names` writes the technical column names instead,
 * as the JSON rows and the Parquet file have them, for scripts that read the CSV.
 */
export const csvQuerySchema = z
  .object({
    ...viewQueryShape,
    locale: z.enum(UI_LOCALES, { error: (i) => `unknown locale ${JSON.stringify(i.input)}; use one of ${UI_LOCALES.join(', ')}` }).optional(),
    header: z.enum(['labels', 'names'], { error: 'header is labels (the column names in the reader\'s language) or names (the technical names)' }).default('labels'),
  })
  .strict();
export type ViewQuery = z.output<typeof viewQuerySchema>;
export type CsvQuery = z.output<typeof csvQuerySchema>;
export type PageQuery = z.output<typeof pageQuerySchema>;

const count = z.number().int();
/** Null only on a row whose counts the privacy threshold withheld (CountsWithheld true). */
const withheldCount = count.nullable();
const daysSince = z.number().nullable();
/** One row of the output entity as readers get it (the columns of results-columns.ts, with their types). */
export const outputRowSchema = z.object({
  AccountId: z.string(),
  AccountName: z.string(),
  AggregationLevel: z.enum(LEVELS),
  AggregationStartDate: z.string(),
  NoOfEmails_ToAccount: withheldCount,
  NoOfEmails_FromAccount: withheldCount,
  NoOfMeetings_FromAccount: withheldCount,
  NoOfMeetings_ToAccount: withheldCount,
  NoOfContactsInvolved_Emails: withheldCount,
  NoOfContactsInvolved_Meetings: withheldCount,
  NoOfAccountContactsInvolved_Emails: withheldCount,
  NoOfAccountContactsInvolved_Meetings: withheldCount,
  EngagementStartDate: z.string().nullable(),
  DaysSinceLastEmail: daysSince,
  DaysSinceLastMeeting: daysSince,
  AverageDuration_Of_Meetings: z.number().nullable(),
  AverageDuration_Of_AccountEmailReplies: z.number().nullable(),
  EngagementScore: z.number().nullable().describe('Null only when the row\'s counts are withheld (CountsWithheld true)'),
  ScoreChange: z.number().int().nullable().describe('The Year score minus the previous published run\'s; null when the account is new, there is no previous run, or either score is withheld'),
  CountsWithheld: z
    .boolean()
    .optional()
    .describe('Present when the result was published with a privacy threshold k: true when fewer than k colleagues were involved, and then every count, date, average and the score are null'),
}) satisfies z.ZodType<Record<ColumnName, string | number | null>>;
export type OutputRow = z.output<typeof outputRowSchema>;
/** A row as a snapshot stores it: every column but ScoreChange (the overview's preview, the card's Year row). */
export const storedRowSchema = outputRowSchema.omit({ ScoreChange: true });
export type StoredRow = z.output<typeof storedRowSchema>;
/** A row of a page: the columns asked for (AccountId and AccountName always). */
export const outputRowPartSchema = outputRowSchema.partial();
const rowsPageBase = z.object({
  runId: z.string().nullable(),
  asOf: z.string().nullable(),
  level: z.enum(LEVELS),
  period: z.string().nullable(),
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  sort: z.enum(COLUMN_NAMES),
  order: z.enum(['asc', 'desc']),
  columns: z.array(z.enum(COLUMN_NAMES)),
  items: z.array(outputRowPartSchema),
});
export type RowsPage = z.output<typeof rowsPageBase>;
/** A page as answered: `nextLink` reads the next page of the same run (null on the last page or before a result). */
export const rowsPageSchema = rowsPageBase.extend({
  nextLink: nextLinkField,
});

export const columnInfoSchema = z.object({ name: z.enum(COLUMN_NAMES), type: z.enum(['string', 'number', 'date']), nullable: z.boolean() });

export const overviewSchema = z.object({
  enrichmentId: z.string(),
  entityName: z.string(),
  userEntityName: z.string(),
  current: z.object({ runId: z.string(), asOf: z.string(), flippedAt: z.string() }).nullable(),
  summary: z
    .object({ accountsEnriched: z.number(), emailsProcessed: z.number(), meetingsProcessed: z.number(), daysCovered: z.number(), durationMs: z.number() })
    .nullable(),
  yearComplete: z.boolean(),
  lastRun: z
    .object({ id: z.string(), state: runStateSchema, createdAt: z.string(), endedAt: z.string().nullable(), durationMs: z.number().nullable() })
    .nullable(),
  history: z.array(z.object({ runId: z.string(), endedAt: z.string(), accountsEnriched: z.number(), emailsProcessed: z.number(), meetingsProcessed: z.number() })),
  preview: z.array(storedRowSchema),
  privacyThreshold: z.number().int().nullable().describe('The privacy threshold k the current result was published with (null: off): rows with CountsWithheld true involve fewer than k colleagues and their counts are empty'),
  columns: z.array(columnInfoSchema),
  attributes: z.array(z.string()),
});

/** The user entity (admins only): the mailboxes the run read. */
export const userEntityPageSchema = z.object({ runId: z.string().nullable(), entityName: z.string(), total: z.number().int(), offset: z.number().int(), limit: z.number().int(), items: z.array(z.object({ UserId: z.string(), Mail: z.string() })) });

export const enrichmentParams = z.object({ enrichmentId: z.string().min(1).max(100) });
export { groupSchema };
