/** Every failure the API reports on purpose, with the HTTP status it maps to. */
export const ERROR_STATUS = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'consent-required': 403,
  'not-found': 404,
  'method-not-allowed': 405,
  'request-timeout': 408,
  conflict: 409,
  /** A paging cursor whose run is no longer kept: start paging again from the first page. */
  'cursor-expired': 410,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'headers-too-large': 431,
  'graph-throttled': 503,
  'graph-unavailable': 502,
  'not-ready': 503,
  internal: 500,
} as const;

export type AppErrorCode = keyof typeof ERROR_STATUS;

const TITLES: Record<AppErrorCode, string> = {
  validation: 'The request is not valid',
  unauthenticated: 'Sign-in required',
  forbidden: 'Not allowed',
  'consent-required': 'Tenant admin consent required',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  'request-timeout': 'Request timeout',
  conflict: 'Conflict',
  'cursor-expired': 'The cursor\'s result is no longer kept',
  'payload-too-large': 'Request too large',
  'unsupported-media-type': 'Unsupported media type',
  'headers-too-large': 'Request headers too large',
  'graph-throttled': 'Microsoft Graph is throttling requests',
  'graph-unavailable': 'Microsoft Graph could not be reached',
  'not-ready': 'Service not ready',
  internal: 'Unexpected error',
};

export interface ProblemField {
  path: string;
  message: string;
}

/**
 * A typed, expected failure. `detail` is shown to the user, so it says what went wrong and
 * how to fix it, without secrets or personal data.
 */
export class AppError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: AppErrorCode,
    readonly detail: string,
    options: { cause?: unknown; fields?: ProblemField[]; retryAfterSeconds?: number } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
    this.title = TITLES[code];
    this.fields = options.fields;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  readonly fields: ProblemField[] | undefined;
  readonly retryAfterSeconds: number | undefined;
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
