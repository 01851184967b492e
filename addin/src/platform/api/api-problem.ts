/**
 * An error reported by the API as `application/problem+json` (RFC 9457), or synthesised by
 * the client when the service could not be reached or answered with something unreadable.
 */
export class ApiProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly code?: string;

  constructor(init: { status: number; title: string; detail: string; code?: string }) {
    super(`${init.status} ${init.title}: ${init.detail}`);
    this.name = 'ApiProblem';
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    if (init.code !== undefined) this.code = init.code;
  }
}

/** Codes the client itself uses for failures that never got a problem document. */
export const clientProblemCodes = {
  network: 'network-error',
  unexpected: 'unexpected-response',
  aborted: 'aborted',
} as const;

export function isApiProblem(value: unknown): value is ApiProblem {
  return value instanceof ApiProblem;
}

function isProblemContentType(contentType: string | null): boolean {
  return !!contentType && /^application\/(problem\+)?json\b/i.test(contentType.trim());
}

/**
 * Turn a failed response into an ApiProblem. A problem document's fields win; anything
 * missing is filled from the HTTP status so the UI always has a title and a detail.
 */
export async function problemFromResponse(response: Response): Promise<ApiProblem> {
  let body: unknown = null;
  if (isProblemContentType(response.headers.get('content-type'))) {
    try {
      body = await response.json();
    } catch {
      body = null;
    }
  }
  const doc = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  const status = typeof doc.status === 'number' ? doc.status : response.status;
  const title = str(doc.title) ?? (response.statusText || `HTTP ${response.status}`);
  const code = str(doc.code);
  return new ApiProblem({
    status,
    title,
    detail: str(doc.detail) ?? title,
    ...(code !== undefined ? { code } : {}),
  });
}
