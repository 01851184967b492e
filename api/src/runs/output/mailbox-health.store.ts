import type { Collection, Db } from 'mongodb';
import { findByKey, replaceByKey } from '../../platform/db/by-key';
import type { CollectionSpec } from '../../platform/db/collection-spec';
import type { MailboxHealthRecord } from '../domain/mailbox-health';

/**
 * One document per enrichment with every selected mailbox's health after the last finished run
 * (at most 2,500 small records): the page reads it by key, finalize replaces it by key.
 */
export interface MailboxHealthDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  runId: string;
  runAsOf: Date;
  evaluatedAt: Date;
  mailboxes: MailboxHealthRecord[];
}

export const mailboxHealthCollection: CollectionSpec = {
  name: 'mailbox_health',
  indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};

export class MailboxHealthStore {
  readonly health: Collection<MailboxHealthDocument>;

  constructor(db: Db) {
    this.health = db.collection<MailboxHealthDocument>(mailboxHealthCollection.name);
  }

  static key(tenantId: string, enrichmentId: string): string {
    return `${tenantId}|${enrichmentId}`;
  }

  get(tenantId: string, enrichmentId: string): Promise<MailboxHealthDocument | null> {
    return findByKey(this.health, MailboxHealthStore.key(tenantId, enrichmentId), tenantId);
  }

  put(doc: MailboxHealthDocument): Promise<void> {
    return replaceByKey(this.health, doc);
  }

  async delete(tenantId: string, enrichmentId: string): Promise<void> {
    await this.health.deleteOne({ _id: MailboxHealthStore.key(tenantId, enrichmentId) });
  }
}
