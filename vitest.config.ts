import { defineConfig } from 'vitest/config';

// Test files run in forked processes so that NODE_EXTRA_CA_CERTS (set by scripts/test.ts to
// trust the tenant simulator's certificate) is read by each worker's TLS stack at start.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    reporters: ['default'],
  },
});
