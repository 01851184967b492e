import type { DeliveryView, WebhookView } from '../../../../api/src/webhooks/webhooks.schema';
import type { ApiClient } from './api-client';

export type Webhook = WebhookView;
export type WebhookDelivery = DeliveryView;

/** Typed calls for an enrichment's webhook on publish (admin only); shapes from the API's zod schemas. */
export interface WebhooksApi {
  get(enrichmentId: string, signal?: AbortSignal): Promise<{ webhook: Webhook | null }>;
  register(enrichmentId: string, url: string): Promise<{ webhook: Webhook; secret: string }>;
  remove(enrichmentId: string): Promise<void>;
  deliveries(enrichmentId: string, signal?: AbortSignal): Promise<{ items: WebhookDelivery[] }>;
}

export function createWebhooksApi(api: ApiClient): WebhooksApi {
  const r = api.request;
  const base = (id: string) => `/api/enrichments/${encodeURIComponent(id)}/webhook`;
  return {
    get: (id, signal) => r(base(id), signal ? { signal } : {}),
    register: (id, url) => r(base(id), { method: 'PUT', body: { url } }),
    remove: (id) => r(base(id), { method: 'DELETE' }),
    deliveries: (id, signal) => r(`${base(id)}/deliveries`, signal ? { signal } : {}),
  };
}
