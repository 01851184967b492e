import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The admin-consent `state`: which tenant and enrichment a consent redirect is about, a nonce
 * that makes it single-use, and an expiry, signed with HMAC-SHA256 so it cannot be forged.
 * Format: base64url(JSON payload) "." base64url(signature).
 */

export interface ConsentStatePayload {
  tenantId: string;
  enrichmentId: string;
  nonce: string;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
}

export const CONSENT_STATE_TTL_SECONDS = 7 * 24 * 3600;

const sign = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest();

export function createConsentState(secret: string, tenantId: string, enrichmentId: string, now: Date, ttlSeconds = CONSENT_STATE_TTL_SECONDS): { state: string; payload: ConsentStatePayload } {
  const payload: ConsentStatePayload = {
    tenantId,
    enrichmentId,
    nonce: randomBytes(16).toString('base64url'),
    expiresAt: Math.floor(now.getTime() / 1000) + ttlSeconds,
  };
  const body = Buffer.from(JSON.stringify({ t: payload.tenantId, e: payload.enrichmentId, n: payload.nonce, x: payload.expiresAt })).toString('base64url');
  return { state: `${body}.${sign(secret, body).toString('base64url')}`, payload };
}

export type StateCheck = { ok: true; payload: ConsentStatePayload } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export function verifyConsentState(secret: string, state: string | undefined, now: Date): StateCheck {
  if (!state || state.length > 1024) return { ok: false, reason: 'malformed' };
  const parts = state.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
  const [body, sig] = parts as [string, string];
  const expected = sign(secret, body);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  let raw: { t?: unknown; e?: unknown; n?: unknown; x?: unknown };
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof raw.t !== 'string' || typeof raw.e !== 'string' || typeof raw.n !== 'string' || typeof raw.x !== 'number') return { ok: false, reason: 'malformed' };
  if (raw.x * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, payload: { tenantId: raw.t, enrichmentId: raw.e, nonce: raw.n, expiresAt: raw.x } };
}

/** The v2 admin consent URL for the app in one tenant, carrying a signed state. */
export function adminConsentLink(opts: { authorityHost: string; tenantId: string; clientId: string; publicUrl: string; state: string }): string {
  const url = new URL(`${opts.authorityHost}/${encodeURIComponent(opts.tenantId)}/v2.0/adminconsent`);
  url.searchParams.set('client_id', opts.clientId);
  url.searchParams.set('scope', 'https://graph.microsoft.com/.default');
  url.searchParams.set('redirect_uri', consentRedirectUri(opts.publicUrl));
  url.searchParams.set('state', opts.state);
  return url.toString();
}

export function consentRedirectUri(publicUrl: string): string {
  return `${publicUrl}/api/consent/callback`;
}
