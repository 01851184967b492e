import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * How a notification proves where it comes from: `X-Engagement-Signature: t=<unix seconds>,v1=<hex>`
 * where the hex is HMAC-SHA256, keyed with the webhook's secret, over `<t>.<raw body>`. A
 * receiver recomputes it over the bytes it received, compares in constant time, and refuses a
 * timestamp older than a few minutes (and a delivery id it has seen) so a captured request
 * cannot be replayed. The timestamp is inside the signed text, so it cannot be moved.
 */
export const SIGNATURE_HEADER = 'x-engagement-signature';
export const DELIVERY_HEADER = 'x-engagement-delivery';
export const EVENT_HEADER = 'x-engagement-event';

export function signatureHeader(secret: string, rawBody: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** A new signing secret, shown to the admin once (`whsec_` + 32 random bytes, base64url). */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * Signing secrets are kept encrypted (AES-256-GCM under WEBHOOK_SECRET_KEY): a copy of the
 * database alone does not let anyone sign notifications. The API decrypts one only to sign.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(keyMaterial: string) {
    this.key = createHash('sha256').update(keyMaterial).digest();
  }

  seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [v, iv, tag, data] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed webhook secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
