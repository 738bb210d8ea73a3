import { defineConfig } from 'vitest/config';

/** The Node runs of bench/node/*.run.ts (long: hours), apart from the unit tests. */
export default defineConfig({
  test: {
    include: ['bench/node/*.run.ts'],
    environment: 'node',
    setupFiles: ['src/test/setup.ts'],
    pool: 'forks',
    reporters: ['default'],
  },
});
