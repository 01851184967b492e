/**
 * What kind of failure a Graph (or token) error is, so that one handler can decide to retry,
 * reset a cursor, or fail. Pure: it looks only at the status, Graph's error code and, for MSAL,
 * the AADSTS code in the message.
 */
export type GraphErrorKind =
  | 'throttled'
  | 'auth'
  | 'consent-required'
  | 'forbidden'
  | 'not-found'
  | 'cursor-expired'
  | 'transient'
  | 'bad-request'
  | 'unknown';

export interface GraphErrorFacts {
  status?: number;
  /** Graph's `error.code` (e.g. `ApplicationThrottled`), or MSAL's `errorCode`. */
  code?: string;
  message?: string;
  /** Node network error codes such as ECONNRESET. */
  networkCode?: string;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
// AADSTS codes meaning "the app has no consent / service principal in that tenant".
const CONSENT_AADSTS = ['AADSTS700016', 'AADSTS7000229', 'AADSTS65001', 'AADSTS650052', 'AADSTS90094'];

export function classifyGraphError(f: GraphErrorFacts): GraphErrorKind {
  const code = (f.code ?? '').toLowerCase();
  const message = f.message ?? '';
  if (f.networkCode && NETWORK_CODES.has(f.networkCode)) return 'transient';
  if (CONSENT_AADSTS.some((c) => message.includes(c))) return 'consent-required';
  if (code === 'syncstatenotfound' || code === 'syncstateinvalid' || code === 'resyncrequired' || f.status === 410) return 'cursor-expired';
  if (f.status === 429 || code === 'applicationthrottled' || code === 'toomanyrequests') return 'throttled';
  if (f.status === 401 || code === 'invalidauthenticationtoken' || code === 'invalid_client' || code === 'invalid_grant') return 'auth';
  if (f.status === 403) return 'forbidden';
  if (f.status === 404 || code === 'erroritemnotfound' || code === 'request_resourcenotfound' || code === 'resourcenotfound') return 'not-found';
  if (f.status !== undefined && [500, 502, 503, 504].includes(f.status)) return 'transient';
  if (code === 'serviceunavailable' || code === 'generalexception' || code === 'timeout') return 'transient';
  if (f.status !== undefined && f.status >= 400 && f.status < 500) return 'bad-request';
  return 'unknown';
}

/** Pulls the facts out of whatever the Graph client or MSAL threw. */
export function graphErrorFacts(e: unknown): GraphErrorFacts {
  if (typeof e !== 'object' || e === null) return { message: String(e) };
  const o = e as Record<string, unknown>;
  const status = typeof o.statusCode === 'number' ? o.statusCode : typeof o.status === 'number' ? o.status : undefined;
  const code = typeof o.code === 'string' ? o.code : typeof o.errorCode === 'string' ? o.errorCode : undefined;
  const message = [o.message, o.errorMessage].filter((m): m is string => typeof m === 'string').join(' ');
  const cause = o.cause as Record<string, unknown> | undefined;
  const networkCode =
    typeof cause?.code === 'string' ? cause.code : code && /^E[A-Z]+$|^UND_ERR/.test(code) ? code : undefined;
  return { status: status && status > 0 ? status : undefined, code, message, networkCode };
}
