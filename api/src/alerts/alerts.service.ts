import type { Logger } from 'pino';
import { matchUiLocale, type UiLocale } from '../../../common/i18n/ui-locale';
import type { EnrichmentsStore } from '../enrichments/enrichments.store';
import type { Principal } from '../platform/auth/principal';
import { AppError } from '../platform/errors/app-error';
import type { GraphClientFactory } from '../platform/graph/graph-client.factory';
import { yearAlertRowsOf, type YearAlertRow } from '../snapshots/snapshot-file';
import type { SnapshotsStore } from '../snapshots/snapshots.store';
import { alertText, classifyChanges, DEFAULT_ALERT_SETTINGS, groupByOwner, type AlertSettings, type OwnerAlert, type YearFact } from './alert-rules';
import { resolveOwners, sendActivityNotification, tenantLanguage, type ActivityNotification, type OwnerUser } from './alerts-graph';
import type { AlertOwnersView, AlertSettingsView } from './alerts.schema';
import { sendKey, type AlertReportDocument, type AlertSendDocument, type AlertsStore, type SendOutcome } from './alerts.store';

export interface AlertOptions {
  /** Where the tab is served: the notification opens its customer list. */
  publicUrl: string;
  /** The Teams app's id (manifest `id`): with it the link is a Teams deep link to the Customers tab; without, the tab's own URL. */
  teamsAppId: string | null;
}

/** The Teams admin centre page where an admin installs an app for everyone (app setup policies). */
export const APP_SETUP_POLICY_URL = 'https://admin.teams.microsoft.com/policies/app-setup';
/** The activity type declared in the manifest (`activities.activityTypes`). */
export const ACTIVITY_TYPE = 'accountsChanged';
/** Accounts named in a notification's link; an owner with more sees the first ones filtered. */
export const LINKED_ACCOUNTS_MAX = 50;

/** What an alert job needs: the published run and the one published before it. */
export interface AlertJobData {
  tenantId: string;
  enrichmentId: string;
  runId: string;
  previousRunId: string | null;
}

/** What one alert job did (for the tests and the log). */
export interface AlertJobResult {
  skipped?: 'off' | 'no-owner-column' | 'no-previous-run' | 'snapshot-missing';
  outcomes: Partial<Record<SendOutcome | 'already', number>>;
  /** Some owners were throttled: the job should be retried later. */
  retry: boolean;
}

const RETRYABLE: ReadonlySet<SendOutcome> = new Set(['throttled']);

export class AlertsService {
  constructor(
    private readonly store: AlertsStore,
    private readonly enrichments: EnrichmentsStore,
    private readonly snapshots: SnapshotsStore,
    private readonly graph: GraphClientFactory,
    private readonly options: AlertOptions,
    private readonly logger: Logger,
  ) {}

  // ---- admin: settings and the owners report ------------------------------------------

  async settings(tenantId: string, enrichmentId: string): Promise<AlertSettingsView> {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    const s = await this.store.getSettings(tenantId, enrichmentId);
    const values: AlertSettings = s ? { enabled: s.enabled, quietDays: s.quietDays, scoreDrop: s.scoreDrop, cameBack: s.cameBack } : DEFAULT_ALERT_SETTINGS;
    return { ...values, ownerField: e.mapping.ownerField ?? null, updatedAt: s?.updatedAt.toISOString() ?? null, updatedBy: s?.updatedBy ?? null };
  }

  async saveSettings(p: Principal, enrichmentId: string, values: AlertSettings): Promise<AlertSettingsView> {
    const e = await this.requireEnrichment(p.tenantId, enrichmentId);
    if (values.enabled && !e.mapping.ownerField) {
      throw new AppError('validation', 'Alerts need an account owner column: map one in the enrichment\'s dataset mapping first.', { fields: [{ path: 'body.enabled', message: 'no owner column mapped' }] });
    }
    await this.store.putSettings({ tenantId: p.tenantId, enrichmentId, ...values, updatedAt: new Date(), updatedBy: p.userId });
    return this.settings(p.tenantId, enrichmentId);
  }

  async owners(tenantId: string, enrichmentId: string): Promise<AlertOwnersView> {
    await this.requireEnrichment(tenantId, enrichmentId);
    const r = await this.store.getReport(tenantId, enrichmentId);
    return {
      runId: r?.runId ?? null,
      at: r?.at.toISOString() ?? null,
      notified: r?.notified ?? 0,
      muted: r?.muted ?? 0,
      withoutApp: r?.withoutApp ?? [],
      unknownOwners: r?.unknownOwners ?? [],
      permissionMissing: r?.permissionMissing ?? 0,
      failed: r?.failed ?? 0,
      setupPolicyUrl: APP_SETUP_POLICY_URL,
    };
  }

  // ---- seller: their own mute --------------------------------------------------------

  async mute(p: Principal): Promise<{ muted: boolean }> {
    return { muted: await this.store.isMuted(p.tenantId, p.userId) };
  }

  async setMute(p: Principal, muted: boolean): Promise<{ muted: boolean }> {
    await this.store.setMuted(p.tenantId, p.userId, muted);
    return { muted };
  }

  // ---- the alert job -------------------------------------------------------------------

  /** Whether a published run of this enrichment has alerts to compute (read by key; cheap). */
  async enabled(tenantId: string, enrichmentId: string): Promise<boolean> {
    return (await this.store.getSettings(tenantId, enrichmentId))?.enabled === true;
  }

  /**
   * After a publish: compare the run's Year rows with the previous run's, group the owned
   * accounts that changed per owner, and send each owner one notification. At least once is
   * safe: each owner's notification is claimed by inserting its record first, so a retried job
   * sends only what was throttled before.
   */
  async deliver(job: AlertJobData): Promise<AlertJobResult> {
    const { tenantId, enrichmentId, runId } = job;
    const result: AlertJobResult = { outcomes: {}, retry: false };
    const settings = await this.store.getSettings(tenantId, enrichmentId);
    if (!settings?.enabled) return { ...result, skipped: 'off' };
    const e = await this.enrichments.get(tenantId, enrichmentId);
    const ownerField = e?.mapping.ownerField ?? null;
    if (!e || !ownerField) return { ...result, skipped: 'no-owner-column' };
    if (!job.previousRunId) {
      await this.report(job, [], []);
      return { ...result, skipped: 'no-previous-run' };
    }
    const [next, previous] = await Promise.all([this.yearFacts(tenantId, runId, ownerField), this.yearFacts(tenantId, job.previousRunId, ownerField)]);
    if (!next || !previous) return { ...result, skipped: 'snapshot-missing' };

    const alerts = groupByOwner(classifyChanges(previous, next, settings));
    const users = await resolveOwners(this.graph, tenantId, alerts.map((a) => a.owner));
    const unknown = alerts.filter((a) => !users.has(a.owner)).map((a) => a.owner);
    const client = this.graph.forApp(tenantId);
    const orgTag = users.size > 0 ? await tenantLanguage(this.graph, tenantId) : null;
    const orgLocale = (orgTag && matchUiLocale(orgTag)) || 'en';
    const outcomes: Array<{ user: OwnerUser; outcome: SendOutcome }> = [];
    for (const alert of alerts) {
      const user = users.get(alert.owner);
      if (!user) continue;
      const locale = (user.preferredLanguage && matchUiLocale(user.preferredLanguage)) || orgLocale;
      const outcome = await this.deliverOne(job, alert, user, locale, (n) => sendActivityNotification(client, user.userId, n));
      outcomes.push({ user, outcome });
      result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
    }
    result.retry = outcomes.some((o) => RETRYABLE.has(o.outcome));
    await this.report(job, outcomes, unknown);
    // Counts and ids only: owners' addresses never reach the log.
    this.logger.info({ enrichmentId, runId, owners: alerts.length, unknownOwners: unknown.length, outcomes: result.outcomes }, 'account alerts delivered');
    return result;
  }

  /** One owner's notification: claimed by insert, muted or sent, its outcome recorded. */
  private async deliverOne(job: AlertJobData, alert: OwnerAlert, user: OwnerUser, locale: UiLocale, send: (n: ActivityNotification) => ReturnType<typeof sendActivityNotification>): Promise<SendOutcome> {
    const record: AlertSendDocument = {
      _id: sendKey(job.runId, user.userId),
      tenantId: job.tenantId,
      enrichmentId: job.enrichmentId,
      runId: job.runId,
      ownerUserId: user.userId,
      accounts: alert.accounts.map((a) => ({ accountId: a.accountId, kind: a.kind })),
      outcome: 'sending',
      attempts: 0,
      error: null,
      at: new Date(),
    };
    if (!(await this.store.claim(record))) {
      const existing = await this.store.getSend(job.tenantId, job.runId, user.userId);
      // Sent, refused, muted, or being sent by a copy of this job: never again. Only a throttled one is tried again.
      if (!existing || !RETRYABLE.has(existing.outcome)) return existing?.outcome === 'sending' || !existing ? 'sending' : existing.outcome;
      record.attempts = existing.attempts;
    }
    if (await this.store.isMuted(job.tenantId, user.userId)) {
      await this.store.record({ ...record, outcome: 'muted', at: new Date() });
      return 'muted';
    }
    const sent = await send(this.notification(job, alert, locale));
    await this.store.record({ ...record, outcome: sent.outcome, attempts: record.attempts + 1, error: sent.outcome === 'sent' ? null : sent.error, at: new Date() });
    return sent.outcome;
  }

  /** The owner's notification, its preview in their language (else the organisation's, else English). */
  private notification(job: AlertJobData, alert: OwnerAlert, locale: UiLocale): ActivityNotification {
    const { preview } = alertText(alert, locale);
    return {
      activityType: ACTIVITY_TYPE,
      topic: { source: 'text', value: 'Account engagement', webUrl: this.customerListLink(job.enrichmentId, alert.accounts.map((a) => a.accountId)) },
      previewText: { content: preview },
      templateParameters: [{ name: 'count', value: String(alert.accounts.length) }],
    };
  }

  /** The customer list filtered to these accounts: a Teams deep link to the Customers tab when the app id is known. */
  customerListLink(enrichmentId: string, accountIds: readonly string[]): string {
    const params = new URLSearchParams({ page: 'customers', enrichmentId, accounts: accountIds.slice(0, LINKED_ACCOUNTS_MAX).join(',') });
    const tabUrl = `${this.options.publicUrl}/?${params.toString()}`;
    if (!this.options.teamsAppId) return tabUrl;
    const subEntityId = new URLSearchParams({ enrichmentId, accounts: params.get('accounts')! }).toString();
    return `https://teams.microsoft.com/l/entity/${encodeURIComponent(this.options.teamsAppId)}/customers?webUrl=${encodeURIComponent(tabUrl)}&context=${encodeURIComponent(JSON.stringify({ subEntityId }))}`;
  }

  /** The admin's view of this run's alerts, replacing the previous run's. */
  private async report(job: AlertJobData, outcomes: Array<{ user: OwnerUser; outcome: SendOutcome }>, unknown: string[]): Promise<void> {
    const doc: Omit<AlertReportDocument, '_id'> = {
      tenantId: job.tenantId,
      enrichmentId: job.enrichmentId,
      runId: job.runId,
      at: new Date(),
      notified: outcomes.filter((o) => o.outcome === 'sent').length,
      muted: outcomes.filter((o) => o.outcome === 'muted').length,
      withoutApp: outcomes.filter((o) => o.outcome === 'not-installed').map((o) => ({ userId: o.user.userId, displayName: o.user.displayName, mail: o.user.mail })),
      unknownOwners: [...unknown].sort(),
      permissionMissing: outcomes.filter((o) => o.outcome === 'permission-missing').length,
      failed: outcomes.filter((o) => o.outcome === 'failed').length,
    };
    await this.store.putReport(doc);
  }

  private async yearFacts(tenantId: string, runId: string, ownerField: string): Promise<YearFact[] | null> {
    const snapshot = await this.snapshots.read(tenantId, runId);
    if (!snapshot) return null;
    const rows = await yearAlertRowsOf(snapshot.bytes, snapshot.facts, snapshot.facts.attributes.indexOf(ownerField));
    return rows.map((r: YearAlertRow) => ({ accountId: r.accountId, name: r.name, owner: r.attribute ? r.attribute.toLowerCase() : null, daysSinceLastEmail: r.daysSinceLastEmail, daysSinceLastMeeting: r.daysSinceLastMeeting, score: r.score, withheld: r.withheld }));
  }

  private async requireEnrichment(tenantId: string, enrichmentId: string) {
    const e = await this.enrichments.get(tenantId, enrichmentId);
    if (!e) throw new AppError('not-found', `No enrichment ${enrichmentId} in your organisation.`);
    return e;
  }
}
