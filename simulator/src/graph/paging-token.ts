import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Stateless continuation tokens: the JSON state travels in the token, with a truncated HMAC
 * so clients cannot forge or edit it. Nothing is kept in memory between pages or rounds.
 */
export function encodeStateToken(secret: Buffer, state: object): string {
  const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
  const mac = createHmac('sha256', secret).update(payload).digest().subarray(0, 16).toString('base64url');
  return `${payload}.${mac}`;
}

export function decodeStateToken<T>(secret: Buffer, token: string): T | undefined {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const payload = token.slice(0, dot);
  const mac = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = createHmac('sha256', secret).update(payload).digest().subarray(0, 16);
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/** A short fingerprint of the query a token belongs to (so it is not replayed elsewhere). */
export function queryFingerprint(parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 12);
}
