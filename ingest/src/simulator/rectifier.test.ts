import { validateValue, type SupervisionEvent } from '@edu/analytics';
import { afterEach, describe, expect, it } from 'vitest';
import { RECTIFICATION_TIMING, startRectifier, type Rectifier } from './rectifier.ts';
import { memorySink } from './sinks.ts';

const T0 = Date.parse('2026-11-27T16:00:00+08:00');
const H = 3600_000;
const notice = (i: number, deadline: number | null): SupervisionEvent => ({
  type: 'notice_issued',
  notice_id: `n-${i}`,
  ts: new Date(T0).toISOString(),
  issuer_id: 'u-leader',
  issuer_role: 'leader',
  target_type: 'school',
  target_id: `s${i}`,
  dimension: 'safety',
  subject_id: 'a1',
  decision: 'notice',
  content: '请整改',
  ...(deadline === null ? {} : { deadline: new Date(T0 + deadline).toISOString() }),
});

let r: Rectifier | null = null;
afterEach(async () => {
  await r?.stop();
});

describe("the simulator's schools answering notices", () => {
  it('sign within minutes and submit within hours, some late; every event valid and sent once its time comes', async () => {
    let now = T0;
    const sink = memorySink();
    r = startRectifier({ clock: { now: () => now }, sink, seed: 7, tickMs: 60_000 });
    for (let i = 0; i < 40; i++) r.observe(notice(i, 6 * H));
    r.observe(notice(0, 6 * H)); // delivered twice: answered once
    expect(sink.events).toHaveLength(0);
    now = T0 + 3 * 24 * H;
    await r.stop(); // sends what is due
    const receipts = sink.events.filter((e) => e.type === 'notice_received');
    const submissions = sink.events.filter((e) => e.type === 'rectification_submitted');
    expect(receipts).toHaveLength(40);
    expect(new Set(submissions.map((e) => e.id)).size).toBe(40);
    for (const e of sink.events) expect(validateValue(e, 'edu.rectification.v1', now).ok).toBe(true);
    const delay = (e: { ts: string }) => Date.parse(e.ts) - T0;
    for (const e of receipts) {
      expect(delay(e)).toBeGreaterThanOrEqual(RECTIFICATION_TIMING.receiveMinutes[0] * 60_000);
      expect(delay(e)).toBeLessThanOrEqual(RECTIFICATION_TIMING.receiveMinutes[1] * 60_000);
    }
    const late = submissions.filter((e) => delay(e) > 6 * H).length;
    expect(late).toBeGreaterThan(2);
    expect(late).toBeLessThan(20);
    expect(
      submissions.every((e) => e.type === 'rectification_submitted' && e.school_id === e.notice_id.replace('n-', 's')),
    ).toBe(true);
  });

  it('submits again after a return, once however often the return arrives', async () => {
    let now = T0;
    const sink = memorySink();
    r = startRectifier({ clock: { now: () => now }, sink, seed: 1, tickMs: 60_000 });
    r.observe(notice(1, null));
    now = T0 + 24 * H;
    await r.stop();
    const returned: SupervisionEvent = {
      ...notice(1, null),
      type: 'decision',
      notice_id: 'd-1',
      decision: 'returned',
      subject_id: 'n-1',
      ts: new Date(now).toISOString(),
      content: '材料不全',
    };
    r = startRectifier({ clock: { now: () => now }, sink, seed: 1, tickMs: 60_000 });
    r.observe(notice(1, null));
    r.observe(returned);
    r.observe(returned);
    now += 24 * H;
    await r.stop();
    const subs = sink.events.filter((e) => e.type === 'rectification_submitted').map((e) => e.id);
    // The second rectifier re-answers the notice with the same ids (stored once), and the return
    // once: a return seen twice would have made a third submission (s2).
    expect([...new Set(subs)].sort()).toEqual(['rect.n-1.s0', 'rect.n-1.s1']);
  });
});
