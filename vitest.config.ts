import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/src/**/*.test.ts', 'web/src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One database per test file, so files can run in parallel. Vitest's default is one worker fewer
    // than the cores — a single worker on this 2-core machine, which ran the suite serially (180 s on
    // SQLite, 217 s on PostgreSQL in CI); two workers take 102 s and 134 s.
    pool: 'forks',
    maxWorkers: 2,
  },
});
