import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration and end-to-end tests share two real engines: run files one at a time.
    fileParallelism: false,
    pool: 'forks',
  },
});
