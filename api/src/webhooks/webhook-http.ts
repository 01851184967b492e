import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { PinnedTarget } from './address-guard';

/** What a receiver answered (its body only as far as MAX_BODY: we read a token, never a page). */
export interface ReceiverAnswer {
  status: number;
  contentType: string;
  body: string;
  durationMs: number;
}

/** A request that got no HTTP answer: timeout, refused connection, TLS failure. */
export class ReceiverUnreachable extends Error {
  constructor(
    message: string,
    readonly durationMs: number,
  ) {
    super(message);
  }
}

const MAX_BODY = 4096;

/**
 * One HTTPS POST to the pinned address: the TLS name and Host header are the URL's host (so the
 * certificate is checked against it) but the socket connects to the address the guard checked,
 * never resolving the name again. Redirects are not followed (a 3xx is an answer like any other),
 * and the whole exchange has one deadline.
 */
export function postToPinned(target: PinnedTarget, body: string, headers: Record<string, string>, timeoutMs: number): Promise<ReceiverAnswer> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
  const pinned: LookupFunction = (_host, options, callback) => {
    // Node asks for every address when it tries several families; either way only the checked one is given.
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  return new Promise((resolve, reject) => {
    const req = https.request(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        servername: target.url.hostname.replace(/^\[|\]$/g, ''),
        agent: false,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'account-engagement-webhook/1' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_BODY) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8'),
            durationMs: elapsed(),
          });
        });
        res.on('error', (e) => fail(e));
      },
    );
    const fail = (e: Error) => {
      clearTimeout(timer);
      reject(e instanceof ReceiverUnreachable ? e : new ReceiverUnreachable(describeNetworkError(e), elapsed()));
    };
    const timer = setTimeout(() => {
      req.destroy(new ReceiverUnreachable(`no answer within ${timeoutMs} ms`, elapsed()));
    }, timeoutMs);
    req.on('error', fail);
    req.end(body);
  });
}

/** A short, data-free description of a network failure for the delivery log. */
function describeNetworkError(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET') return 'connection reset';
  if (code === 'ETIMEDOUT') return 'connection timed out';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  if (code && /CERT|SSL|TLS/i.test(code)) return `TLS certificate not accepted (${code})`;
  return (code ? `${code}: ` : '') + e.message.slice(0, 160);
}
