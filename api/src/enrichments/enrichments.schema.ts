import { z } from 'zod';
import { consentRequestResultSchema, consentStatusSchema, recipientsSchema } from '../consent/consent.schema';
import { mailboxSchema, selectionsSchema, unresolvedSchema } from '../directory/directory.schema';
import { selectionSchema } from '../directory/directory.schema';
import { ENRICHMENT_NAME, ENRICHMENT_NAME_RULE, ENTITY_NAME, ENTITY_NAME_RULE, HALF_LIFE_DAYS, HALF_LIFE_RULE, MAX_EXCLUSIONS, PRIVACY_THRESHOLD, PRIVACY_THRESHOLD_RULE } from './enrichment-rules';

export const enrichmentIdParam = z.object({ id: z.string().regex(/^enr_[0-9a-f]{32}$/, 'must be an enr_… id') });

/** The engagement score's half-life: how many days it takes an email or meeting to weigh half as much. */
export const halfLifeDaysSchema = z
  .number({ error: `the half-life must be ${HALF_LIFE_RULE}` })
  .int(`the half-life must be ${HALF_LIFE_RULE}`)
  .min(HALF_LIFE_DAYS.min, `the half-life must be at least ${HALF_LIFE_DAYS.min} days`)
  .max(HALF_LIFE_DAYS.max, `the half-life must be at most ${HALF_LIFE_DAYS.max} days`)
  .describe(`Days after which an email or meeting counts half as much in the engagement score (${HALF_LIFE_DAYS.min}–${HALF_LIFE_DAYS.max}, default ${HALF_LIFE_DAYS.default}). A change makes the next run a full run.`);

/** The small-count privacy threshold k: rows whose counted items involve fewer than k selected mailboxes publish their counts withheld. */
export const privacyThresholdSchema = z
  .number({ error: `the privacy threshold must be ${PRIVACY_THRESHOLD_RULE}` })
  .int(`the privacy threshold must be ${PRIVACY_THRESHOLD_RULE}`)
  .min(PRIVACY_THRESHOLD.min, `the privacy threshold must be at least ${PRIVACY_THRESHOLD.min} colleagues`)
  .max(PRIVACY_THRESHOLD.max, `the privacy threshold must be at most ${PRIVACY_THRESHOLD.max} colleagues`)
  .nullable()
  .describe(`Withhold the counts of a row whose counted items involve fewer than this many selected mailboxes (${PRIVACY_THRESHOLD.min}–${PRIVACY_THRESHOLD.max}; null: off, the default). Applies from the next run.`);

export const enrichmentInputSchema = z.object({
  name: z.string().trim().regex(ENRICHMENT_NAME, `use ${ENRICHMENT_NAME_RULE}`),
  entityName: z.string().trim().regex(ENTITY_NAME, `use ${ENTITY_NAME_RULE}`).optional(),
  mailboxes: z.object({ selections: selectionsSchema.min(1, 'pick at least one user or group') }),
  datasetId: z.string().regex(/^ds_[0-9a-f]{32}$/, 'must be a dataset id (ds_…)'),
  mapping: z.object({
    emailField: z.string().trim().min(1).max(200),
    accountIdField: z.string().trim().min(1).max(200),
    ownerField: z
      .string()
      .trim()
      .min(1, 'name the account owner column, or leave it out')
      .max(200)
      .nullable()
      .optional()
      .describe('Optional: the dataset\'s account column holding each account\'s owner (an address in the organisation), for account alerts'),
  }),
  exclusions: z
    .object({
      addresses: z.array(z.string().max(320)).max(MAX_EXCLUSIONS, `at most ${MAX_EXCLUSIONS} addresses`).optional(),
      domains: z.array(z.string().max(260)).max(MAX_EXCLUSIONS, `at most ${MAX_EXCLUSIONS} domains`).optional(),
    })
    .optional(),
  matchAccountDomains: z.boolean().optional(),
  halfLifeDays: halfLifeDaysSchema.optional(),
  privacyThreshold: privacyThresholdSchema.optional(),
  consentAgreed: z.literal(true, { error: 'tick "I agree" to the consent statement to go on' }),
  consentRecipients: recipientsSchema.optional(),
});
export type EnrichmentInput = z.output<typeof enrichmentInputSchema>;

export const enrichmentUpdateSchema = enrichmentInputSchema.extend({ version: z.number().int().min(1).optional() });
export const versionBody = z.object({ version: z.number().int().min(1).optional() }).optional();
export const addExclusionsBody = z
  .object({
    addresses: z.array(z.string().max(320)).max(MAX_EXCLUSIONS, `at most ${MAX_EXCLUSIONS} addresses`).optional(),
    domains: z.array(z.string().max(260)).max(MAX_EXCLUSIONS, `at most ${MAX_EXCLUSIONS} domains`).optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict();
export const privacyThresholdBody = z.object({ privacyThreshold: privacyThresholdSchema, version: z.number().int().min(1).optional() });
export const halfLifeBody = z.object({ halfLifeDays: halfLifeDaysSchema, version: z.number().int().min(1).optional() });

export const nameAvailabilitySchema = z.object({ available: z.boolean(), reason: z.string().nullable() });
export const nameAvailabilityQuery = z.object({
  name: z.string().max(200),
  excludeId: z.string().regex(/^enr_[0-9a-f]{32}$/).optional(),
});

const stateEnum = z.enum(['awaiting-consent', 'consented', 'consent-refused', 'paused']);

export const enrichmentSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  entityName: z.string(),
  state: stateEnum,
  paused: z.boolean(),
  consentState: z.enum(['awaiting', 'consented', 'refused']),
  datasetId: z.string(),
  mailboxCount: z.number().int(),
  version: z.number().int(),
  updatedAt: z.string(),
});

export const enrichmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  entityName: z.string(),
  userEntityName: z.string(),
  state: stateEnum,
  paused: z.boolean(),
  mailboxes: z.object({ selections: z.array(selectionSchema), resolved: z.array(mailboxSchema), unresolved: z.array(unresolvedSchema), count: z.number().int() }),
  datasetId: z.string(),
  datasetName: z.string().nullable(),
  mapping: z.object({ emailField: z.string(), accountIdField: z.string(), ownerField: z.string().nullable() }),
  exclusions: z.object({ addresses: z.array(z.string()), domains: z.array(z.string()) }),
  matchAccountDomains: z.boolean(),
  halfLifeDays: z.number().int(),
  privacyThreshold: z.number().int().nullable(),
  consentAgreement: z.object({ agreedBy: z.string(), agreedAt: z.string() }),
  consent: consentStatusSchema,
  version: z.number().int(),
  createdBy: z.string(),
  updatedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const createdEnrichmentSchema = z.object({ enrichment: enrichmentSchema, consentRequest: consentRequestResultSchema });
