import type { RequestHandler } from 'express';

/**
 * The hosts that may frame the tab: Teams, Outlook and the Microsoft 365 app, as Microsoft's
 * tab requirements list them (`*.cloud.microsoft` is where all three are moving).
 */
export const MICROSOFT_365_FRAME_ANCESTORS = [
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook-sdf.office.com',
  'https://outlook-sdf.office365.com',
] as const;

/**
 * The tab's policy: its own scripts only (no inline script, no eval), inline styles (Fluent's
 * Griffel injects them at run time), its own API, and framing by the Microsoft 365 hosts plus,
 * outside production, the configured test host origins (TEAMS_HOST_ORIGINS, which a production
 * configuration refuses).
 */
export function tabContentSecurityPolicy(extraFrameAncestors: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${[...MICROSOFT_365_FRAME_ANCESTORS, ...extraFrameAncestors].join(' ')}`,
  ].join('; ');
}

/** API responses are data: nothing in them may run, load or be framed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * Headers every response carries: no MIME sniffing anywhere, and a Content-Security-Policy (the
 * tab's for pages and assets, a closed one for the API). Routes may set a stricter policy.
 */
export function securityHeaders(options: { teamsHostOrigins: readonly string[] }): RequestHandler {
  const tabPolicy = tabContentSecurityPolicy(options.teamsHostOrigins);
  return (req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', isApiPath(req.path) ? API_CONTENT_SECURITY_POLICY : tabPolicy);
    next();
  };
}

/** Authenticated API answers are personal and current: no cache (browser, proxy) may keep them. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}
