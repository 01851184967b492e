import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import type { Logger } from 'pino';

/** Where the Graph resource's scopes live: the same in production and against the simulator. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_SCOPE = `${GRAPH_RESOURCE}/.default`;

export interface MsalSettings {
  clientId: string;
  clientSecret: string;
  /** e.g. `https://login.microsoftonline.com` or the simulator's origin. */
  authorityHost: string;
}

const MICROSOFT_HOSTS = new Set(['login.microsoftonline.com', 'login.microsoftonline.us', 'login.partner.microsoftonline.cn']);

/**
 * One confidential client per tenant (MSAL caches tokens per client). For a non-Microsoft
 * authority (the simulator) the host is declared as known, which skips Microsoft's instance
 * discovery exactly as a B2C/ADFS deployment would; everything else is MSAL's normal path.
 */
export function createMsalClientFactory(settings: MsalSettings, logger: Logger): (tenantId: string) => ConfidentialClientApplication {
  const clients = new Map<string, ConfidentialClientApplication>();
  const host = new URL(settings.authorityHost).host;
  const knownAuthorities = MICROSOFT_HOSTS.has(host) ? [] : [host];

  return (tenantId) => {
    const key = tenantId.toLowerCase();
    let client = clients.get(key);
    if (!client) {
      client = new ConfidentialClientApplication({
        auth: {
          clientId: settings.clientId,
          clientSecret: settings.clientSecret,
          authority: `${settings.authorityHost}/${key}`,
          knownAuthorities,
        },
        system: {
          loggerOptions: {
            piiLoggingEnabled: false,
            logLevel: LogLevel.Warning,
            loggerCallback: (level, message, containsPii) => {
              if (containsPii) return;
              if (level === LogLevel.Error) logger.error({ msal: true }, message);
              else logger.warn({ msal: true }, message);
            },
          },
        },
      });
      clients.set(key, client);
    }
    return client;
  };
}
