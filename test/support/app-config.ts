import { parseConfig, type AppConfig } from '../../api/src/platform/config/config';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from './simulator';

/** The configuration a developer's `npm start` produces, pointed at a test simulator and DB. */
export function testAppConfig(sim: RunningSimulator, mongoUri: string, dbName: string, extra: Record<string, string> = {}): AppConfig {
  return parseConfig({
    APP_ENV: 'test',
    PORT: '0',
    PUBLIC_URL: 'http://localhost:3999',
    LOG_LEVEL: 'silent',
    MONGODB_URI: mongoUri,
    MONGODB_DB: dbName,
    AUTH_CLIENT_ID: TEST_CLIENT_ID,
    AUTH_CLIENT_SECRET: TEST_CLIENT_SECRET,
    AUTH_AUTHORITY_HOST: sim.url,
    GRAPH_BASE_URL: sim.url,
    GRAPH_MAX_RETRIES: '3',
    SIM_URL: sim.url,
    DEV_SIGN_IN: 'true',
    TAB_DIST_DIR: process.env.TAB_DIST_DIR ?? 'dist/addin',
    ...extra,
  });
}
