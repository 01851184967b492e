import type { Collection, Db } from 'mongodb';
import type { CollectionSpec } from '../platform/db/collection-spec';
import { findByKey, replaceByKey } from '../platform/db/by-key';

/** One webhook per enrichment, stored under `<tenant>:<enrichment>` (read by key). */
export interface WebhookDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  url: string;
  /** The signing secret, sealed (SecretBox); never returned by the API after registration. */
  sealedSecret: string;
  secretHint: string;
  validatedAt: Date;
  createdAt: Date;
  createdBy: string;
}

/** One delivery attempt: the log the admin reads. */
export interface DeliveryAttemptDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  deliveryId: string;
  runId: string;
  attempt: number;
  at: Date;
  outcome: 'delivered' | 'failed';
  willRetry: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export const webhooksCollection: CollectionSpec = { name: 'enrichment_webhooks', indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }] };
export const deliveriesCollection: CollectionSpec = { name: 'webhook_deliveries', indexes: [{ name: 'tenant_enrichment_at', key: { tenantId: 1, enrichmentId: 1, at: -1 } }] };
export const WEBHOOK_COLLECTIONS: CollectionSpec[] = [webhooksCollection, deliveriesCollection];

export const webhookKey = (tenantId: string, enrichmentId: string) => `${tenantId}:${enrichmentId}`;

export class WebhooksStore {
  private readonly webhooks: Collection<WebhookDocument>;
  private readonly deliveries: Collection<DeliveryAttemptDocument>;

  constructor(db: Db) {
    this.webhooks = db.collection<WebhookDocument>(webhooksCollection.name);
    this.deliveries = db.collection<DeliveryAttemptDocument>(deliveriesCollection.name);
  }

  get(tenantId: string, enrichmentId: string): Promise<WebhookDocument | null> {
    return findByKey(this.webhooks, webhookKey(tenantId, enrichmentId), tenantId);
  }

  put(doc: WebhookDocument): Promise<void> {
    return replaceByKey(this.webhooks, doc);
  }

  async remove(tenantId: string, enrichmentId: string): Promise<boolean> {
    const existing = await this.get(tenantId, enrichmentId);
    if (!existing) return false;
    await this.webhooks.deleteOne({ _id: existing._id });
    return true;
  }

  /** Recorded once per attempt (its key makes a retried record of the same attempt harmless). */
  async record(attempt: Omit<DeliveryAttemptDocument, '_id'>): Promise<void> {
    const doc = { _id: `${attempt.deliveryId}:${attempt.attempt}`, ...attempt };
    await replaceByKey(this.deliveries, doc);
  }

  lastAttempts(tenantId: string, enrichmentId: string, limit: number): Promise<DeliveryAttemptDocument[]> {
    return this.deliveries.find({ tenantId, enrichmentId }).sort({ at: -1, attempt: -1 }).limit(limit).toArray();
  }
}
