import { z } from 'zod';

/** The REST shapes of webhooks on publish: the routes validate with them, OpenAPI is made from them, the tab imports their types. */

export const webhookParams = z.object({ id: z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only') });

export const MAX_WEBHOOK_URL = 2048;

export const registerWebhookBody = z
  .object({
    url: z
      .string()
      .trim()
      .min(1, 'give the receiver\'s HTTPS URL')
      .max(MAX_WEBHOOK_URL, `at most ${MAX_WEBHOOK_URL} characters`)
      .describe('The receiver: an https:// URL on a public address. It is called once with ?validationToken=… and must echo the token as text/plain within the timeout.'),
  })
  .strict();

export const webhookView = z.object({
  enrichmentId: z.string(),
  url: z.string(),
  events: z.array(z.literal('results.published')),
  validatedAt: z.string().describe('When the receiver echoed the validation token'),
  createdAt: z.string(),
  createdBy: z.string(),
  secretHint: z.string().describe('The last 4 characters of the signing secret, to tell secrets apart; the secret itself is shown only at registration'),
});
export type WebhookView = z.infer<typeof webhookView>;

export const webhookState = z.object({ webhook: webhookView.nullable() });

export const webhookRegistered = z.object({
  webhook: webhookView,
  secret: z.string().describe('The HMAC-SHA256 signing secret. Shown this once: store it with the receiver; it is never returned again'),
});

export const deliveryView = z.object({
  deliveryId: z.string().describe('Also sent in X-Engagement-Delivery and as the payload\'s id; the same for every attempt of one notification'),
  runId: z.string(),
  attempt: z.number().int().describe('1 for the first attempt'),
  at: z.string(),
  outcome: z.enum(['delivered', 'failed']),
  willRetry: z.boolean().describe('A failed attempt that is not the last: another one is scheduled'),
  statusCode: z.number().int().nullable().describe('The receiver\'s HTTP status, or null when there was no answer'),
  error: z.string().nullable().describe('Why the attempt failed: the status, a timeout, a refused connection'),
  durationMs: z.number().int(),
});
export type DeliveryView = z.infer<typeof deliveryView>;

export const deliveriesList = z.object({ items: z.array(deliveryView).describe('The last attempts, newest first') });

/** What a receiver gets on each publish: ids, times and counts only, never an account's data. */
export const publishedPayload = z.object({
  type: z.literal('results.published'),
  id: z.string().describe('The delivery id (the same across retries: deduplicate on it)'),
  tenantId: z.string(),
  enrichmentId: z.string(),
  enrichmentName: z.string(),
  runId: z.string(),
  asOf: z.string(),
  publishedAt: z.string(),
  counts: z.object({
    accountsEnriched: z.number().int(),
    emailsProcessed: z.number().int(),
    meetingsProcessed: z.number().int(),
    mailboxesRead: z.number().int(),
    mailboxesFailed: z.number().int(),
  }),
  links: z.object({ results: z.string().describe('The results overview to read over REST (app-only tokens may)'), rows: z.string() }),
});
export type PublishedPayload = z.infer<typeof publishedPayload>;
