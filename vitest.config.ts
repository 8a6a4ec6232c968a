// Two groups in one run (one summary): unit and UI test files in parallel first, then the files
// that share the two real engines (integration, end-to-end) one at a time.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}', 'test/ui/**/*.test.{ts,tsx}'], fileParallelism: true, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'engines',
          include: ['test/integration/**/*.test.{ts,tsx}', 'test/e2e/**/*.test.{ts,tsx}'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
