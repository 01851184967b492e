import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { EnrichmentsStore } from '../enrichments/enrichments.store';
import type { Resolver } from './address-guard';
import { WebhooksService, type WebhookOptions } from './webhooks.service';
import { WebhooksStore } from './webhooks.store';

/** The webhooks service over its stores: the API (configuration, log) and workers (delivery) build it alike. */
export function webhooksServiceFrom(db: Db, options: WebhookOptions, logger: Logger, resolve?: Resolver): WebhooksService {
  return new WebhooksService(new WebhooksStore(db), new EnrichmentsStore(db), options, logger, resolve);
}
