import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../clickhouse/store.ts';
import { insertSupervision } from '../supervision/notices.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { openDimensionStore } from './fixture-store.ts';
import { sessionsByDay } from './process-days.ts';
import { participationByChild } from './process.ts';

// Hand computation, term 2026-autumn (as process.integration.test.ts): the term's sessions,
// not cancelled, are se1 se2 (s1) and se5 (s3, moved from the 26th to the 27th) on 2026-11-27,
// se7 (s4) on the 28th; held se1 se2 se5; completed se1 se5.
//   city: 11-27 scheduled 3, held 3, completed 2; 11-28 scheduled 1 → the table's 4 / 3 / 2
//   district d1: 11-27 only (se1 se2): 2, 2, 1
// Then 喊停 of o4 at 11-27 20:00: se7 (o4, planned the 28th) no longer counts; se5 stays.

describe.each(TEST_ENGINES)('sessions by day on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'dim_process_days');
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('counts the term’s sessions per day, adding up to the participation table', async () => {
    const days = await sessionsByDay(store, { kind: 'city' }, '2026-autumn');
    expect(days).toEqual([
      { day: '2026-11-27', scheduled: 3, held: 3, completed: 2 },
      { day: '2026-11-28', scheduled: 1, held: 0, completed: 0 },
    ]);
    const table = await participationByChild(store, { kind: 'city' }, '2026-autumn');
    const total = (k: 'sessions_scheduled' | 'sessions_held' | 'sessions_completed') =>
      table.reduce((a, r) => a + r[k], 0);
    expect([total('sessions_scheduled'), total('sessions_held'), total('sessions_completed')]).toEqual([4, 3, 2]);
    expect(await sessionsByDay(store, { kind: 'district', id: 'd1' }, '2026-autumn')).toEqual([
      { day: '2026-11-27', scheduled: 2, held: 2, completed: 1 },
    ]);
    expect(await sessionsByDay(store, { kind: 'district', id: 'd3' }, '2026-autumn')).toEqual([]);
  });

  it('drops a halted offering’s later sessions', async () => {
    await insertSupervision(store, {
      type: 'decision',
      notice_id: 'n-halt-o4',
      ts: '2026-11-27T20:00:00+08:00',
      issuer_id: 'u1',
      issuer_role: 'leader',
      target_type: 'school',
      target_id: 's3',
      dimension: 'course',
      subject_id: 'o4',
      decision: 'halted',
      content: '暂停该项目',
    });
    expect(await sessionsByDay(store, { kind: 'city' }, '2026-autumn')).toEqual([
      { day: '2026-11-27', scheduled: 3, held: 3, completed: 2 },
    ]);
  });
});
