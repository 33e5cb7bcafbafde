import { defineConfig } from 'vitest/config';

// Five projects: unit tests beside the code (*.test.ts) need nothing running; the screen's
// component tests run in happy-dom; integration tests (*.integration.test.ts) talk to the real
// Kafka, ClickHouse and Redis that deploy/test-all.sh starts; the browser tests
// (screen/e2e/*.e2e.test.ts) drive Debian's Chromium against the real stack; the reduced fault
// suite and load run (*.stress.test.ts) stop and restart those services or load the machine,
// so they run after everything else.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['{analytics,ingest,streamer,deploy}/src/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/*.stress.test.ts', '**/node_modules/**'],
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
          // The reduced fault suite stops and starts Kafka, ClickHouse and Redis, and the reduced
          // load run wants the machine to itself: they run last, one at a time.
          name: 'stress',
          sequence: { groupOrder: 3 },
          include: ['deploy/src/**/*.stress.test.ts'],
          testTimeout: 300_000,
          maxWorkers: 1,
        },
      },
    ],
  },
});
