import { SCORE_PART_FIELDS, type ActivityRow, type ScorePartName, type ScoreParts } from './output-entity';

/**
 * The columns of a result snapshot: one Parquet file per published run holding every row of the
 * output entity (Week, Month and Year) with the score and its parts, plus what readers need
 * about each account (domains, dataset attributes, a normalised search key). This module is the
 * one place the file's layout is written down; the writer, the readers and the tests use it.
 */

/** Bump when the file's columns change in a way an older reader cannot read. */
export const SNAPSHOT_SCHEMA_VERSION = 2;

/**
 * BOOLEAN on every row (schema 2 on): the row's counts are withheld by the enrichment's privacy
 * threshold k (api/src/runs/domain/privacy-threshold.ts). Every column computed from its counted
 * items (counts, days since, averages, the engagement start, the score and its parts) is then
 * NULL in the file itself, so no reader, export or query can see them. A schema 1 file has no
 * such column: readers take it as FALSE.
 */
export const COUNTS_WITHHELD_COLUMN = 'CountsWithheld';
export const COUNTS_WITHHELD_SINCE_SCHEMA = 2;

/** One row of the output entity as the engine computes it. */
export type OutputRow = ActivityRow & { EngagementScore: number; ScoreParts: ScoreParts };

/**
 * The score parts stored with every row, one DOUBLE column each (`ScorePart_<name>`), in the
 * order of `SCORE_PART_FIELDS`, the one definition of the parts: a new part is a new column.
 * A nullable part is NULL in the file where it has no value.
 */
export const SCORE_PART_KEYS: readonly ScorePartName[] = SCORE_PART_FIELDS.map((f) => f.name);
export const NULLABLE_SCORE_PART_KEYS: ReadonlySet<ScorePartName> = new Set(SCORE_PART_FIELDS.filter((f) => f.nullable).map((f) => f.name));
export type ScorePartKey = ScorePartName;
export const scorePartColumn = (key: ScorePartKey): string => `ScorePart_${key}`;

export const LEVEL_NAMES = ['Year', 'Month', 'Week'] as const;

/** The counts of a row (INTEGER, never null). */
export const COUNT_COLUMNS = [
  'NoOfEmails_ToAccount',
  'NoOfEmails_FromAccount',
  'NoOfMeetings_FromAccount',
  'NoOfMeetings_ToAccount',
  'NoOfContactsInvolved_Emails',
  'NoOfContactsInvolved_Meetings',
  'NoOfAccountContactsInvolved_Emails',
  'NoOfAccountContactsInvolved_Meetings',
] as const satisfies ReadonlyArray<keyof OutputRow>;
/** Whole days (INTEGER, null = never). */
export const DAYS_COLUMNS = ['DaysSinceLastEmail', 'DaysSinceLastMeeting'] as const satisfies ReadonlyArray<keyof OutputRow>;
/** Every whole-number column of a row, in file order. */
export const INTEGER_COLUMNS = [...COUNT_COLUMNS, ...DAYS_COLUMNS, 'EngagementScore'] as const satisfies ReadonlyArray<keyof OutputRow>;

export const DOUBLE_COLUMNS = ['AverageDuration_Of_Meetings', 'AverageDuration_Of_AccountEmailReplies'] as const satisfies ReadonlyArray<keyof OutputRow>;

/** Instants, stored as TIMESTAMPTZ (UTC) and read back as ISO strings. */
export const INSTANT_COLUMNS = ['AggregationStartDate', 'EngagementStartDate'] as const satisfies ReadonlyArray<keyof OutputRow>;

/**
 * The account's position in AccountId order (0, 1, 2…), on every row: readers order and look
 * up accounts by this number instead of comparing text. The file holds the Year rows first (by
 * account), then the Week and Month rows by account, level and period.
 */
export const ACCOUNT_ORDINAL_COLUMN = 'AccountOrdinal';

/** Account facts on every row (the same for all rows of an account). */
export const DOMAINS_COLUMN = 'AccountDomains';
/** Year rows only: the account's name, id and domains normalised for substring search, fields separated by SEARCH_SEPARATOR. */
export const SEARCH_KEY_COLUMN = 'SearchKey';
export const SEARCH_SEPARATOR = '\u0001';

/**
 * Dataset attributes are stored by position (`attr_1`, `attr_2`…), never under their own
 * names: the names are free text from an uploaded file, and the file's metadata (and the
 * manifest) list them in that order. A reader maps a requested name to its position after
 * checking it against that list, so no client text ever reaches SQL, even quoted.
 */
export const attributeColumn = (index: number): string => `attr_${index + 1}`;

/** Key-value metadata in the Parquet footer, so a file describes itself. */
export const KV_SCHEMA_VERSION = 'account_engagement.schema_version';
export const KV_ATTRIBUTES = 'account_engagement.attributes';
export const KV_RUN = 'account_engagement.run';
export const KV_PRIVACY_THRESHOLD = 'account_engagement.privacy_threshold';

/**
 * Normalised text for search: decomposed (NFD), combining marks removed (so é matches e),
 * lower-cased, whitespace collapsed. The same function normalises a search term, so the key and
 * the term always agree.
 */
export function searchNormalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
}

export function searchKeyOf(account: { id: string; name: string; domains: readonly string[] }): string {
  return [account.name, account.id, ...account.domains].map(searchNormalise).join(SEARCH_SEPARATOR);
}

/** What a snapshot says about itself (the manifest's meta and the file's footer). */
export interface SnapshotFacts {
  schemaVersion: number;
  rows: number;
  yearRows: number;
  attributes: string[];
  runId: string;
  asOf: string;
  /** The privacy threshold k the run published with (null or absent: off). */
  privacyThreshold?: number | null;
}
