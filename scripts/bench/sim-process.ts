/**
 * The tenant simulator in its own process for `npm run bench`, so its CPU and memory are
 * measured apart from the worker's. Takes the tenant as JSON in BENCH_TENANT (see
 * bench-tenant.ts), listens on a free loopback port and prints one line
 * `BENCH_SIM {"url":…}` when ready. Stops on SIGTERM.
 */
import { startSimulator } from '../../simulator/src/simulator';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET } from '../lib/dev-identity';
import { benchTenantSpec, type BenchTenantOptions } from './bench-tenant';

const raw = JSON.parse(process.env.BENCH_TENANT ?? 'null') as (Omit<BenchTenantOptions, 'anchor'> & { anchor: string }) | null;
const stateDir = process.env.SIM_STATE_DIR;
const pageStoreDir = process.env.SIM_PAGES_DIR;
if (!raw || !stateDir) {
  console.error('sim-process: BENCH_TENANT and SIM_STATE_DIR are required (it is started by scripts/bench.ts)');
  process.exit(2);
}
const sim = await startSimulator({
  port: 0,
  stateDir,
  tenants: [benchTenantSpec({ ...raw, anchor: new Date(raw.anchor) })],
  clientApp: { clientId: DEV_CLIENT_ID, clientSecret: DEV_CLIENT_SECRET, redirectUris: ['http://localhost:3999/api/consent/callback'], displayName: 'Account Engagement (bench)' },
  log: (line) => console.error(`[sim] ${line}`),
  ...(pageStoreDir ? { pageStoreDir } : {}),
});
console.log(`BENCH_SIM ${JSON.stringify({ url: sim.url, caCertPath: sim.caCertPath })}`);
const stop = () => void sim.close().then(() => process.exit(0), () => process.exit(1));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
