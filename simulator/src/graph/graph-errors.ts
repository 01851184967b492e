/** A Graph error: turned into `{"error":{"code","message","innerError":{…}}}` with its status. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function graphErrorBody(code: string, message: string, requestId: string, clientRequestId: string) {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': requestId,
        'client-request-id': clientRequestId,
      },
    },
  };
}

export const accessDeniedOutlook = () => new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
export const accessDeniedDirectory = () => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
export const badRequest = (message: string, code = 'BadRequest') => new GraphError(400, code, message);
