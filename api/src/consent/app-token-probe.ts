import type { Logger } from 'pino';
import type { AppConfig } from '../platform/config/config';
import { GRAPH_APP_SCOPE, createMsalClientFactory } from '../platform/graph/msal-client.factory';
import type { AppTokenProbe } from './consent.service';

/**
 * A client-credentials token for a tenant, bypassing MSAL's cache so a consent granted or
 * revoked a minute ago is seen as it is now. Used only by the "check consent" action.
 */
export function createAppTokenProbe(config: AppConfig, logger: Logger): AppTokenProbe {
  const msalFor = createMsalClientFactory(
    { clientId: config.auth.clientId, clientSecret: config.auth.clientSecret, authorityHost: config.auth.authorityHost },
    logger,
  );
  return async (tenantId) => {
    const result = await msalFor(tenantId).acquireTokenByClientCredential({ scopes: [GRAPH_APP_SCOPE], skipCache: true });
    if (!result?.accessToken) throw new Error('The identity provider returned no access token.');
    return result.accessToken;
  };
}
