import { z } from 'zod';

/**
 * The API's whole configuration, parsed once from the environment by `main.ts` (nothing else
 * reads `process.env`). Invalid or missing values fail fast with every problem listed.
 */

/** Identity hosts a production deployment may trust: Entra ID's public and sovereign clouds. */
export const ENTRA_AUTHORITY_HOSTS = [
  'https://login.microsoftonline.com',
  'https://login.microsoftonline.us',
  'https://login.partner.microsoftonline.cn',
] as const;

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const httpsUrl = z
  .string()
  .url()
  .refine((v) => v.startsWith('https://'), 'must be an https:// URL (MSAL and the Graph client refuse plain http)')
  .transform((v) => v.replace(/\/+$/, ''));

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');

export const configSchema = z
  .object({
    APP_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: z.string().url().default('http://localhost:3000').transform((v) => v.replace(/\/+$/, '')),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI'),
    MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, _ and - only').default('account_engagement'),

    AUTH_CLIENT_ID: guid,
    AUTH_CLIENT_SECRET: z.string().min(1, 'is required for client-credentials and on-behalf-of tokens'),
    /** The App ID URI tokens for this API may carry as audience (v1 tokens). */
    AUTH_APP_ID_URI: z.string().optional(),
    AUTH_AUTHORITY_HOST: httpsUrl.default('https://login.microsoftonline.com'),
    /** Comma-separated tenant ids allowed to call the API; empty means any tenant. */
    AUTH_ALLOWED_TENANTS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)),

    GRAPH_BASE_URL: httpsUrl.default('https://graph.microsoft.com'),
    GRAPH_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),

    /** Development only: the tenant simulator, whose dev sign-in the tab may use. */
    SIM_URL: httpsUrl.optional(),
    DEV_SIGN_IN: booleanFromEnv.default(false),
    /**
     * Development and tests only: extra origins the tab accepts teams-js host messages from
     * (e.g. the Teams host harness on another port). Teams' own origins need no entry.
     */
    TEAMS_HOST_ORIGINS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((s) => s.trim().replace(/\/+$/, '')).filter(Boolean))
      .pipe(z.array(z.string().regex(/^https?:\/\/[^/?#\s]+$/, 'must be a comma-separated list of origins like http://localhost:5000'))),

    TAB_DIST_DIR: z.string().default('dist/addin'),
    /** The Teams app's id (the manifest's `id`): account alerts then link into the Customers tab through a Teams deep link. */
    TEAMS_APP_ID: guid.optional(),

    /** HMAC key signing the admin-consent `state`; required in production (no default there). */
    CONSENT_STATE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),

    /** Enrichment runs (issue 4): which parts this process runs, and the worker's tuning. */
    ROLE: z.enum(['api', 'worker', 'all']).default('all'),
    /**
     * Mailboxes one worker reads at once. Graph takes 100–300 ms per page and a mailbox's pages
     * follow each other, so a worker needs many mailboxes in flight to keep its core busy
     * (`npm run bench -- --latency 100-300` measures a run against the bound this allows).
     */
    WORKER_MAILBOX_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(16),
    WORKER_LOCK_LIFETIME_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
    /** Node's own options; read only to tell whether a job process got JOB_PROCESS_NODE_FLAGS. */
    NODE_OPTIONS: z.string().optional(),
    WORKER_PROCESS_EVERY_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
    /** Reader jobs per run (each reads mailbox after mailbox): at least the sum of every worker's concurrency. */
    WORKER_MAILBOX_WINDOW: z.coerce.number().int().min(1).max(10_000).default(64),
    WORKER_MAILBOXES_PER_SHARD: z.coerce.number().int().min(1).max(10_000).default(50),

    /** Published results (issue 10): snapshots read with an embedded DuckDB. */
    RESULTS_CACHE_MB: z.coerce.number().int().min(16).max(1_048_576).default(512),
    RESULTS_SNAPSHOTS_KEPT: z.coerce.number().int().min(1).max(100).default(8),
    RESULTS_POINTER_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(1000),
    RESULTS_DUCKDB_CONNECTIONS: z.coerce.number().int().min(1).max(64).default(2),
    RESULTS_DUCKDB_THREADS: z.coerce.number().int().min(1).max(64).default(1),

    /** Webhooks on publish (issue 18): how long a receiver has to answer, and how deliveries retry. */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
    /** The first retry's delay; each next one doubles (30 s, 1, 2, 4, 8 min by default). */
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
    /** Key that encrypts the webhooks' signing secrets at rest; required in production (no default there). */
    WEBHOOK_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    /**
     * Development and tests only: host names a webhook may use although they resolve to a
     * private or loopback address (a receiver on this machine). Must be empty in production.
     */
    WEBHOOK_ALLOWED_PRIVATE_HOSTS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)),
  })
  .superRefine((c, ctx) => {
    if (c.APP_ENV !== 'production') return;
    // A production configuration trusts Entra alone: no simulator, no dev sign-in.
    if (!(ENTRA_AUTHORITY_HOSTS as readonly string[]).includes(c.AUTH_AUTHORITY_HOST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_AUTHORITY_HOST'],
        message: `must be one of ${ENTRA_AUTHORITY_HOSTS.join(', ')} in production`,
      });
    }
    if (c.DEV_SIGN_IN) {
      ctx.addIssue({ code: 'custom', path: ['DEV_SIGN_IN'], message: 'must be false in production' });
    }
    if (c.SIM_URL) {
      ctx.addIssue({ code: 'custom', path: ['SIM_URL'], message: 'must not be set in production' });
    }
    if (!c.CONSENT_STATE_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['CONSENT_STATE_SECRET'], message: 'is required in production (a random secret of 32+ characters)' });
    }
    if (!c.WEBHOOK_SECRET_KEY) {
      ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET_KEY'], message: 'is required in production (a random secret of 32+ characters)' });
    }
    if (c.WEBHOOK_ALLOWED_PRIVATE_HOSTS.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['WEBHOOK_ALLOWED_PRIVATE_HOSTS'], message: 'must be empty in production (webhooks never reach private, loopback or link-local addresses there)' });
    }
    if (c.TEAMS_HOST_ORIGINS.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['TEAMS_HOST_ORIGINS'], message: 'must be empty in production (only Teams itself may host the tab)' });
    }
  })
  .superRefine((c, ctx) => {
    if (c.DEV_SIGN_IN && !c.SIM_URL) {
      ctx.addIssue({ code: 'custom', path: ['SIM_URL'], message: 'is required when DEV_SIGN_IN is true' });
    }
  });

export type RawConfig = z.infer<typeof configSchema>;

export interface AppConfig {
  env: RawConfig['APP_ENV'];
  http: { port: number; host: string; publicUrl: string };
  logLevel: RawConfig['LOG_LEVEL'];
  mongo: { uri: string; dbName: string };
  auth: {
    clientId: string;
    clientSecret: string;
    appIdUri: string;
    authorityHost: string;
    allowedTenants: string[];
  };
  graph: { baseUrl: string; maxRetries: number };
  dev: { signIn: boolean; simulatorUrl?: string; teamsHostOrigins: string[] };
  tabDistDir: string;
  consent: { stateSecret: string };
  worker: { role: 'api' | 'worker' | 'all'; nodeOptions: string | undefined; mailboxConcurrency: number; lockLifetimeMs: number; processEveryMs: number; mailboxWindow: number; mailboxesPerShard: number };
  results: { cacheMb: number; snapshotsKept: number; pollMs: number; connections: number; threads: number };
  webhooks: { timeoutMs: number; maxAttempts: number; retryBaseMs: number; secretKey: string; allowedPrivateHosts: string[] };
  alerts: { teamsAppId: string | null };
}

/** Development and test only: a production configuration must set CONSENT_STATE_SECRET. */
const DEV_CONSENT_STATE_SECRET = 'dev-only-consent-state-secret-not-for-production';
/** Development and test only: a production configuration must set WEBHOOK_SECRET_KEY. */
const DEV_WEBHOOK_SECRET_KEY = 'dev-only-webhook-secret-key-not-for-production';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment-like record. Throws `ConfigError` listing every problem. */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`));
  }
  const c = result.data;
  return {
    env: c.APP_ENV,
    http: { port: c.PORT, host: c.HOST, publicUrl: c.PUBLIC_URL },
    logLevel: c.LOG_LEVEL,
    mongo: { uri: c.MONGODB_URI, dbName: c.MONGODB_DB },
    auth: {
      clientId: c.AUTH_CLIENT_ID.toLowerCase(),
      clientSecret: c.AUTH_CLIENT_SECRET,
      appIdUri: c.AUTH_APP_ID_URI ?? `api://${new URL(c.PUBLIC_URL).host.split(':')[0]}/${c.AUTH_CLIENT_ID.toLowerCase()}`,
      authorityHost: c.AUTH_AUTHORITY_HOST,
      allowedTenants: c.AUTH_ALLOWED_TENANTS,
    },
    graph: { baseUrl: c.GRAPH_BASE_URL, maxRetries: c.GRAPH_MAX_RETRIES },
    dev: { signIn: c.DEV_SIGN_IN, simulatorUrl: c.SIM_URL, teamsHostOrigins: c.TEAMS_HOST_ORIGINS },
    tabDistDir: c.TAB_DIST_DIR,
    alerts: { teamsAppId: c.TEAMS_APP_ID?.toLowerCase() ?? null },
    consent: { stateSecret: c.CONSENT_STATE_SECRET ?? DEV_CONSENT_STATE_SECRET },
    worker: {
      role: c.ROLE,
      nodeOptions: c.NODE_OPTIONS,
      mailboxConcurrency: c.WORKER_MAILBOX_CONCURRENCY,
      lockLifetimeMs: c.WORKER_LOCK_LIFETIME_MS,
      processEveryMs: c.WORKER_PROCESS_EVERY_MS,
      mailboxWindow: c.WORKER_MAILBOX_WINDOW,
      mailboxesPerShard: c.WORKER_MAILBOXES_PER_SHARD,
    },
    results: {
      cacheMb: c.RESULTS_CACHE_MB,
      snapshotsKept: c.RESULTS_SNAPSHOTS_KEPT,
      pollMs: c.RESULTS_POINTER_POLL_MS,
      connections: c.RESULTS_DUCKDB_CONNECTIONS,
      threads: c.RESULTS_DUCKDB_THREADS,
    },
    webhooks: {
      timeoutMs: c.WEBHOOK_TIMEOUT_MS,
      maxAttempts: c.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: c.WEBHOOK_RETRY_BASE_MS,
      secretKey: c.WEBHOOK_SECRET_KEY ?? DEV_WEBHOOK_SECRET_KEY,
      allowedPrivateHosts: c.WEBHOOK_ALLOWED_PRIVATE_HOSTS,
    },
  };
}
