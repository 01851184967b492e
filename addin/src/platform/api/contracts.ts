/**
 * The API's request and response shapes as the tab uses them, derived from the zod schemas the
 * API's routes validate with and its OpenAPI document is generated from. Nothing here is written
 * by hand: a shape changes in one place (the API's schema) and the tab follows, or no longer
 * compiles. `import type` only: none of the API's code reaches the tab's bundle.
 */
import type { z } from 'zod';
import type { customerCardSchema, accountSearchResult } from '../../../../api/src/customers/customers.schema';
import type {
  datasetSummarySchema,
  importSessionSchema,
  mappingPreviewSchema,
  previewSchema,
  accountsUploadQuery,
  contactsUploadQuery,
  commitBody,
} from '../../../../api/src/datasets/datasets.schema';
import type { devPersonasSchema, devSignInResultSchema } from '../../../../api/src/dev/dev-sign-in.routes';
import type { directoryEntrySchema, prerequisitesSchema, resolutionSchema, selectionSchema, unresolvedSchema } from '../../../../api/src/directory/directory.schema';
import type { consentRequestResultSchema, consentStatusSchema } from '../../../../api/src/consent/consent.schema';
import type { enrichmentInputSchema, enrichmentSchema, enrichmentSummarySchema, nameAvailabilitySchema } from '../../../../api/src/enrichments/enrichments.schema';
import type { measureRequestSchema, measureResultSchema } from '../../../../api/src/measures/measures.schema';
import type { resultSourceSchema } from '../../../../api/src/results/results-catalog';
import type { columnInfoSchema, outputRowSchema, overviewSchema, rowsPageSchema, userEntityPageSchema } from '../../../../api/src/results/results.schema';
import type { ACCOUNT_SORTS } from '../../../../api/src/results/results.service';
import type { groupSchema, conditionSchema } from '../../../../api/src/results/row-filter';
import type { runView, scheduleView } from '../../../../api/src/runs/runs.schema';
import type { segmentDefinitionSchema, segmentSchema } from '../../../../api/src/segments/segments.schema';
import type { meSchema, publicConfigSchema } from '../../../../api/src/session/session.routes';
import type { tenantSchema } from '../../../../api/src/tenant/tenant.routes';
import type { deliveryView, webhookView } from '../../../../api/src/webhooks/webhooks.schema';
import type { draftEstimateView, estimateView } from '../../../../api/src/estimate/estimate.schema';
import type { alertOwnersView, alertSettingsBody, alertSettingsView, muteView } from '../../../../api/src/alerts/alerts.schema';
import type { mailboxHealthView } from '../../../../api/src/mailbox-health/mailbox-health.routes';
import type { unmatchedDomainsView } from '../../../../api/src/unmatched-domains/unmatched-domains.routes';

/** What the API answers (after its own defaults and transforms). */
type Answer<S extends z.ZodType> = z.output<S>;
/** What the tab may send (defaults optional). */
type Sent<S extends z.ZodType> = z.input<S>;

// Session, tenant, development sign-in
export type PublicConfig = Answer<typeof publicConfigSchema>;
export type Me = Answer<typeof meSchema>;
export type TenantInfo = Answer<typeof tenantSchema>;
export type DevPersonas = Answer<typeof devPersonasSchema>;
export type DevTenant = DevPersonas['tenants'][number];
export type DevPersona = DevTenant['personas'][number];
export type PersonaKind = DevPersona['persona'];
export type DevSignInResult = Answer<typeof devSignInResultSchema>;

// Customer data (datasets and imports)
export type DatasetSummary = Answer<typeof datasetSummarySchema>;
export type ImportSession = Answer<typeof importSessionSchema>;
export type StageReport = NonNullable<ImportSession['accounts']>;
export type Rejection = StageReport['rejections'][number];
export type RejectionReason = Rejection['reason'];
export type ImportStage = Rejection['stage'];
export type CommitMode = Sent<typeof commitBody>['mode'];
export type UploadPreview = Answer<typeof previewSchema>;
export type MappingPreview = Answer<typeof mappingPreviewSchema>;
export type AccountsMapping = Sent<typeof accountsUploadQuery>;
export type ContactsMapping = Sent<typeof contactsUploadQuery>;

// Directory, prerequisites
export type DirectoryEntry = Answer<typeof directoryEntrySchema>;
export type DirectoryKind = DirectoryEntry['kind'];
export type Selection = Sent<typeof selectionSchema>;
export type UnresolvedSelection = Answer<typeof unresolvedSchema>;
export type UnresolvedReason = UnresolvedSelection['reason'];
export type Resolution = Answer<typeof resolutionSchema>;
export type Prerequisites = Answer<typeof prerequisitesSchema>;
export type PrerequisiteId = Prerequisites['items'][number]['id'];
export type PrerequisiteStatus = Prerequisites['items'][number]['status'];

// Enrichments and consent
export type EnrichmentInput = Sent<typeof enrichmentInputSchema>;
export type Enrichment = Answer<typeof enrichmentSchema>;
export type EnrichmentState = Enrichment['state'];
export type AdminEnrichmentSummary = Answer<typeof enrichmentSummarySchema>;
export type NameAvailability = Answer<typeof nameAvailabilitySchema>;
export type ConsentStatus = Answer<typeof consentStatusSchema>;
export type ConsentState = ConsentStatus['state'];
export type ConsentRequestResult = Answer<typeof consentRequestResultSchema>;
/** An enrichment as anyone may see it (`GET /api/results`): its name and last refresh, no configuration. */
export type EnrichmentSummary = Answer<typeof resultSourceSchema>;

// Runs
export type Run = Answer<typeof runView>;
export type RunState = Run['state'];
export type RunTrigger = Run['trigger'];
export type RunMode = Run['mode'];
export type RunLifecycle = Run['state'];
export type RunPhase = Run['phase'];
export type RunCounters = Run['counters'];
export type RunSummary = NonNullable<Run['summary']>;
export type RunSchedule = Answer<typeof scheduleView>;

// Results, segments, measures
export type OutputRow = Answer<typeof outputRowSchema>;
export type Level = OutputRow['AggregationLevel'];
/** The output entity's columns; CountsWithheld is the privacy threshold's flag on a row, not a column one picks. */
export type ColumnName = Exclude<keyof OutputRow, 'CountsWithheld'>;
export type ColumnInfo = Answer<typeof columnInfoSchema>;
export type ColumnType = ColumnInfo['type'];
export type RowsPage = Answer<typeof rowsPageSchema>;
export type SortOrder = RowsPage['order'];
/** A row as the grid, the preview and segment members receive it: the picked columns and, with a privacy threshold, CountsWithheld. */
export type GridRow = RowsPage['items'][number];
export type ResultsOverview = Answer<typeof overviewSchema>;
export type UserEntityPage = Answer<typeof userEntityPageSchema>;
export type SegmentCondition = Sent<typeof conditionSchema>;
export type ConditionOperator = SegmentCondition['operator'];
export type SegmentGroup = Sent<typeof groupSchema>;
export type SegmentDefinition = Sent<typeof segmentDefinitionSchema>;
export type Segment = Answer<typeof segmentSchema>;
export type MeasureRequest = Sent<typeof measureRequestSchema>;
export type Aggregate = MeasureRequest['aggregate'];
export type MeasureResult = Answer<typeof measureResultSchema>;

// Customers
export type AccountSearchResult = Answer<typeof accountSearchResult>;
export type AccountMatch = AccountSearchResult['items'][number];
export type AccountSort = (typeof ACCOUNT_SORTS)[number];
export type CustomerCard = Answer<typeof customerCardSchema>;
export type ScoreBand = NonNullable<CustomerCard['score']['band']>;
export type ScoreParts = NonNullable<CustomerCard['score']['parts']>;
export type ScorePart = CustomerCard['score']['explanation'][number]['part'];
export type ScoreTrend = CustomerCard['trend'];
export type HistoryPoint = CustomerCard['history']['week'][number];

// Webhooks on publish
export type Webhook = Answer<typeof webhookView>;
export type WebhookDelivery = Answer<typeof deliveryView>;

// Account alerts: the admin's settings and owners report, a seller's own mute
export type AlertSettings = Answer<typeof alertSettingsView>;
export type AlertSettingsInput = Sent<typeof alertSettingsBody>;
export type AlertOwners = Answer<typeof alertOwnersView>;
export type AlertMute = Answer<typeof muteView>;

// Admin views of an enrichment: the dry-run estimate, mailbox health, busy unmatched domains
export type Estimate = Answer<typeof estimateView>;
/** The wizard's estimate of a selection that is not an enrichment yet. */
export type DraftEstimate = Answer<typeof draftEstimateView>;
export type MailboxHealth = Answer<typeof mailboxHealthView>;
export type MailboxHealthState = MailboxHealth['mailboxes'][number]['state'];
export type MailboxFailureKind = NonNullable<MailboxHealth['mailboxes'][number]['failureKind']>;
export type UnmatchedDomains = Answer<typeof unmatchedDomainsView>;
