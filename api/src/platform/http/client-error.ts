import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError } from '../errors/app-error';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../errors/problem-details.middleware';

/**
 * Node's HTTP parser refuses some requests before Express sees them (a malformed request line
 * or header, headers above Node's 16 KiB limit, a request that takes longer than the server's
 * timeouts). Node would answer with an empty body; this answers with a problem document instead,
 * on the raw socket, and closes the connection (its state is unknown after a parse error).
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // The client is gone, or a response is already under way: nothing sensible can be written.
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const error = describe(err.code);
    const body = JSON.stringify(toProblem(error));
    socket.end(
      [
        `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}`,
        `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        'X-Content-Type-Options: nosniff',
        'Cache-Control: no-store',
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  });
}

function describe(code: string | undefined): AppError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new AppError('headers-too-large', 'The request line and headers are larger than the 16 KiB this server accepts; send fewer or shorter headers (long ids belong in the body).');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError('request-timeout', 'The request was not received completely in time; send it again.');
    default:
      return new AppError('validation', 'The request is not valid HTTP/1.1 (a malformed request line, header or chunked body).');
  }
}
