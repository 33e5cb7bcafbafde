import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  computeOverview,
  INBOUND_TOPICS,
  migrate,
  openServerStore,
  toShanghaiRfc3339,
  type InboundEvent,
  type Store,
} from '@edu/analytics';
import { testDatabaseName } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngest, type Ingest } from '../service.ts';
import { groupProgress } from '../testing/child.ts';
import {
  createTestTopics,
  produceEvents,
  removeTestTopics,
  testIngestConfig,
  testKafka,
  testPrefix,
} from '../testing/kafka.ts';
import { waitFor } from '../testing/kafka.ts';

// ClickHouse goes away mid-stream: ingest holds the batch, retries with back-off, commits
// nothing it has not stored, and once the server is back every event is there exactly once.
// A ClickHouse server of its own (other ports, other data folder), so stopping it does not
// disturb the tests running beside this one.

const SCRIPT = fileURLToPath(new URL('../../../deploy/services/clickhouse.sh', import.meta.url));
const stateDir = mkdtempSync(join(tmpdir(), 'edu-outage-'));
const ports = { CLICKHOUSE_HTTP_PORT: '18123', CLICKHOUSE_TCP_PORT: '19000' };
const clickhouse = (cmd: 'start' | 'stop') =>
  execFileSync('bash', [SCRIPT, cmd], { env: { ...process.env, ...ports, EDU_STATE_DIR: stateDir }, stdio: 'pipe' });

const DAY = '2026-11-27';
function checkins(from: number, to: number): InboundEvent[] {
  const ts = toShanghaiRfc3339(Date.parse(`${DAY}T15:40:00+08:00`));
  const out: InboundEvent[] = [];
  for (let i = from; i < to; i++) {
    out.push({
      id: `oc-${i}`,
      type: 'checkin',
      ts,
      school_id: 'o1',
      session_id: 'ose-1',
      person: 'student',
      person_id: `ost-${i}`,
      method: 'card',
    });
  }
  return out;
}

describe('ClickHouse server stopped mid-stream', () => {
  const kafka = testKafka();
  const prefix = testPrefix('outage');
  const database = testDatabaseName('outage');
  let store: Store;
  let ingest: Ingest;

  beforeAll(async () => {
    clickhouse('start');
    store = await openServerStore({ url: `http://127.0.0.1:${ports.CLICKHOUSE_HTTP_PORT}`, database });
    await migrate(store);
    await createTestTopics(kafka, prefix);
    const config = testIngestConfig(prefix, database, {
      CLICKHOUSE_URL: `http://127.0.0.1:${ports.CLICKHOUSE_HTTP_PORT}`,
    });
    ingest = await createIngest({ config, store, kafka, log: () => undefined });
    await ingest.start();
  });
  afterAll(async () => {
    await ingest?.stop();
    await store?.close();
    clickhouse('stop');
    await removeTestTopics(kafka, prefix);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('loses nothing and counts nothing twice', async () => {
    const topics = [prefix + INBOUND_TOPICS.checkin];
    await produceEvents(kafka, prefix, [
      {
        id: 'os-1',
        type: 'session_scheduled',
        ts: toShanghaiRfc3339(Date.parse(`${DAY}T08:00:00+08:00`)),
        school_id: 'o1',
        session_id: 'ose-1',
        offering_id: 'oo',
        course_id: 'oc',
        teacher_id: 'ot',
        room: '1',
        planned_start: toShanghaiRfc3339(Date.parse(`${DAY}T15:30:00+08:00`)),
        planned_end: toShanghaiRfc3339(Date.parse(`${DAY}T17:00:00+08:00`)),
      },
      ...checkins(0, 5000),
    ]);
    await waitFor(async () => (await groupProgress(kafka, `${prefix}ingest`, topics)).committed === 5000);

    clickhouse('stop');
    await produceEvents(kafka, prefix, checkins(5000, 15000));
    await new Promise((r) => setTimeout(r, 3000));
    // Nothing of the new events can be committed while nothing can be stored.
    expect((await groupProgress(kafka, `${prefix}ingest`, topics)).committed).toBe(5000);
    expect(Number((await ingest.metrics.storeErrors.get()).values[0]?.value)).toBeGreaterThan(0);

    clickhouse('start');
    await waitFor(async () => (await groupProgress(kafka, `${prefix}ingest`, topics)).committed === 15000, 60_000);
    const { overview } = await computeOverview(store, { kind: 'city' }, DAY);
    expect(overview.metrics.students_present).toBe(15000);
    expect(overview.metrics.sessions_scheduled).toBe(1);
  });
});
