import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { tooDeeplyNested } from '../http/input-nesting';
import { TOO_DEEP_TYPE } from '../http/json-body';
import { AppError, isAppError, type AppErrorCode } from './app-error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: Array<{ path: string; message: string }>;
}

export function toProblem(error: AppError, instance?: string): ProblemDocument {
  return {
    type: `/problems/${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.detail,
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(error.fields?.length ? { errors: error.fields } : {}),
  };
}

export function sendProblem(res: Response, error: AppError, instance?: string): void {
  if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.ceil(error.retryAfterSeconds)));
  res.status(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(toProblem(error, instance)));
}

const BY_STATUS: Partial<Record<number, AppErrorCode>> = {
  400: 'validation',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  408: 'request-timeout',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  431: 'headers-too-large',
};

/**
 * Errors raised by Express, its router and body parser (http-errors with a 4xx `status`, the
 * router's URIError for a path parameter it cannot decode, zlib's for a body that does not match
 * its Content-Encoding) are the client's mistakes: each becomes a 4xx problem naming it.
 */
export function fromFrameworkError(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { type?: string; status?: number; statusCode?: number; code?: unknown; message?: string };
  switch (e.type) {
    case 'entity.parse.failed':
      return new AppError('validation', 'The request body is not valid JSON.', { cause: err });
    case 'entity.too.large':
      return new AppError('payload-too-large', 'The request body is larger than this endpoint accepts.', { cause: err });
    case 'encoding.unsupported':
      return new AppError('unsupported-media-type', 'The request body\'s Content-Encoding is not supported; send it uncompressed, or as gzip, deflate or br.', { cause: err });
    case 'charset.unsupported':
      return new AppError('unsupported-media-type', 'The request body encoding is not supported; send UTF-8.', { cause: err });
    case TOO_DEEP_TYPE:
      return tooDeeplyNested('body');
    case 'request.aborted':
      return new AppError('validation', 'The request body ended before its announced length.', { cause: err });
    case 'request.size.invalid':
      return new AppError('validation', 'The request body does not have the length its Content-Length header announces.', { cause: err });
    default:
      break;
  }
  if (err instanceof URIError) {
    return new AppError('validation', 'The URL has malformed percent-encoding: every % must be followed by two hexadecimal digits that form valid UTF-8.', { cause: err });
  }
  if (isDecompressionError(err)) return undecodableBody(err);
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = BY_STATUS[status] ?? 'validation';
    return new AppError(code, 'The request cannot be processed as sent.', { cause: err });
  }
  return undefined;
}

/** zlib's errors carry codes such as Z_DATA_ERROR or Z_BUF_ERROR (brotli: ERR__…). */
export function isDecompressionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(Z_|ERR__|ERR_ZLIB|ERR_BROTLI|ERR_ZSTD)/.test(code);
}

export function undecodableBody(cause: unknown): AppError {
  return new AppError('validation', 'The request body cannot be decoded as its Content-Encoding header says; send it uncompressed or compressed as declared.', { cause });
}

/** The route pattern a request matched (set by defineRoute), never its raw path: paths carry ids and search terms. */
export function routeOf(res: Response): string | null {
  const route = (res.locals as { route?: unknown }).route;
  return typeof route === 'string' ? route : null;
}

/** The one place that turns errors into `application/problem+json`. */
export function problemDetailsMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const known = isAppError(err) ? err : fromFrameworkError(err);
    const error = known ?? new AppError('internal', 'Something went wrong on our side. Try again; if it keeps happening, contact your administrator.', { cause: err });
    if (error.status >= 500) {
      logger.error({ err: error.cause ?? error, code: error.code, route: routeOf(res) }, 'request failed');
    } else {
      logger.debug({ code: error.code }, 'request refused');
    }
    sendProblem(res, error, req.originalUrl.split('?')[0]);
  };
}

/**
 * Requests no route answered: a known path with another method is 405 with `Allow`, anything
 * else 404; both as problem documents (never Express's HTML page, never the tab for /api).
 */
export function unmatchedRoute(methodsAt: (path: string) => string[]): RequestHandler {
  return (req, res) => {
    const path = req.originalUrl.split('?')[0]!;
    const methods = methodsAt(req.path).map((m) => m.toUpperCase());
    if (methods.length) {
      const allowed = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
      res.setHeader('Allow', allowed.join(', '));
      sendProblem(res, new AppError('method-not-allowed', `${path} does not accept ${req.method}; it accepts ${allowed.join(', ')}.`), path);
      return;
    }
    const what = path === '/api' || path.startsWith('/api/') ? 'API endpoint' : 'page';
    sendProblem(res, new AppError('not-found', `There is no ${what} ${req.method} ${path}.`), path);
  };
}
