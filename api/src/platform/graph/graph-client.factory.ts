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

  return {
    forApp(tenantId) {
      return build({
        getAccessToken: () =>
          acquire(() => options.msalFor(tenantId).acquireTokenByClientCredential({ scopes: [GRAPH_APP_SCOPE] })),
      });
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

/**
 * Errors are rethrown untouched: the Graph client wraps whatever the auth provider throws into a
 * GraphError keeping only its name and message, and the AADSTS code in MSAL's message is what
 * `classifyGraphError` needs to tell "no consent" from an outage.
 */
async function acquire(get: () => Promise<{ accessToken: string } | null>): Promise<string> {
  const result = await get();
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
