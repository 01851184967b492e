import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ensureSimulatorCertificate } from '../../simulator/src/tls/certificate';

/** One request the receiver got, as it arrived on the wire. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  receivedAt: number;
}

/**
 * How the receiver answers: `echo` validates and accepts deliveries, `no-echo` answers the
 * validation request 200 with something else, `fail` answers deliveries 500, `fail-once` answers
 * the next delivery 500 and the following ones 200.
 */
export type ReceiverMode = 'echo' | 'no-echo' | 'fail' | 'fail-once';

export interface WebhookReceiver {
  /** https://localhost:<port>/hooks/engagement */
  url: string;
  port: number;
  received: ReceivedRequest[];
  mode: ReceiverMode;
  /** Deliveries only (not validation requests). */
  deliveries(): ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTPS receiver on this machine, with the simulator's self-signed certificate (trusted by
 * the test process through NODE_EXTRA_CA_CERTS, like the simulator itself): what a customer's
 * endpoint does, over TLS, without any mock of the API's HTTP client.
 */
export async function startWebhookReceiver(mode: ReceiverMode = 'echo'): Promise<WebhookReceiver> {
  const stateDir = process.env.SIM_STATE_DIR;
  if (!stateDir) throw new Error('SIM_STATE_DIR is not set: run the tests with `npm test`.');
  const cert = await ensureSimulatorCertificate(path.join(path.resolve(stateDir), 'tls'));
  const received: ReceivedRequest[] = [];
  const receiver = {} as WebhookReceiver;
  const server: Server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://localhost');
      const r: ReceivedRequest = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() };
      received.push(r);
      const token = url.searchParams.get('validationToken');
      if (token !== null) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(receiver.mode === 'no-echo' ? 'ok' : token);
        return;
      }
      if (receiver.mode === 'fail' || receiver.mode === 'fail-once') {
        if (receiver.mode === 'fail-once') receiver.mode = 'echo';
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('receiver failure');
        return;
      }
      res.writeHead(202);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(receiver, {
    url: `https://localhost:${port}/hooks/engagement`,
    port,
    received,
    mode,
    deliveries: () => received.filter((r) => !r.query.has('validationToken')),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return receiver;
}
