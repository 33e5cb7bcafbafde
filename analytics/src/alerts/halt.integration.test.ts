import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupByTable, toRow } from '../clickhouse/rows.ts';
import type { Store } from '../clickhouse/store.ts';
import type { SupervisionEvent } from '../contract/supervision.ts';
import { insertSupervision } from '../supervision/notices.ts';
import { FIXTURE_DAY, fixtureCityEvents } from '../testing/fixture-city.ts';
import { disposeTestStore, openTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { evaluateConditions } from './conditions.ts';
import { loadAlertFacts } from './facts.ts';
import { DEFAULT_ALERT_SETTINGS } from './rules.ts';

// class_after_halt on the fixture city (sessions 15:30–16:30 of FIXTURE_DAY):
//   喊停 o1 at 15:00: se1 (o1) was planned after it and started at 15:30 → one critical alert
//   喊停 o2 at 16:00: se2 (o2, started 15:32) was planned before it → stays scheduled, no alert
//   se3 (o3) started but was cancelled: not a halted offering's, no alert

const halt = (notice_id: string, subject_id: string, ts: string): SupervisionEvent => ({
  type: 'decision',
  notice_id,
  ts,
  issuer_id: 'u1',
  issuer_role: 'leader',
  target_type: 'school',
  target_id: 's1',
  dimension: 'course',
  subject_id,
  decision: 'halted',
  content: '停课整顿',
});

describe.each(TEST_ENGINES)('class_after_halt on %s', (engine) => {
  let store: Store;
  const at = (hhmm: string) => Date.parse(`${FIXTURE_DAY}T${hhmm}:00+08:00`);
  const opts = { checkoutGraceMinutes: DEFAULT_ALERT_SETTINGS.checkoutGraceMinutes };

  beforeAll(async () => {
    store = await openTestStore(engine, 'alerts_halt');
    const rows = fixtureCityEvents().map((e) => toRow(e, Date.now()));
    for (const [table, list] of groupByTable(rows)) await store.insert(table, list);
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('raises nothing before any halt', async () => {
    const facts = await loadAlertFacts(store, FIXTURE_DAY, at('17:00'), opts);
    expect(facts.halted).toEqual([]);
  });

  it('alerts on a class started for a session planned after its offering was halted', async () => {
    await insertSupervision(store, halt('h1', 'o1', `${FIXTURE_DAY}T15:00:00+08:00`));
    await insertSupervision(store, halt('h2', 'o2', `${FIXTURE_DAY}T16:00:00+08:00`));
    const facts = await loadAlertFacts(store, FIXTURE_DAY, at('17:00'), opts);
    expect(facts.halted).toEqual([
      {
        session_id: 'se1',
        school_id: 's1',
        offering_id: 'o1',
        course_id: 'c-o1',
        teacher_id: 't1',
        planned_start_ms: at('15:30'),
        planned_end_ms: at('16:30'),
        halted_ms: at('15:00'),
        started_ms: at('15:30'),
      },
    ]);
    // se1 is no longer scheduled, so no other session rule looks at it.
    expect(facts.sessions.map((s) => s.session_id).sort()).toEqual(['se2', 'se5', 'se6']);
    const fired = evaluateConditions(facts, DEFAULT_ALERT_SETTINGS).filter((c) => c.rule === 'class_after_halt');
    expect(fired.map((c) => c.id)).toEqual([`class_after_halt:${FIXTURE_DAY}:se1`]);
  });
});
