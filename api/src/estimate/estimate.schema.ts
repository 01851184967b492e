import { z } from 'zod';
import { MAX_MAILBOXES } from '../directory/mailbox-resolution';

/** The REST shapes of the dry-run estimate: an enrichment's, and a draft selection's (the wizard's, before the enrichment exists). */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const estimateResult = z.object({
  mailboxes: z.number().int().describe('Mailboxes counted (those Graph would not count are left out)'),
  messages: z.number().int().describe('Messages received in the window'),
  events: z.number().int().describe('Calendar items in the window and the horizon the calendar sync reads'),
  weekMessages: z.number().int().describe('Messages received in the last 7 days (what a weekly refresh reads)'),
  requestsFull: z.number().int(),
  requestsRefresh: z.number().int(),
  firstRunSeconds: z.number(),
  refreshSeconds: z.number(),
});

export const estimateModelView = z.object({ requestSeconds: z.number(), itemSeconds: z.number(), concurrency: z.number().int() });

export const estimateView = z.object({
  state: z.enum(['none', 'queued', 'running', 'done', 'failed']),
  stale: z.boolean().describe('The enrichment changed since the estimate was made: refresh it'),
  asOf: z.string().nullable(),
  mailboxesTotal: z.number().int(),
  mailboxesDone: z.number().int(),
  mailboxesFailed: z.number().int(),
  model: estimateModelView.nullable().describe('The time model the durations come from'),
  result: estimateResult.nullable(),
  failureReason: z.string().nullable(),
  requestedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});
export type EstimateViewDto = z.infer<typeof estimateView>;

/** A draft selection's key: a hash of its mailboxes, the window and the time model (concurrency included). */
export const draftKeyParam = z.object({ key: z.string().regex(/^[0-9a-f]{64}$/, 'must be the 64 hexadecimal characters a draft estimate answered with') });

export const draftEstimateBody = z.object({
  userIds: z
    .array(z.string().regex(GUID, 'must be a directory object id (GUID)'))
    .min(1, 'give at least one mailbox')
    .max(MAX_MAILBOXES, `give at most ${MAX_MAILBOXES} mailboxes`)
    .describe('The resolved mailboxes of the selection (their directory object ids), as POST /api/directory/resolve answered'),
  refresh: z.boolean().default(false).describe('Count again even when an estimate of this selection is cached'),
});

export const draftEstimateView = estimateView.extend({
  key: z.string().describe('The selection\'s key: read the estimate (and its progress) at GET /api/estimates/drafts/{key}'),
});
export type DraftEstimateViewDto = z.infer<typeof draftEstimateView>;
