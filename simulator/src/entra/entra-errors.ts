import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';

/** Entra's timestamp format in error bodies: `2025-01-31 10:00:00Z`. */
function entraTimestamp(d = new Date()): string {
  return d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
}

export function entraErrorBody(error: string, code: number, message: string, correlationId: string, suberror?: string): EntraErrorBody {
  const timestamp = entraTimestamp();
  const traceId = randomUUID();
  return {
    error,
    error_description: `AADSTS${code}: ${message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    ...(suberror ? { suberror } : {}),
  };
}

/** The correlation id a client sent (MSAL sends `client-request-id`), or a fresh one. */
export function correlationIdOf(req: Request): string {
  const sent = req.get('client-request-id');
  return sent && /^[0-9a-fA-F-]{8,64}$/.test(sent) ? sent : randomUUID();
}

export function sendEntraError(
  req: Request,
  res: Response,
  status: number,
  error: string,
  code: number,
  message: string,
  suberror?: string,
): void {
  const correlationId = correlationIdOf(req);
  res.status(status).set('client-request-id', correlationId).set('x-ms-request-id', randomUUID()).json(entraErrorBody(error, code, message, correlationId, suberror));
}

/** Thrown inside token handlers; the router turns it into an Entra error response. */
export class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    message: string,
    readonly suberror?: string,
  ) {
    super(message);
  }
}
