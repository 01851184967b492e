import express, { type NextFunction, type Request, type Response } from 'express';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import path from 'node:path';
import { createControlRouter } from './control/control-router';
import { createEntraRouter } from './entra/entra-router';
import { DEFAULT_FAULTS, FaultInjector, type FaultConfig } from './graph/fault-injector';
import { createGraphRouter } from './graph/graph-router';
import { PageStore } from './graph/page-store';
import { DEFAULT_THROTTLING, MailboxThrottle, type ThrottlingConfig } from './graph/mailbox-throttle';
import { ensureSigningKeys } from './keys/signing-keys';
import type { ClientAppRegistration, IntegrationClientRegistration, SimContext } from './sim-context';
import { createTenantHandle, type SimTenantHandle } from './state/sim-tenant-handle';
import { computeExpectedAggregates } from './tenant/expected-aggregates';
import { generateTenant } from './tenant/generate-tenant';
import type { Tenant, TenantSpec } from './tenant/tenant.types';
import { ensureSimulatorCertificate } from './tls/certificate';

export type { FaultConfig } from './graph/fault-injector';
export type { IntegrationClientRegistration } from './sim-context';
export type { ThrottlingConfig } from './graph/mailbox-throttle';
export type { SimTenantHandle, ConsentState, SentMail, TenantStats } from './state/sim-tenant-handle';
export { REQUIRED_APP_ROLES } from './state/sim-tenant-handle';

export interface SimulatorOptions {
  /** 0 or undefined = a free port. */
  port?: number;
  /** Holds `tls/` (certificate), the token-signing keys and anything else persisted. */
  stateDir: string;
  /** Tenant specs (generated with `generateTenant`) or ready-made tenants (hand-built test data). */
  tenants: Array<TenantSpec | Tenant>;
  /** The app registration (multi-tenant). */
  clientApp: ClientAppRegistration;
  /** Other apps that may get client-credentials tokens for the app's API (with the roles granted to them). */
  integrationClients?: IntegrationClientRegistration[];
  throttling?: Partial<ThrottlingConfig>;
  faults?: Partial<FaultConfig>;
  log?: (line: string) => void;
  /** Log every Graph request (method, redacted path, status, duration). Default: 5xx only. */
  logRequests?: boolean;
  /** Where the page store may be saved to and loaded from by name (benchmarks); none: it cannot. */
  pageStoreDir?: string;
}

export interface RunningSimulator {
  /** `https://localhost:<port>` */
  url: string;
  port: number;
  caCertPath: string;
  caCertPem: string;
  /** `localhost:<port>`, for MSAL `knownAuthorities`. */
  authorityHost: string;
  tenant(tenantId: string): SimTenantHandle;
  tenants(): SimTenantHandle[];
  setFaults(f: Partial<FaultConfig>): void;
  /** Holds admitted Graph requests until the returned function is called (see FaultInjector.hold). */
  holdGraphRequests(): () => void;
  /** How many Graph requests are waiting at the hold. */
  heldGraphRequests(): number;
  setThrottling(t: Partial<ThrottlingConfig>): void;
  close(): Promise<void>;
}

function isTenant(t: TenantSpec | Tenant): t is Tenant {
  return typeof (t as Tenant).mailboxMessages === 'function';
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Tracks sockets so close() does not wait for idle keep-alive connections. */
function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const log = options.log ?? (() => {});
  const [cert, keys] = await Promise.all([ensureSimulatorCertificate(path.join(options.stateDir, 'tls')), ensureSigningKeys(options.stateDir)]);

  const tenants = new Map<string, SimTenantHandle>();
  for (const t of options.tenants) {
    const tenant = isTenant(t) ? t : generateTenant(t);
    tenants.set(tenant.spec.tenantId.toLowerCase(), createTenantHandle(tenant));
  }

  const ctx: SimContext = {
    url: '',
    keys,
    clientApp: options.clientApp,
    integrationClients: options.integrationClients ?? [],
    tenants,
    throttle: new MailboxThrottle({ ...DEFAULT_THROTTLING, ...options.throttling }),
    faults: new FaultInjector({ ...DEFAULT_FAULTS, ...options.faults }),
    pages: new PageStore(),
    log,
    computeExpectedAggregates,
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/_sim', createControlRouter(ctx, { pageStoreDir: options.pageStoreDir }));
  app.use('/v1.0', createGraphRouter(ctx, { logRequests: options.logRequests ?? false }));
  app.use(createEntraRouter(ctx));
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', error_description: `The simulator has no endpoint ${req.method} ${req.path.includes('@') ? '<redacted>' : req.path}` });
  });
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    log(`unhandled error: ${err instanceof Error ? err.message : String(err)}`);
    res.status((err as { status?: number }).status ?? 500).json({ error: 'server_error', error_description: 'The simulator failed to process the request.' });
  });

  const tlsOptions = { cert: cert.certPem, key: cert.keyPem };
  const primary = createServer(tlsOptions, app);
  const primarySockets = trackSockets(primary);
  const port = await listen(primary, options.port ?? 0, '127.0.0.1');
  // `localhost` may resolve to ::1 first; serve it too when the host has IPv6 loopback.
  const secondary = createServer(tlsOptions, app);
  const secondarySockets = trackSockets(secondary);
  let secondaryListening = false;
  try {
    await listen(secondary, port, '::1');
    secondaryListening = true;
  } catch {
    log('IPv6 loopback unavailable; serving 127.0.0.1 only');
  }

  ctx.url = `https://localhost:${port}`;
  log(`tenant simulator listening on ${ctx.url}`);

  const closeServer = (server: Server, sockets: Set<Socket>) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });

  return {
    url: ctx.url,
    port,
    caCertPath: cert.certPath,
    caCertPem: cert.certPem,
    authorityHost: `localhost:${port}`,
    tenant(tenantId: string) {
      const h = tenants.get(tenantId.toLowerCase());
      if (!h) throw new Error(`unknown tenant ${tenantId}`);
      return h;
    },
    tenants: () => [...tenants.values()],
    setFaults: (f) => ctx.faults.configure(f),
    holdGraphRequests: () => ctx.faults.hold(),
    heldGraphRequests: () => ctx.faults.heldRequests,
    setThrottling: (t) => ctx.throttle.configure(t),
    async close() {
      await Promise.all([closeServer(primary, primarySockets), secondaryListening ? closeServer(secondary, secondarySockets) : Promise.resolve()]);
    },
  };
}
