import type { Collection, Db, Filter } from 'mongodb';
import type { CollectionSpec } from '../platform/db/collection-spec';
import { findByKey, replaceByKey } from '../platform/db/by-key';
import { isDuplicateKeyError } from '../platform/db/duplicate-key';
import type { AlertKind, AlertSettings } from './alert-rules';

/** An enrichment's alert settings, by `<tenant>:<enrichment>`. */
export interface AlertSettingsDocument extends AlertSettings {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  updatedAt: Date;
  updatedBy: string;
}

export type SendOutcome = 'sending' | 'sent' | 'not-installed' | 'permission-missing' | 'muted' | 'throttled' | 'failed';

/**
 * One owner's notification for one run, `_id = <run>:<owner user id>`: inserted (never upserted)
 * before anything is sent, so whoever inserts it is the only sender; a retried publish finds it.
 */
export interface AlertSendDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  runId: string;
  ownerUserId: string;
  accounts: Array<{ accountId: string; kind: AlertKind }>;
  outcome: SendOutcome;
  attempts: number;
  /** Why it failed: the Graph status and code, never an address. */
  error: string | null;
  at: Date;
}

/** What the admin is shown after the latest run's alerts, by `<tenant>:<enrichment>`. */
export interface AlertReportDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  runId: string;
  at: Date;
  notified: number;
  muted: number;
  withoutApp: Array<{ userId: string; displayName: string | null; mail: string }>;
  unknownOwners: string[];
  /** Owners Teams refused because the app's token lacks TeamsActivity.Send (absent on reports written before it was counted). */
  permissionMissing?: number;
  failed: number;
}

/** A seller's own choice to hear no alerts, by `<tenant>:<user>`. */
export interface AlertMuteDocument {
  _id: string;
  tenantId: string;
  userId: string;
  muted: boolean;
  updatedAt: Date;
}

export const alertSettingsCollection: CollectionSpec = { name: 'enrichment_alert_settings', indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }] };
export const alertSendsCollection: CollectionSpec = { name: 'alert_sends', indexes: [{ name: 'tenant_enrichment_run', key: { tenantId: 1, enrichmentId: 1, runId: 1 } }] };
export const alertReportsCollection: CollectionSpec = { name: 'alert_reports', indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }] };
export const alertMutesCollection: CollectionSpec = { name: 'alert_mutes', indexes: [] };
export const ALERT_COLLECTIONS: CollectionSpec[] = [alertSettingsCollection, alertSendsCollection, alertReportsCollection, alertMutesCollection];

const key = (a: string, b: string) => `${a}:${b}`;
export const sendKey = (runId: string, ownerUserId: string) => key(runId, ownerUserId);

export class AlertsStore {
  private readonly settings: Collection<AlertSettingsDocument>;
  private readonly sends: Collection<AlertSendDocument>;
  private readonly reports: Collection<AlertReportDocument>;
  private readonly mutes: Collection<AlertMuteDocument>;

  constructor(db: Db) {
    this.settings = db.collection<AlertSettingsDocument>(alertSettingsCollection.name);
    this.sends = db.collection<AlertSendDocument>(alertSendsCollection.name);
    this.reports = db.collection<AlertReportDocument>(alertReportsCollection.name);
    this.mutes = db.collection<AlertMuteDocument>(alertMutesCollection.name);
  }

  getSettings(tenantId: string, enrichmentId: string): Promise<AlertSettingsDocument | null> {
    return findByKey(this.settings, key(tenantId, enrichmentId), tenantId);
  }

  putSettings(doc: Omit<AlertSettingsDocument, '_id'>): Promise<void> {
    return replaceByKey(this.settings, { _id: key(doc.tenantId, doc.enrichmentId), ...doc });
  }

  getReport(tenantId: string, enrichmentId: string): Promise<AlertReportDocument | null> {
    return findByKey(this.reports, key(tenantId, enrichmentId), tenantId);
  }

  putReport(doc: Omit<AlertReportDocument, '_id'>): Promise<void> {
    return replaceByKey(this.reports, { _id: key(doc.tenantId, doc.enrichmentId), ...doc });
  }

  async isMuted(tenantId: string, userId: string): Promise<boolean> {
    return (await findByKey(this.mutes, key(tenantId, userId), tenantId))?.muted === true;
  }

  setMuted(tenantId: string, userId: string, muted: boolean): Promise<void> {
    return replaceByKey(this.mutes, { _id: key(tenantId, userId), tenantId, userId, muted, updatedAt: new Date() });
  }

  /**
   * Claims an owner's notification of a run: true when this call inserted the record (it may
   * send), false when it exists. A plain insert by a new key (cheap on FerretDB; an upsert is not).
   */
  async claim(doc: AlertSendDocument): Promise<boolean> {
    try {
      await this.sends.insertOne(doc);
      return true;
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }

  getSend(tenantId: string, runId: string, ownerUserId: string): Promise<AlertSendDocument | null> {
    return findByKey(this.sends, sendKey(runId, ownerUserId), tenantId);
  }

  /** Written only by the claim holder (the run's one alert job). */
  async record(doc: AlertSendDocument): Promise<void> {
    await this.sends.replaceOne({ _id: doc._id } as Filter<AlertSendDocument>, doc);
  }

  sendsOf(tenantId: string, enrichmentId: string, runId: string): Promise<AlertSendDocument[]> {
    return this.sends.find({ tenantId, enrichmentId, runId }).toArray();
  }
}
