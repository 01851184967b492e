import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { EnrichmentsStore } from '../enrichments/enrichments.store';
import type { AppConfig } from '../platform/config/config';
import type { Principal } from '../platform/auth/principal';
import { AppError } from '../platform/errors/app-error';
import { pinWebhookTarget, UnsafeWebhookUrl, type AddressPolicy, type PinnedTarget, type Resolver } from './address-guard';
import { postToPinned, ReceiverUnreachable, type ReceiverAnswer } from './webhook-http';
import { DELIVERY_HEADER, EVENT_HEADER, newSigningSecret, SecretBox, SIGNATURE_HEADER, signatureHeader } from './webhook-signature';
import type { DeliveryView, PublishedPayload, WebhookView } from './webhooks.schema';
import { webhookKey, type WebhookDocument, type WebhooksStore } from './webhooks.store';

export interface WebhookOptions extends AddressPolicy {
  /** How long a receiver has to answer the validation request and each delivery. */
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  secretKey: string;
  /** The API's public URL: the payload links to the results there. */
  publicUrl: string;
}

export function webhookOptionsFrom(config: AppConfig): WebhookOptions {
  return { ...config.webhooks, publicUrl: config.http.publicUrl };
}

/** What a delivery job carries: everything the payload says, so a delivery reads no run. */
export interface DeliveryRequest {
  tenantId: string;
  enrichmentId: string;
  runId: string;
  asOf: string;
  publishedAt: string;
  counts: PublishedPayload['counts'];
}

/** The delivery log the admin sees: the last attempts. */
export const DELIVERIES_SHOWN = 20;

/** The same id for every attempt of one notification (receivers deduplicate on it). */
export function deliveryIdOf(r: Pick<DeliveryRequest, 'tenantId' | 'enrichmentId' | 'runId'>): string {
  return `dlv_${createHash('sha256').update(`${r.tenantId}\u0000${r.enrichmentId}\u0000${r.runId}`).digest('base64url').slice(0, 24)}`;
}

function toView(w: WebhookDocument): WebhookView {
  return {
    enrichmentId: w.enrichmentId,
    url: w.url,
    events: ['results.published'],
    validatedAt: w.validatedAt.toISOString(),
    createdAt: w.createdAt.toISOString(),
    createdBy: w.createdBy,
    secretHint: w.secretHint,
  };
}

/** A refused URL, as the route answers it: 400 naming body.url. */
function refuseUrl(detail: string): AppError {
  return new AppError('validation', detail, { fields: [{ path: 'body.url', message: detail }] });
}

/**
 * Webhooks on publish: an admin registers one HTTPS receiver per enrichment, verified once by a
 * validation handshake (as Microsoft Graph verifies a subscription's notification URL); every
 * publish of that enrichment then POSTs a signed notification to it, retried with backoff.
 */
export class WebhooksService {
  private readonly box: SecretBox;

  constructor(
    private readonly store: WebhooksStore,
    private readonly enrichments: Pick<EnrichmentsStore, 'get'>,
    private readonly options: WebhookOptions,
    private readonly logger: Logger,
    private readonly resolve?: Resolver,
  ) {
    this.box = new SecretBox(options.secretKey);
  }

  private async requireEnrichment(tenantId: string, enrichmentId: string) {
    const e = await this.enrichments.get(tenantId, enrichmentId);
    if (!e) throw new AppError('not-found', 'This enrichment does not exist (it may have been deleted); open it again from the Enrichments page.');
    return e;
  }

  async get(tenantId: string, enrichmentId: string): Promise<{ webhook: WebhookView | null }> {
    await this.requireEnrichment(tenantId, enrichmentId);
    const w = await this.store.get(tenantId, enrichmentId);
    return { webhook: w ? toView(w) : null };
  }

  /**
   * Registers (or replaces) the enrichment's webhook: the URL is checked and validated first, and
   * nothing is stored unless the receiver echoed the token. The new signing secret is returned
   * this once.
   */
  async register(p: Principal, enrichmentId: string, url: string): Promise<{ webhook: WebhookView; secret: string }> {
    await this.requireEnrichment(p.tenantId, enrichmentId);
    const target = await this.pin(url);
    await this.validateReceiver(target);
    const secret = newSigningSecret();
    const now = new Date();
    const doc: WebhookDocument = {
      _id: webhookKey(p.tenantId, enrichmentId),
      tenantId: p.tenantId,
      enrichmentId,
      url: target.url.toString(),
      sealedSecret: this.box.seal(secret),
      secretHint: secret.slice(-4),
      validatedAt: now,
      createdAt: now,
      createdBy: p.userId,
    };
    await this.store.put(doc);
    this.logger.info({ enrichmentId, host: target.url.hostname }, 'webhook registered');
    return { webhook: toView(doc), secret };
  }

  async remove(tenantId: string, enrichmentId: string): Promise<void> {
    await this.requireEnrichment(tenantId, enrichmentId);
    if (!(await this.store.remove(tenantId, enrichmentId))) throw new AppError('not-found', 'This enrichment has no webhook.');
  }

  async deliveries(tenantId: string, enrichmentId: string): Promise<{ items: DeliveryView[] }> {
    await this.requireEnrichment(tenantId, enrichmentId);
    const attempts = await this.store.lastAttempts(tenantId, enrichmentId, DELIVERIES_SHOWN);
    return {
      items: attempts.map((a) => ({
        deliveryId: a.deliveryId,
        runId: a.runId,
        attempt: a.attempt,
        at: a.at.toISOString(),
        outcome: a.outcome,
        willRetry: a.willRetry,
        statusCode: a.statusCode,
        error: a.error,
        durationMs: a.durationMs,
      })),
    };
  }

  /** Whether a publish of this enrichment has anywhere to go (read by key). */
  async hasWebhook(tenantId: string, enrichmentId: string): Promise<boolean> {
    return (await this.store.get(tenantId, enrichmentId)) !== null;
  }

  private async pin(url: string): Promise<PinnedTarget> {
    try {
      return await pinWebhookTarget(url, this.options, this.resolve);
    } catch (e) {
      if (e instanceof UnsafeWebhookUrl) throw refuseUrl(e.message);
      throw e;
    }
  }

  /**
   * The handshake: a POST to the URL with `?validationToken=<random>`; the receiver proves it
   * is listening and meant to receive these by answering 200 with exactly the token as
   * text/plain within the timeout.
   */
  private async validateReceiver(target: PinnedTarget): Promise<void> {
    const token = randomBytes(24).toString('base64url');
    const probe = new URL(target.url);
    probe.searchParams.set('validationToken', token);
    const seconds = `${Math.round(this.options.timeoutMs / 100) / 10} s`;
    const rule = `It must answer 200 with the validationToken query parameter echoed as the text/plain body within ${seconds}.`;
    let answer: ReceiverAnswer;
    try {
      answer = await postToPinned({ ...target, url: probe }, '', { 'content-type': 'text/plain; charset=utf-8', [EVENT_HEADER]: 'validation' }, this.options.timeoutMs);
    } catch (e) {
      if (e instanceof ReceiverUnreachable) throw refuseUrl(`The receiver could not be validated: ${e.message}. ${rule}`);
      throw e;
    }
    if (answer.status !== 200) throw refuseUrl(`The receiver answered ${answer.status} to the validation request. ${rule}`);
    if (!/^text\/plain\b/i.test(answer.contentType)) throw refuseUrl(`The receiver answered with ${answer.contentType || 'no Content-Type'} instead of text/plain. ${rule}`);
    if (answer.body.trim() !== token) throw refuseUrl(`The receiver did not echo the validation token. ${rule}`);
  }

  /**
   * One delivery attempt (`attempt` from 1; `last` when no retry follows): POSTs the signed
   * payload to the current registration and records the attempt. Whether it was delivered
   * (true, too, when the webhook or the enrichment is gone: nothing is left to do).
   */
  async deliver(r: DeliveryRequest, attempt: number, last: boolean): Promise<boolean> {
    const [webhook, enrichment] = await Promise.all([this.store.get(r.tenantId, r.enrichmentId), this.enrichments.get(r.tenantId, r.enrichmentId)]);
    if (!webhook || !enrichment) return true;
    const deliveryId = deliveryIdOf(r);
    const base = `${this.options.publicUrl}/api/enrichments/${encodeURIComponent(r.enrichmentId)}`;
    const payload: PublishedPayload = {
      type: 'results.published',
      id: deliveryId,
      tenantId: r.tenantId,
      enrichmentId: r.enrichmentId,
      enrichmentName: enrichment.name,
      runId: r.runId,
      asOf: r.asOf,
      publishedAt: r.publishedAt,
      counts: r.counts,
      links: { results: `${base}/results`, rows: `${base}/results/rows` },
    };
    const body = JSON.stringify(payload);
    const at = new Date();
    let outcome: { statusCode: number | null; error: string | null; durationMs: number };
    try {
      // Checked again on every attempt: what the name resolves to may have changed since registration.
      const target = await this.pin(webhook.url);
      const secret = this.box.open(webhook.sealedSecret);
      const answer = await postToPinned(
        target,
        body,
        { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureHeader(secret, body, at), [DELIVERY_HEADER]: deliveryId, [EVENT_HEADER]: 'results.published' },
        this.options.timeoutMs,
      );
      const ok = answer.status >= 200 && answer.status < 300;
      outcome = { statusCode: answer.status, error: ok ? null : `the receiver answered ${answer.status}`, durationMs: answer.durationMs };
    } catch (e) {
      if (e instanceof ReceiverUnreachable) outcome = { statusCode: null, error: e.message, durationMs: e.durationMs };
      else if (e instanceof AppError) outcome = { statusCode: null, error: e.detail, durationMs: 0 };
      else throw e;
    }
    const delivered = outcome.error === null;
    await this.store.record({ tenantId: r.tenantId, enrichmentId: r.enrichmentId, deliveryId, runId: r.runId, attempt, at, outcome: delivered ? 'delivered' : 'failed', willRetry: !delivered && !last, ...outcome });
    // Host only: a URL's path or query may carry a receiver's key.
    this.logger.info({ enrichmentId: r.enrichmentId, runId: r.runId, attempt, statusCode: outcome.statusCode, delivered, host: new URL(webhook.url).hostname }, 'webhook delivery');
    return delivered;
  }
}
