import { z } from 'zod';

/** The REST shapes of an enrichment's consent: its state and history, and what a request did. */

export const consentStatusSchema = z.object({
  state: z.enum(['awaiting', 'consented', 'refused']),
  requestedAt: z.string().nullable(),
  requestedBy: z.string().nullable(),
  recipients: z.array(z.string()),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  source: z.enum(['consent-link', 'detected']).nullable(),
  refusalReason: z.string().nullable(),
  history: z.array(z.object({ at: z.string(), event: z.enum(['requested', 'consented', 'refused', 'detected', 'invalid-callback', 'unconfirmed-callback']), by: z.string().nullable(), detail: z.string().nullable() })),
});
export const consentRequestResultSchema = z.object({
  link: z.string(),
  sent: z.boolean(),
  recipients: z.array(z.string()),
  recipientSource: z.enum(['global-admins', 'supplied', 'none']),
  reason: z.string().nullable(),
});
export const recipientsSchema = z.array(z.string().trim().email('must be an email address')).max(20, 'at most 20 recipients');
