/**
 * Example: the receiving end of the `results.published` webhook, typed by the generated
 * `engagement-api.d.ts`. It is type-checked with the repository and the API tests verify real
 * deliveries with `verifyEngagementSignature` below; copy it and adapt.
 *
 * 1. Validation: when the admin registers your URL, the API POSTs to it once with
 *    `?validationToken=…`; answer 200 with exactly that token as text/plain (within 10 s).
 * 2. Notifications: verify the signature over the raw body BEFORE parsing or trusting it, refuse
 *    old timestamps and delivery ids already handled (a retry carries the same id), answer 2xx
 *    quickly, then fetch the results with an app-only token (see app-only-client.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { webhooks } from './engagement-api';

export type ResultsPublished = webhooks['results.published']['post']['requestBody']['content']['application/json'];

/** How old a signed timestamp may be (and how far in the future, for clock skew). */
const TOLERANCE_SECONDS = 300;

/**
 * Checks `X-Engagement-Signature: t=<unix seconds>,v1=<hex>`: v1 must be HMAC-SHA256(secret,
 * `<t>.<raw body>`), compared in constant time, and t within the tolerance of now.
 */
export function verifyEngagementSignature(rawBody: string, header: string | undefined, secret: string, now = Date.now()): boolean {
  const fields = new Map((header ?? '').split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const t = fields.get('t');
  const v1 = fields.get('v1');
  if (!t || !v1 || !/^\d+$/.test(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(now / 1000 - Number(t)) > TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

/** A node:http handler: `http.createServer(engagementWebhookHandler(secret, onPublished))` behind your HTTPS front end. */
export function engagementWebhookHandler(secret: string, onPublished: (event: ResultsPublished) => void) {
  // Delivery ids already handled (keep them for longer than the tolerance; a database in production).
  const seen = new Set<string>();
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const token = new URL(req.url ?? '/', 'https://receiver.invalid').searchParams.get('validationToken');
      if (token !== null) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['x-engagement-signature'];
      if (!verifyEngagementSignature(raw, typeof signature === 'string' ? signature : undefined, secret)) {
        res.writeHead(401).end();
        return;
      }
      const event = JSON.parse(raw) as ResultsPublished;
      if (!seen.has(event.id)) {
        seen.add(event.id);
        onPublished(event);
      }
      res.writeHead(204).end();
    });
  };
}
