import pino, { type Logger } from 'pino';

/**
 * Structured logs without personal data: request logs carry method, route and status only
 * (no query strings, which may hold search terms or addresses), and anything that looks like
 * a credential is redacted.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'account-engagement-api' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.accessToken',
          '*.clientSecret',
          '*.assertion',
          '*.password',
          '*.email',
          '*.mail',
          '*.userPrincipalName',
        ],
        censor: '[redacted]',
      },
      serializers: { err: serializeError },
    },
    destination,
  );
}

/** Errors from Graph or MSAL can quote a user's address; keep the shape, mask the addresses. */
function serializeError(err: unknown): unknown {
  const s = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (typeof s.message === 'string') s.message = maskEmails(s.message);
  if (typeof s.stack === 'string') s.stack = maskEmails(s.stack);
  return s;
}

const EMAIL_PATTERN = /[^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>]+/g;

/** Masks email addresses inside free text before it reaches a log line. */
export function maskEmails(text: string): string {
  return text.replace(EMAIL_PATTERN, '[email]');
}
