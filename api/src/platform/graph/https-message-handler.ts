import https from 'node:https';
import zlib from 'node:zlib';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/**
 * The last link of the Graph client's middleware chain: sends the request with `node:https` and
 * hands the chain a standard `Response` holding the decompressed body. It stands in for the SDK's
 * `HTTPMessageHandler` (which calls `fetch`) because of what receiving a page costs: `fetch`
 * inflates a gzip body as a stream, one 16 KiB chunk at a time, each chunk a round trip between
 * libuv's thread pool and the event loop and a trip through web streams; Graph pages are
 * ≈600 KiB of JSON each, and that machinery cost the engine's worker more CPU than inflating
 * them. Here the compressed body (a tenth of the size) is gathered and inflated in one call.
 *
 * What `fetch` did and the chain relies on is kept: `Accept-Encoding` negotiated, redirects not
 * followed (the RedirectHandler does that), status, headers and body unchanged, an abort signal
 * honoured, and a dropped connection rejected as `fetch` rejects it (a TypeError whose `cause`
 * carries the network code, e.g. ECONNRESET), so that classifying failures does not change.
 * Requests this handler does not take (a `Request` object, a streamed body) go to `fetch`.
 */
export class HttpsMessageHandler implements Middleware {
  /** Keep-alive connections, as `fetch`'s own pool keeps them. */
  private readonly agent = new https.Agent({ keepAlive: true, scheduling: 'lifo' });

  async execute(context: Context): Promise<void> {
    const options = context.options ?? {};
    const body = options.body;
    if (typeof context.request !== 'string' || (body !== undefined && body !== null && typeof body !== 'string')) {
      context.response = await fetch(context.request, options);
      return;
    }
    context.response = await this.send(context.request, options, body ?? undefined);
  }

  private send(url: string, options: RequestInit, body: string | undefined): Promise<Response> {
    const headers = new Headers(options.headers);
    if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'gzip, deflate');
    if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
    const signal = options.signal ?? undefined;
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const failed = (e: unknown) => reject(new TypeError('fetch failed', { cause: e }));
      const request = https.request(url, { method: options.method ?? 'GET', headers: Object.fromEntries(headers), agent: this.agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', failed);
        res.on('aborted', () => failed(Object.assign(new Error('The connection closed before the response ended.'), { code: 'ECONNRESET' })));
        res.on('end', () => {
          if (!res.complete) return failed(Object.assign(new Error('The connection closed before the response ended.'), { code: 'ECONNRESET' }));
          try {
            const status = res.statusCode ?? 0;
            const encoding = (res.headers['content-encoding'] ?? '').toLowerCase();
            const out = new Headers();
            for (let i = 0; i < res.rawHeaders.length; i += 2) out.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
            let payload: Buffer | null = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
            if (encoding) {
              payload = decodeBody(payload, encoding);
              out.delete('content-encoding');
              out.delete('content-length');
            }
            // Statuses that carry no body must be built without one.
            if (status === 204 || status === 205 || status === 304) payload = null;
            resolve(new ReceivedResponse(payload, { status, statusText: res.statusMessage ?? '', headers: out }));
          } catch (e) {
            failed(e);
          }
        });
      });
      request.on('error', (e) => (signal?.aborted ? reject(signal.reason) : failed(e)));
      // fetch's own limit on waiting for a response or between two chunks of its body.
      request.setTimeout(300_000, () => request.destroy(Object.assign(new Error('No data from Microsoft Graph for 300 s.'), { code: 'ETIMEDOUT' })));
      request.end(body);
    });
  }
}

/**
 * A standard `Response` over the received bytes whose `json()` and `text()` decode those bytes
 * directly while its body stream is untouched: the stream, its reader and the web-streams
 * promise chain cost about a quarter of parsing a 600 KiB page (0.55 ms a page, measured against
 * `new Response(bytes).json()`), for bytes that are already whole in memory. Anything else
 * (`body`, `arrayBuffer`, `blob`, a second read) is the standard one.
 */
export class ReceivedResponse extends Response {
  readonly #bytes: Buffer | null;

  constructor(bytes: Buffer | null, init: ResponseInit) {
    // A stream that hands over the bytes only when read: given the bytes themselves, `Response`
    // copies them (undici slices the buffer), 0.5 ms and a second page-sized buffer per page that
    // `json()`, `text()` and `takeBytes()` never use. Those copies were much of the external memory
    // whose growth made V8 run a full collection every half second while mailboxes were read
    // (issue 13, `--trace-incremental-marking`: "external memory pressure").
    super(bytes && streamOf(bytes), init);
    this.#bytes = bytes;
  }

  #taken = false;

  /** The received bytes, once, while the body stream is untouched (null otherwise). */
  takeBytes(): Buffer | null {
    if (this.bodyUsed || this.#taken) return null;
    this.#taken = true;
    return this.#bytes ?? Buffer.alloc(0);
  }

  override text(): Promise<string> {
    if (this.bodyUsed || !this.#bytes) return super.text();
    return Promise.resolve(utf8Text(this.#bytes));
  }

  override json(): Promise<any> {
    if (this.bodyUsed || !this.#bytes) return super.json();
    try {
      return Promise.resolve(JSON.parse(utf8Text(this.#bytes)));
    } catch (e) {
      return Promise.reject(e);
    }
  }
}

/**
 * A response's body as bytes: a received one's own bytes (no copy, its stream untouched), any
 * other's read through `arrayBuffer()`. The body counts as used either way.
 */
export async function responseBytes(response: Response): Promise<Buffer> {
  if (response instanceof ReceivedResponse) return response.takeBytes() ?? Buffer.from(await response.arrayBuffer());
  return Buffer.from(await response.arrayBuffer());
}

/** A body stream that yields `bytes` (not copied) when it is read. */
function streamOf(bytes: Buffer): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length));
      controller.close();
    },
  });
}

/** UTF-8 as the Fetch standard decodes a body: a leading byte order mark is dropped. */
function utf8Text(bytes: Buffer): string {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return bytes.toString('utf8', bom ? 3 : 0);
}

/** Output buffer of the one-call inflate: a Graph page is hundreds of kilobytes of JSON. */
const INFLATE_CHUNK = 1024 * 1024;
/** Trust a gzip trailer's size up to this; beyond it (or below zlib's minimum) take INFLATE_CHUNK. */
const SIZED_INFLATE_MAX = 64 * 1024 * 1024;

/**
 * The output buffer for inflating a gzip body: one byte more than the size its trailer states
 * (ISIZE, the last four bytes), so the page is inflated into a buffer of its own size in one call.
 * With a fixed 1 MiB buffer, every page kept a whole mebibyte alive (it is a slice of that buffer)
 * until collected: external memory that triggered V8's full collections (issue 13). The trailer
 * only sizes the buffer: when it is wrong (several members, a body over 4 GiB), zlib goes on into
 * further buffers and the result is the same.
 */
export function gzipInflateChunk(body: Buffer): number {
  if (body.length < 18) return INFLATE_CHUNK;
  const stated = body.readUInt32LE(body.length - 4);
  return stated + 1 >= zlib.constants.Z_MIN_CHUNK && stated < SIZED_INFLATE_MAX ? stated + 1 : INFLATE_CHUNK;
}

/** A received body as its `Content-Encoding` says to decode it. */
export function decodeBody(body: Buffer, encoding: string): Buffer {
  if (body.length === 0) return body;
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(body, { chunkSize: gzipInflateChunk(body) });
    case 'deflate':
      return zlib.inflateSync(body, { chunkSize: INFLATE_CHUNK });
    case 'br':
      return zlib.brotliDecompressSync(body, { chunkSize: INFLATE_CHUNK });
    case 'identity':
      return body;
    default:
      throw new Error(`Unsupported content encoding "${encoding}".`);
  }
}
