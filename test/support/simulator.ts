import path from 'node:path';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator/src/simulator';
import { defaultAnchor, demoTenantSpecs } from '../../simulator/src/tenant/default-tenants';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET } from '../../scripts/lib/dev-identity';

export const TEST_CLIENT_ID = DEV_CLIENT_ID;
export const TEST_CLIENT_SECRET = DEV_CLIENT_SECRET;
export const TEST_REDIRECT_URI = 'http://localhost:3999/api/consent/callback';

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
    ...overrides,
  });
}
