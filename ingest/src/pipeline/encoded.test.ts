import type { RowFor } from '@edu/analytics';
import { describe, expect, it } from 'vitest';
import { encodeRows, mergeEncoded } from './encoded.ts';

const text = (chunks: readonly Uint8Array[] = []) => Buffer.concat(chunks).toString('utf8');

// What the streamers are told changed comes from this summary, not from the rows: it must name
// every school and day the rows touch.

const row = (table: RowFor['table'], r: Record<string, string | number>) => ({ table, row: r }) as RowFor;
const at = (iso: string) => Date.parse(iso);

describe('encodeRows', () => {
  it('encodes each table as JSON lines and summarises schools, days and the newest ts', () => {
    const e = encodeRows([
      row('checkins', { id: 'a', school_id: 's1', ts_ms: at('2026-11-27T15:40:00+08:00') }),
      // 23:30 UTC on the 26th is the 27th in Shanghai.
      row('checkins', { id: 'b', school_id: 's2', ts_ms: at('2026-11-26T23:30:00Z') }),
      row('sessions', { id: 'c', school_id: 's1', ts_ms: at('2026-11-20T09:00:00+08:00'), planned_day: '2026-11-30' }),
    ]);
    expect(e.count).toBe(3);
    expect(e.tables.checkins?.count).toBe(2);
    expect(
      text(e.tables.checkins?.lines)
        .split('\n')
        .slice(0, -1)
        .map((l) => JSON.parse(l).id),
    ).toEqual(['a', 'b']);
    expect(text(e.tables.sessions?.lines)).toBe(
      JSON.stringify({ id: 'c', school_id: 's1', ts_ms: at('2026-11-20T09:00:00+08:00'), planned_day: '2026-11-30' }) +
        '\n',
    );
    expect(e.schools.sort()).toEqual(['s1', 's2']);
    expect(e.days.sort()).toEqual(['2026-11-27', '2026-11-30']);
    expect(e.maxTsMs).toBe(at('2026-11-27T15:40:00+08:00'));
  });

  it('merges parts without losing or repeating a row', () => {
    const a = encodeRows([row('checkins', { id: 'a', school_id: 's1', ts_ms: 1 })]);
    const b = encodeRows([
      row('checkins', { id: 'b', school_id: 's2', ts_ms: 5 }),
      row('feedback', { id: 'c', school_id: 's2', ts_ms: 3 }),
    ]);
    const m = mergeEncoded([a, b]);
    expect(m.count).toBe(3);
    expect(m.tables.checkins?.count).toBe(2);
    expect(text(m.tables.checkins?.lines)).toBe(text(a.tables.checkins?.lines) + text(b.tables.checkins?.lines));
    expect(m.tables.feedback?.count).toBe(1);
    expect(m.schools.sort()).toEqual(['s1', 's2']);
    expect(m.maxTsMs).toBe(5);
  });

  it('names, per day, the earliest minute of a check-in (check-outs and other tables do not move the curve)', () => {
    const a = encodeRows([
      row('checkins', { id: 'a', type: 'checkin', school_id: 's1', ts_ms: 1, day: '2026-11-27', minute: 961 }),
      row('checkins', { id: 'b', type: 'checkin', school_id: 's1', ts_ms: 1, day: '2026-11-27', minute: 955 }),
      row('checkins', { id: 'c', type: 'checkout', school_id: 's1', ts_ms: 1, day: '2026-11-27', minute: 900 }),
      row('checkins', { id: 'd', type: 'checkin', school_id: 's1', ts_ms: 1, day: '2026-11-26', minute: 1000 }),
    ]);
    expect(a.checkinFrom).toEqual({ '2026-11-27': 955, '2026-11-26': 1000 });
    const b = encodeRows([
      row('checkins', { id: 'e', type: 'checkin', school_id: 's2', ts_ms: 1, day: '2026-11-27', minute: 950 }),
      row('feedback', { id: 'f', school_id: 's2', ts_ms: 1, day: '2026-11-25' }),
    ]);
    expect(b.checkinFrom).toEqual({ '2026-11-27': 950 });
    expect(mergeEncoded([a, b]).checkinFrom).toEqual({ '2026-11-27': 950, '2026-11-26': 1000 });
    expect(mergeEncoded([b, a]).checkinFrom).toEqual({ '2026-11-27': 950, '2026-11-26': 1000 });
  });
});
