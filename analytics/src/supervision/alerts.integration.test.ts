import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../clickhouse/sql.ts';
import type { Store } from '../clickhouse/store.ts';
import type { Alert } from '../live/protocol.ts';
import { disposeTestStore, openTestStore, TEST_ENGINES } from '../testing/index.ts';
import { toShanghaiRfc3339 } from '../contract/index.ts';
import { alertsAsOf, insertAlertVersions, loadAlerts, type AlertVersion } from './alerts.ts';

// Replay's alerts after ClickHouse merged alert_log (a ReplacingMergeTree keeps an alert's newest
// version only): every moment must still show the alert as it stood then, a state that the newest
// body cannot tell (已下发督办 between its notice and its resolution) included, on both engines.

const DAY = '2026-11-27';
const at = (hhmm: string) => Date.parse(`${DAY}T${hhmm}:00+08:00`);
const DAY_START = at('00:00');

const base: Alert = {
  id: `student_not_checked_out:${DAY}:se1`,
  rule: 'student_not_checked_out',
  severity: 'critical',
  state: 'open',
  dimension: 'safety',
  school_id: 's1',
  school_name: '凤凰区第1中学',
  zone_id: 'z1',
  district_id: 'd1',
  subject_id: 'se1',
  title: '学生未签退',
  detail: '下课30分钟后，仍有2名学生已签到未签退',
  opened_at: toShanghaiRfc3339(at('17:00')),
  updated_at: toShanghaiRfc3339(at('17:00')),
};
const ack = { by: 'u-leader', at: toShanghaiRfc3339(at('17:10')), comment: '已电话核实' };
const versions: AlertVersion[] = [
  { alert: base, version: 1, ts_ms: at('17:00') },
  { alert: { ...base, state: 'acknowledged', ack, updated_at: ack.at }, version: 2, ts_ms: at('17:10') },
  {
    alert: { ...base, state: 'notice_issued', ack, notice_id: 'n-1', updated_at: toShanghaiRfc3339(at('17:20')) },
    version: 3,
    ts_ms: at('17:20'),
  },
  {
    alert: {
      ...base,
      state: 'resolved',
      ack,
      notice_id: 'n-1',
      resolved_at: toShanghaiRfc3339(at('17:40')),
      updated_at: toShanghaiRfc3339(at('17:40')),
    },
    version: 4,
    ts_ms: at('17:40'),
  },
];

describe.each(TEST_ENGINES)('alert history on %s', (engine) => {
  let store: Store;

  beforeAll(async () => {
    store = await openTestStore(engine, 'alert_history');
    // One insert per version, as the alert book writes them: four parts to merge.
    for (const v of versions) await insertAlertVersions(store, [v]);
    await store.exec(sql`OPTIMIZE TABLE alert_log FINAL`);
  });
  afterAll(() => disposeTestStore(store));

  it('alert_log keeps the newest version only once merged; the live book loads it', async () => {
    const rows = await store.query<{ n: string | number }>(sql`SELECT count() AS n FROM alert_log`);
    expect(Number(rows[0]?.n)).toBe(1);
    const live = await loadAlerts(store, DAY_START);
    expect(live.map((v) => [v.alert.state, v.version])).toEqual([['resolved', 4]]);
  });

  it('replays every moment as the alert stood then, after the merge', async () => {
    const stateAt = async (hhmm: string) => (await alertsAsOf(store, at(hhmm), DAY_START)).map((a) => a.state);
    expect(await stateAt('16:59')).toEqual([]);
    expect(await stateAt('17:05')).toEqual(['open']);
    expect(await stateAt('17:15')).toEqual(['acknowledged']);
    // The notice was issued: a state the newest body, wound back, cannot tell from 已确认.
    expect(await stateAt('17:30')).toEqual(['notice_issued']);
    const then = (await alertsAsOf(store, at('17:30'), DAY_START))[0];
    expect(then?.notice_id).toBe('n-1');
    expect(then?.resolved_at).toBeUndefined();
    expect(await stateAt('17:45')).toEqual(['resolved']);
  });
});
