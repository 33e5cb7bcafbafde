import { defineConfig } from 'vitest/config';

// Two projects: unit tests beside the code (*.test.ts) need nothing running; integration
// tests (*.integration.test.ts) talk to the real Kafka, ClickHouse and Redis that
// deploy/test-all.sh starts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['{analytics,ingest,streamer,deploy}/src/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['{analytics,ingest,streamer,deploy}/src/**/*.integration.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: files run two at a time against the shared services.
          maxWorkers: 2,
        },
      },
    ],
  },
});
