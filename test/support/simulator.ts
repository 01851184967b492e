import path from 'node:path';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator/src/simulator';
import { defaultAnchor, demoTenantSpecs } from '../../simulator/src/tenant/default-tenants';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET } from '../../scripts/lib/dev-identity';
import { DEV_INTEGRATION_CLIENT } from '../../simulator/src/dev-client-app';

export const TEST_CLIENT_ID = DEV_CLIENT_ID;
export const TEST_CLIENT_SECRET = DEV_CLIENT_SECRET;
export const TEST_REDIRECT_URI = 'http://localhost:3999/api/consent/callback';
/** The second registered client: an integration granted EngagementData.Read.All (app-only reads). */
export const INTEGRATION_CLIENT = { ...DEV_INTEGRATION_CLIENT, grantedRoles: [...DEV_INTEGRATION_CLIENT.grantedRoles] };
/** A third one, registered but granted nothing: its app-only tokens carry no role of the API. */
export const UNGRANTED_CLIENT = { clientId: '66666666-7777-4888-9999-000000000002', clientSecret: 'ungranted-secret', displayName: 'Ungranted integration', grantedRoles: [] as string[] };

/**
 * Starts an in-process tenant simulator on a free port. Its certificate lives in SIM_STATE_DIR,
 * which `npm test` prepared and made trusted through NODE_EXTRA_CA_CERTS.
 */
export async function startTestSimulator(overrides: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  const stateDir = process.env.SIM_STATE_DIR;
  if (!stateDir || !process.env.NODE_EXTRA_CA_CERTS) {
    throw new Error('SIM_STATE_DIR / NODE_EXTRA_CA_CERTS are not set: run the tests with `npm test`.');
  }
  return startSimulator({
    port: 0,
    stateDir: path.resolve(stateDir),
    tenants: demoTenantSpecs(defaultAnchor()),
    clientApp: { clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, redirectUris: [TEST_REDIRECT_URI] },
    integrationClients: [INTEGRATION_CLIENT, UNGRANTED_CLIENT],
    ...overrides,
  });
}

/** An app-only token for the API, as an integration gets it: the client credentials grant on the tenant's token endpoint. */
export async function clientCredentialsToken(sim: RunningSimulator, tenantId: string, client: { clientId: string; clientSecret: string }, scope = `api://localhost/${TEST_CLIENT_ID}/.default`): Promise<string> {
  const res = await fetch(`${sim.url}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope }),
  });
  const body = (await res.json()) as { access_token?: string; error_description?: string };
  if (!res.ok || !body.access_token) throw new Error(`token endpoint ${res.status}: ${body.error_description ?? ''}`);
  return body.access_token;
}
