/**
 * `npm start`: the whole product on one machine with no configuration — a MongoDB-compatible
 * database, the tenant simulator (Entra ID + Microsoft Graph over HTTPS) and the API serving the
 * tab. The API runs as its own Node process so that it trusts the simulator's certificate
 * through NODE_EXTRA_CA_CERTS, exactly as it would trust a corporate CA.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../simulator/src/simulator';
import { defaultAnchor, demoTenantSpecs } from '../simulator/src/tenant/default-tenants';
import { DEV_INTEGRATION_CLIENT } from '../simulator/src/dev-client-app';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET } from './lib/dev-identity';
import { stopChild } from './lib/ferretdb';
import { startLocalDatabase } from './lib/local-database';
import { ensureTabBuilt } from './lib/tab-build';
import { JOB_PROCESS_NODE_FLAGS } from '../api/src/platform/config/job-process-flags';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 3000);
const publicUrl = `http://localhost:${port}`;
const log = (line: string) => console.log(`[start] ${line}`);

const db = await startLocalDatabase(path.join(root, '.data'), { log });
log(`Database: ${db.kind}`);

const sim = await startSimulator({
  port: Number(process.env.SIM_PORT ?? 8443),
  stateDir: path.join(root, '.data', 'simulator'),
  tenants: demoTenantSpecs(defaultAnchor()),
  clientApp: { clientId: DEV_CLIENT_ID, clientSecret: DEV_CLIENT_SECRET, redirectUris: [`${publicUrl}/api/consent/callback`] },
  // The second registration the README's app-only curl walkthrough uses.
  integrationClients: [{ ...DEV_INTEGRATION_CLIENT, grantedRoles: [...DEV_INTEGRATION_CLIENT.grantedRoles] }],
});
log(`Tenant simulator: ${sim.url}`);

ensureTabBuilt(root, log);

// ROLE=all by default: this process also reads mailboxes, with the flags job processes are tuned for.
const api = spawn(process.execPath, [...JOB_PROCESS_NODE_FLAGS, '--import', 'tsx', path.join(root, 'api', 'src', 'main.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    APP_ENV: 'development',
    PORT: String(port),
    PUBLIC_URL: publicUrl,
    MONGODB_URI: db.uri,
    AUTH_CLIENT_ID: DEV_CLIENT_ID,
    AUTH_CLIENT_SECRET: DEV_CLIENT_SECRET,
    AUTH_AUTHORITY_HOST: sim.url,
    GRAPH_BASE_URL: sim.url,
    SIM_URL: sim.url,
    DEV_SIGN_IN: 'true',
    NODE_EXTRA_CA_CERTS: sim.caCertPath,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  },
});

let stopping = false;
async function stopAll(code: number): Promise<never> {
  stopping = true;
  await stopChild(api);
  await sim.close();
  await db.stop();
  process.exit(code);
}
api.once('exit', (code) => {
  if (!stopping) {
    log(`The API stopped (exit code ${code}).`);
    void stopAll(code ?? 1);
  }
});
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

// Wait until the API is ready, then say where to go.
for (let i = 0; i < 120 && !stopping; i++) {
  try {
    const res = await fetch(`${publicUrl}/readyz`);
    if (res.ok) break;
  } catch {
    // not listening yet
  }
  await new Promise((r) => setTimeout(r, 500));
}
console.log(`\n  Account engagement is running.\n  Open ${publicUrl} and sign in as a simulated user.\n  Press Ctrl+C to stop.\n`);
