/**
 * `npm run sim`: the tenant simulator for local development.
 *   SIM_PORT (default 8443), SIM_STATE_DIR (default .data/simulator),
 *   SIM_CLIENT_ID / SIM_CLIENT_SECRET / SIM_REDIRECT_URIS (comma-separated) for the app registration.
 * A second registration, the integration client (DEV_INTEGRATION_CLIENT), gets app-only tokens
 * for the app's API with EngagementData.Read.All (client credentials).
 * The dev defaults below are not secrets: they only work against this simulator.
 */
import { startSimulator } from './simulator';
import { defaultAnchor, demoTenantSpecs } from './tenant/default-tenants';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_INTEGRATION_CLIENT, DEV_REDIRECT_URI } from './dev-client-app';

async function main(): Promise<void> {
  const port = Number(process.env.SIM_PORT ?? 8443);
  const stateDir = process.env.SIM_STATE_DIR ?? '.data/simulator';
  const redirectUris = (process.env.SIM_REDIRECT_URIS ?? DEV_REDIRECT_URI).split(',').map((s) => s.trim()).filter(Boolean);
  const sim = await startSimulator({
    port,
    stateDir,
    tenants: demoTenantSpecs(defaultAnchor()),
    clientApp: {
      clientId: process.env.SIM_CLIENT_ID ?? DEV_CLIENT_ID,
      clientSecret: process.env.SIM_CLIENT_SECRET ?? DEV_CLIENT_SECRET,
      redirectUris,
      displayName: 'Account Engagement (dev)',
    },
    // A second app reading results without a signed-in user (client credentials; see the README).
    integrationClients: [{ ...DEV_INTEGRATION_CLIENT, grantedRoles: [...DEV_INTEGRATION_CLIENT.grantedRoles] }],
    log: (line) => console.log(`[sim] ${line}`),
    logRequests: process.env.SIM_LOG_REQUESTS === '1',
  });
  console.log(`Tenant simulator: ${sim.url}`);
  console.log(`CA certificate:   ${sim.caCertPath}  (set NODE_EXTRA_CA_CERTS to this path)`);
  for (const t of sim.tenants()) {
    const s = t.tenant.spec;
    console.log(`  ${s.displayName.padEnd(12)} ${t.tenantId}  ${s.countryLetterCode}  mailboxes=${s.mailboxes}  consent=${t.consent.granted ? 'yes' : 'no'}`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[sim] ${signal}: stopping`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`[sim] failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
