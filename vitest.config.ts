import { defineConfig } from 'vitest/config';

// Five projects: unit tests beside the code (*.test.ts) need nothing running; the screen's
// component tests run in happy-dom; integration tests (*.integration.test.ts) talk to the real
// Kafka, ClickHouse and Redis that deploy/test-all.sh starts; the browser tests
// (screen/e2e/*.e2e.test.ts) drive Debian's Chromium against the real stack; the fault suite
// (*.faults.test.ts) stops and restarts those services, so it runs after everything else.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['{analytics,ingest,streamer,deploy}/src/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/*.faults.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'screen',
          sequence: { groupOrder: 0 },
          environment: 'happy-dom',
          include: ['screen/src/**/*.test.{ts,tsx}'],
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
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['screen/e2e/**/*.e2e.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
        },
      },
      {
        test: {
          // The fault suite stops and starts Kafka, ClickHouse and Redis: it runs last, alone.
          name: 'faults',
          sequence: { groupOrder: 3 },
          include: ['deploy/src/**/*.faults.test.ts'],
          testTimeout: 300_000,
          maxWorkers: 1,
        },
      },
    ],
  },
});
