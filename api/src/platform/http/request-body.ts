import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { AppError } from '../errors/app-error';

/**
 * A streamed request body as its sender meant it: decompressed when `Content-Encoding` says
 * gzip, deflate or br (the encodings the JSON parser accepts too), refused with 415 for any
 * other. A body that does not decode fails its reader with a zlib error, which the problem
 * middleware answers as a 400. The caller limits the decoded size (a small compressed body
 * can expand enormously).
 */
export function decodedBody(req: IncomingMessage): Readable {
  // A client that aborts mid-upload makes the request emit 'error'; the reader learns of it
  // through its own stream, and an unheard 'error' must not take the process down.
  if (req.listenerCount('error') === 0) req.on('error', () => undefined);
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder = (() => {
    switch (encoding) {
      case '':
      case 'identity':
        return null;
      case 'gzip':
      case 'x-gzip':
        return createGunzip();
      case 'deflate':
        return createInflate();
      case 'br':
        return createBrotliDecompress();
      default:
        throw new AppError('unsupported-media-type', `The body's Content-Encoding "${encoding.slice(0, 40)}" is not supported; send it uncompressed, or as gzip, deflate or br.`);
    }
  })();
  if (!decoder) return req;
  req.on('error', (e) => decoder.destroy(e));
  // Readers subscribe to the decoder's errors themselves; one arriving after a reader has given
  // up (zlib can report twice) must not be an uncaught 'error' event.
  decoder.on('error', () => undefined);
  return req.pipe(decoder);
}

/** Refuses a body whose announced length is already above the limit, before reading any of it. */
export function assertAnnouncedLength(req: IncomingMessage, maxBytes: number): void {
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > maxBytes) {
    throw new AppError('payload-too-large', `The file is larger than ${Math.floor(maxBytes / 1024 / 1024)} MB; split it or remove unused columns.`);
  }
}
