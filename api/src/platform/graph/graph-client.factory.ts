import type { ConfidentialClientApplication } from '@azure/msal-node';
import {
  AuthenticationHandler,
  Client,
  RedirectHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type AuthenticationProvider,
} from '@microsoft/microsoft-graph-client';
import { AppError } from '../errors/app-error';
import { classifyGraphError, graphErrorFacts } from './classify-graph-error';
import { HttpsMessageHandler } from './https-message-handler';
import { GRAPH_APP_SCOPE, GRAPH_RESOURCE } from './msal-client.factory';

export interface GraphClientFactoryOptions {
  /** `https://graph.microsoft.com` in production, the simulator's origin in dev and test. */
  baseUrl: string;
  maxRetries: number;
  /** Seconds; the retry handler's base delay when Graph sends no Retry-After. */
  retryDelaySeconds?: number;
  msalFor: (tenantId: string) => ConfidentialClientApplication;
}

export interface GraphClientFactory {
  /** App-only client (client credentials) for a tenant that has granted admin consent. */
  forApp(tenantId: string): Client;
  /** Delegated client acting as the signed-in user, via on-behalf-of from their SSO token. */
  forUser(tenantId: string, ssoToken: string, scopes: string[]): Client;
  /** A client on one given access token (e.g. a fresh app-only token being checked), never a cached one. */
  forToken(accessToken: string): Client;
}

/**
 * Builds Graph clients on MSAL tokens. The middleware chain is the SDK's default one with our
 * retry options (429/503/504 are retried honouring Retry-After), ending in our own HTTPS handler
 * instead of the SDK's `fetch` one (see `HttpsMessageHandler`: what receiving a page costs). The Graph client only attaches
 * tokens to https hosts it knows, so a non-Microsoft base URL is declared in `customHosts`.
 */
export function createGraphClientFactory(options: GraphClientFactoryOptions): GraphClientFactory {
  const base = new URL(options.baseUrl);
  const customHosts = base.hostname === 'graph.microsoft.com' ? undefined : new Set([base.hostname]);
  const baseUrl = `${base.origin}/`;

  // One connection pool for every client this factory builds.
  const transport = new HttpsMessageHandler();
  const build = (authProvider: AuthenticationProvider): Client => {
    const auth = new AuthenticationHandler(authProvider);
    const retry = new RetryHandler(new RetryHandlerOptions(options.retryDelaySeconds ?? 1, options.maxRetries));
    const redirect = new RedirectHandler();
    const telemetry = new TelemetryHandler();
    auth.setNext(retry);
    retry.setNext(redirect);
    redirect.setNext(telemetry);
    telemetry.setNext(transport);
    return Client.initWithMiddleware({ middleware: auth, baseUrl, customHosts, defaultVersion: 'v1.0' });
  };

  const appTokens = new AppTokens((tenantId) => options.msalFor(tenantId).acquireTokenByClientCredential({ scopes: [GRAPH_APP_SCOPE] }));
  return {
    forApp(tenantId) {
      return build({ getAccessToken: () => appTokens.tokenFor(tenantId) });
    },
    forToken(accessToken) {
      return build({ getAccessToken: async () => accessToken });
    },
    forUser(tenantId, ssoToken, scopes) {
      return build({
        getAccessToken: async () =>
          acquire(() =>
            options.msalFor(tenantId).acquireTokenOnBehalfOf({
              oboAssertion: ssoToken,
              scopes: scopes.map((s) => (s.includes('://') ? s : `${GRAPH_RESOURCE}/${s}`)),
            }),
          ),
      });
    },
  };
}

/** Renewed this long before it expires, so that no request leaves with a token about to lapse. */
const APP_TOKEN_RENEW_BEFORE_MS = 5 * 60_000;

/**
 * A tenant's app-only token, kept until shortly before it expires. MSAL keeps it too, but asking
 * MSAL's cache for it on every Graph request (a run makes 18,000 requests at 2,500 mailboxes)
 * was 2 % of a worker's CPU (`--cpu-prof`, acquireTokenByClientCredential, 250 mailboxes).
 * Callers that ask at once while it is renewed share one request; a failed one is not kept.
 */
export class AppTokens {
  private readonly tokens = new Map<string, { token: Promise<string>; renewAt: number }>();

  constructor(private readonly get: (tenantId: string) => Promise<{ accessToken: string; expiresOn?: Date | null } | null>) {}

  tokenFor(tenantId: string): Promise<string> {
    const kept = this.tokens.get(tenantId);
    if (kept && Date.now() < kept.renewAt) return kept.token;
    const entry = { token: Promise.resolve(''), renewAt: Infinity };
    entry.token = (async () => {
      const result = await this.get(tenantId);
      const token = accessTokenOf(result);
      entry.renewAt = result?.expiresOn ? result.expiresOn.getTime() - APP_TOKEN_RENEW_BEFORE_MS : 0;
      return token;
    })();
    entry.token.catch(() => {
      if (this.tokens.get(tenantId) === entry) this.tokens.delete(tenantId);
    });
    this.tokens.set(tenantId, entry);
    return entry.token;
  }
}

/**
 * Errors are rethrown untouched: the Graph client wraps whatever the auth provider throws into a
 * GraphError keeping only its name and message, and the AADSTS code in MSAL's message is what
 * `classifyGraphError` needs to tell "no consent" from an outage.
 */
async function acquire(get: () => Promise<{ accessToken: string } | null>): Promise<string> {
  return accessTokenOf(await get());
}

function accessTokenOf(result: { accessToken: string } | null): string {
  if (!result?.accessToken) throw new Error('The identity provider returned no access token.');
  return result.accessToken;
}

/** Maps any Graph or token failure to the API's typed errors, in one place. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  const facts = graphErrorFacts(e);
  switch (classifyGraphError(facts)) {
    case 'consent-required':
      return new AppError(
        'consent-required',
        'Your organisation has not granted this app admin consent yet, so it cannot read Microsoft 365 data. A Global Administrator must approve the consent request.',
        { cause: e },
      );
    case 'forbidden':
      return new AppError(
        'consent-required',
        'Microsoft Graph refused the request: the app lacks a permission it needs in your organisation. A Global Administrator must (re)grant admin consent.',
        { cause: e },
      );
    case 'throttled':
      return new AppError('graph-throttled', 'Microsoft Graph is throttling requests; try again in a minute.', { cause: e, retryAfterSeconds: 60 });
    case 'not-found':
      return new AppError('not-found', 'Microsoft Graph did not find the requested object.', { cause: e });
    case 'auth':
      return new AppError('graph-unavailable', 'The app could not authenticate to Microsoft Graph; check its client id and secret.', { cause: e });
    default:
      return new AppError('graph-unavailable', 'Microsoft Graph could not be reached; try again shortly.', { cause: e });
  }
}
