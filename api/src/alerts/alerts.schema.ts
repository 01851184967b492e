import { z } from 'zod';
import { ALERT_LIMITS } from './alert-rules';

/** The REST shapes of account alerts: the routes validate with them, OpenAPI is made from them, the tab imports their types. */

const wholeDays = z
  .number({ error: `the quiet threshold must be a whole number of days from ${ALERT_LIMITS.quietDays.min} to ${ALERT_LIMITS.quietDays.max}` })
  .int(`the quiet threshold must be a whole number of days`)
  .min(ALERT_LIMITS.quietDays.min, `the quiet threshold must be at least ${ALERT_LIMITS.quietDays.min} days`)
  .max(ALERT_LIMITS.quietDays.max, `the quiet threshold must be at most ${ALERT_LIMITS.quietDays.max} days`);
const points = z
  .number({ error: `the score drop must be a whole number of points from ${ALERT_LIMITS.scoreDrop.min} to ${ALERT_LIMITS.scoreDrop.max}` })
  .int('the score drop must be a whole number of points')
  .min(ALERT_LIMITS.scoreDrop.min, `the score drop must be at least ${ALERT_LIMITS.scoreDrop.min} point`)
  .max(ALERT_LIMITS.scoreDrop.max, `the score drop must be at most ${ALERT_LIMITS.scoreDrop.max} points`);

export const alertSettingsBody = z
  .object({
    enabled: z.boolean({ error: 'enabled must be true or false' }).describe('Send account owners alerts after each run (off by default)'),
    quietDays: wholeDays.describe(`"Went quiet": no email and no meeting with the account for this many days (${ALERT_LIMITS.quietDays.min}–${ALERT_LIMITS.quietDays.max}, default ${ALERT_LIMITS.quietDays.default})`),
    scoreDrop: points.describe(`"Score dropped": the Year score fell by at least this many points since the previous run (${ALERT_LIMITS.scoreDrop.min}–${ALERT_LIMITS.scoreDrop.max}, default ${ALERT_LIMITS.scoreDrop.default})`),
    cameBack: z.boolean({ error: 'cameBack must be true or false' }).describe('Also tell owners when a quiet account came back'),
  })
  .strict();

export const alertSettingsView = alertSettingsBody.extend({
  ownerField: z.string().nullable().describe('The dataset column holding each account\'s owner (mapped in the enrichment); alerts need it'),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type AlertSettingsView = z.infer<typeof alertSettingsView>;

export const sendOutcome = z.enum(['sending', 'sent', 'not-installed', 'permission-missing', 'muted', 'throttled', 'failed']);

/** What the admin sees of the last run's alerts: owners the app could not reach, never their activity. */
export const alertOwnersView = z.object({
  runId: z.string().nullable().describe('The run the report is about; null before any run sent alerts'),
  at: z.string().nullable(),
  notified: z.number().int().describe('Owners sent a notification'),
  muted: z.number().int().describe('Owners who muted their alerts'),
  withoutApp: z.array(z.object({ userId: z.string(), displayName: z.string().nullable(), mail: z.string() })).describe('Owners who have not installed the app, so Teams refuses their notification'),
  unknownOwners: z.array(z.string()).describe('Owner column values that name no enabled user of the organisation'),
  permissionMissing: z
    .number()
    .int()
    .describe('Owners whose notification Teams refused because the app lacks the TeamsActivity.Send permission: the organisation consented before alerts existed and a Global Administrator must grant consent again'),
  failed: z.number().int().describe('Owners whose notification failed for another reason (see the logs by run id)'),
  setupPolicyUrl: z.string().describe('Where a Teams admin installs the app for everyone (app setup policies)'),
});
export type AlertOwnersView = z.infer<typeof alertOwnersView>;

export const muteBody = z.object({ muted: z.boolean({ error: 'muted must be true or false' }) }).strict();
export const muteView = z.object({ muted: z.boolean() });
