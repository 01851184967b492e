import { z } from 'zod';

export const selectionSchema = z.object({
  kind: z.enum(['user', 'group']),
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a directory object id (GUID)'),
  displayName: z.string().max(256).optional(),
});
export const selectionsSchema = z.array(selectionSchema).max(500, 'pick at most 500 users and groups; use groups for larger selections');

export const searchQuery = z.object({
  q: z.string().trim().min(1, 'type at least one character').max(100),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export const resolveBody = z.object({ selections: selectionsSchema });

export const directoryEntrySchema = z.object({
  kind: z.enum(['user', 'group']),
  id: z.string(),
  displayName: z.string(),
  mail: z.string().nullable(),
  memberCount: z.number().int().nullable().optional().describe('Groups only: people in the group, nested groups included'),
});
export const unresolvedSchema = z.object({
  kind: z.enum(['user', 'group']),
  id: z.string(),
  displayName: z.string().nullable(),
  reason: z.enum(['not-found', 'no-mailbox', 'disabled', 'empty-group']),
});
export const mailboxSchema = z.object({ userId: z.string(), mail: z.string() });
export const resolutionSchema = z.object({
  mailboxes: z.array(mailboxSchema),
  count: z.number().int(),
  unresolved: z.array(unresolvedSchema),
  limits: z.object({ min: z.number().int(), max: z.number().int() }),
  withinLimits: z.boolean(),
  message: z.string().nullable(),
});
export const prerequisitesSchema = z.object({
  items: z.array(z.object({ id: z.enum(['region', 'licence', 'dataset', 'role']), status: z.enum(['met', 'not-met', 'unknown']), reason: z.string() })),
  supportedCountries: z.array(z.string()),
  countryLetterCode: z.string().nullable(),
  canCreate: z.boolean(),
});
