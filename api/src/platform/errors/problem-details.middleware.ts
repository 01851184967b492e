import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { AppError, isAppError } from './app-error';

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

/** Express's own body-parser errors carry a `type` and a `status`; map them to our codes. */
function fromFrameworkError(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { type?: string; status?: number; message?: string };
  switch (e.type) {
    case 'entity.parse.failed':
      return new AppError('validation', 'The request body is not valid JSON.', { cause: err });
    case 'entity.too.large':
      return new AppError('payload-too-large', 'The request body is larger than this endpoint accepts.', { cause: err });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported-media-type', 'The request body encoding is not supported; send UTF-8.', { cause: err });
    default:
      return undefined;
  }
}

/** The one place that turns errors into `application/problem+json`. */
export function problemDetailsMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const known = isAppError(err) ? err : fromFrameworkError(err);
    const error = known ?? new AppError('internal', 'Something went wrong on our side. Try again; if it keeps happening, contact your administrator.', { cause: err });
    if (error.status >= 500) {
      logger.error({ err: error.cause ?? error, code: error.code, route: req.route?.path }, 'request failed');
    } else {
      logger.debug({ code: error.code }, 'request refused');
    }
    sendProblem(res, error, req.originalUrl.split('?')[0]);
  };
}

/** Unknown `/api/...` routes get a problem document, not the tab's HTML. */
export const apiNotFound: RequestHandler = (req, res) => {
  sendProblem(res, new AppError('not-found', `There is no API endpoint ${req.method} ${req.originalUrl.split('?')[0]}.`), req.originalUrl.split('?')[0]);
};
