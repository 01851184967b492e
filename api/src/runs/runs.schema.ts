import { z } from 'zod';

/** The REST shapes of runs: what the runs routes answer and the tab reads. */

/** A run's lifecycle state (also in the results overview's last run). */
export const runStateSchema = z.enum(['queued', 'running', 'merging', 'completed', 'failed', 'cancelled']);

export const runView = z.object({
  id: z.string(),
  enrichmentId: z.string(),
  trigger: z.enum(['manual', 'schedule']),
  asOf: z.string(),
  mode: z.enum(['full', 'refresh']),
  baseRunId: z.string().nullable(),
  retryOf: z.string().nullable().describe('A retry of the failed mailboxes of this published run, at its as-of'),
  state: runStateSchema,
  phase: z.enum(['queued', 'preparing', 'reading', 'merging', 'publishing', 'done']),
  counters: z.object({
    mailboxesTotal: z.number(),
    mailboxesDone: z.number(),
    mailboxesFailed: z.number(),
    mailboxesPending: z.number(),
    messagesRead: z.number(),
    eventsRead: z.number(),
    mailboxesFullRead: z.number(),
    /** Mailboxes whose calendar a refresh read in full (no calendar state, window renewed, or a calendar delta reset). */
    mailboxesCalendarFullRead: z.number(),
  }),
  errors: z.array(z.object({ userId: z.string(), reason: z.string(), at: z.string() })),
  summary: z
    .object({ accountsEnriched: z.number(), emailsProcessed: z.number(), meetingsProcessed: z.number(), daysCovered: z.number(), durationMs: z.number() })
    .nullable(),
  estimate: z
    .object({
      source: z.enum(['enrichment', 'draft']).describe("The enrichment's own estimate, or the wizard's of the same selection before the enrichment existed"),
      asOf: z.string().describe('The instant the counts are for'),
      countedAt: z.string(),
      mailboxes: z.number().int(),
      mailboxesFailed: z.number().int(),
      messages: z.number().int(),
      events: z.number().int(),
      firstRunSeconds: z.number(),
      refreshSeconds: z.number(),
      concurrency: z.number().int(),
    })
    .nullable()
    .describe('The dry-run estimate of the same mailboxes, frozen when the run was queued: compared with what a full run read and took'),
  failureReason: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});
export type RunView = z.infer<typeof runView>;

export const scheduleView = z.object({
  enabled: z.boolean(),
  intervalHours: z.number(),
  firstRunAt: z.string().nullable(),
  firstRunDelayHours: z.number().describe('How long after consent the first scheduled run starts'),
  nextRunAt: z.string().nullable(),
  lastRunAt: z.string().nullable(),
});
