import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 150_000, // a server start may wait up to 90 s on a loaded machine (server/src/test/child.ts)
    // Each file starts its own server and browser; two at a time suits a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    // expect.poll gives up after 1 s by default: on a loaded 2-core machine a select that loads its
    // options, or a list that refetches, takes longer (a CI flake). Playwright's own waits allow 30 s.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
