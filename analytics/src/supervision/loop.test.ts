import { describe, expect, it } from 'vitest';
import { allowedNoticeDecisions, countNotices, deriveLoop, type LoopDecisionRow, type LoopEventRow } from './loop.ts';

const T0 = Date.parse('2026-11-27T18:00:00+08:00');
const MIN = 60_000;
const notice = { notice_id: 'n1', ts_ms: T0, issuer_id: 'u-leader', content: '请整改', deadline_ms: T0 + 60 * MIN };
const ev = (id: string, min: number, type: LoopEventRow['type'], submission = ''): LoopEventRow => ({
  id,
  ts_ms: T0 + min * MIN,
  type,
  school_id: 's1',
  notice_id: 'n1',
  receiver_id: type === 'notice_received' ? 'head' : '',
  submission_id: submission,
  content: submission ? `内容 ${submission}` : '',
  attachments: [],
});
const dec = (id: string, min: number, decision: LoopDecisionRow['decision']): LoopDecisionRow => ({
  id,
  ts_ms: T0 + min * MIN,
  decision,
  issuer_id: 'u-leader',
  content: decision === 'returned' ? '不合格' : '销号',
});
const kinds = (r: ReturnType<typeof deriveLoop>) => r.steps.map((s) => [s.kind, s.notes.join(',')]);

describe('the 督办 loop', () => {
  it('goes issued → received → submitted → returned → submitted → closed', () => {
    const steps: [LoopEventRow[], LoopDecisionRow[], string][] = [
      [[], [], 'issued'],
      [[ev('a', 5, 'notice_received')], [], 'received'],
      [[ev('a', 5, 'notice_received'), ev('b', 20, 'rectification_submitted', 's-1')], [], 'submitted'],
      [
        [ev('a', 5, 'notice_received'), ev('b', 20, 'rectification_submitted', 's-1')],
        [dec('d1', 30, 'returned')],
        'returned',
      ],
      [
        [
          ev('a', 5, 'notice_received'),
          ev('b', 20, 'rectification_submitted', 's-1'),
          ev('c', 40, 'rectification_submitted', 's-2'),
        ],
        [dec('d1', 30, 'returned')],
        'submitted',
      ],
      [
        [
          ev('a', 5, 'notice_received'),
          ev('b', 20, 'rectification_submitted', 's-1'),
          ev('c', 40, 'rectification_submitted', 's-2'),
        ],
        [dec('d1', 30, 'returned'), dec('d2', 50, 'closed')],
        'closed',
      ],
    ];
    for (const [events, decisions, state] of steps) expect(deriveLoop(notice, events, decisions, T0).state).toBe(state);
    const last = deriveLoop(notice, steps[5]![0], steps[5]![1], T0 + 999 * MIN);
    expect([last.state, last.overdue, last.submissions, last.state_ms]).toEqual(['closed', false, 2, T0 + 50 * MIN]);
  });

  it('applies out-of-order events in source time, notes the odd ones and drops none', () => {
    // A submission stamped before the notice (a school clock behind), its duplicate under another
    // event id, then a receipt that no longer moves anything.
    const r = deriveLoop(
      notice,
      [
        ev('late-receipt', 10, 'notice_received'),
        ev('dup', 3, 'rectification_submitted', 's-1'),
        ev('early', -2, 'rectification_submitted', 's-1'),
      ],
      [],
      T0,
    );
    expect(r.state).toBe('submitted');
    expect(r.submissions).toBe(1);
    expect(kinds(r)).toEqual([
      ['issued', ''],
      ['submitted', 'before_notice'],
      ['submitted', 'duplicate'],
      ['received', 'no_effect'],
    ]);
  });

  it('gives the same result whatever order the rows are read in', () => {
    const events = [
      ev('a', 5, 'notice_received'),
      ev('b', 20, 'rectification_submitted', 's-1'),
      ev('c', 20, 'rectification_submitted', 's-2'),
    ];
    const forward = deriveLoop(notice, events, [dec('d', 30, 'returned')], T0);
    const backward = deriveLoop(notice, [...events].reverse(), [dec('d', 30, 'returned')], T0);
    expect(backward).toEqual(forward);
  });

  it('is overdue while not closed after the deadline, and notes late steps', () => {
    expect(deriveLoop(notice, [], [], T0 + 61 * MIN).overdue).toBe(true);
    expect(deriveLoop(notice, [], [], T0 + 59 * MIN).overdue).toBe(false);
    const late = deriveLoop(notice, [ev('b', 90, 'rectification_submitted', 's-1')], [], T0 + 91 * MIN);
    expect([late.overdue, late.steps[1]?.notes]).toEqual([true, ['late']]);
    const closedLate = deriveLoop(
      notice,
      [ev('b', 90, 'rectification_submitted', 's-1')],
      [dec('d', 95, 'closed')],
      T0 + 99 * MIN,
    );
    expect(closedLate.overdue).toBe(false);
    expect(deriveLoop({ ...notice, deadline_ms: 0 }, [], [], T0 + 1e9).overdue).toBe(false);
  });

  it('applies a decision stamped before the submission it judged (a school clock ahead) after it', () => {
    const r = deriveLoop(
      notice,
      [ev('b', 20, 'rectification_submitted', 's-1'), ev('c', 40, 'rectification_submitted', 's-2')],
      [dec('d1', 10, 'returned'), dec('d2', 30, 'closed')],
      T0,
    );
    expect(kinds(r)).toEqual([
      ['issued', ''],
      ['submitted', ''],
      ['returned', ''],
      ['submitted', ''],
      ['closed', ''],
    ]);
    expect(r.state).toBe('closed');
  });

  it('lets a decision only follow a submission, and be taken only on a submitted notice', () => {
    const r = deriveLoop(notice, [ev('a', 5, 'notice_received')], [dec('d', 6, 'returned')], T0);
    expect([r.state, r.steps.at(-1)?.notes]).toEqual(['received', ['no_effect']]);
    expect(allowedNoticeDecisions('submitted')).toEqual(['closed', 'returned']);
    for (const s of ['issued', 'received', 'returned', 'closed'] as const)
      expect(allowedNoticeDecisions(s)).toEqual([]);
  });

  it('counts notices per state and the overdue ones', () => {
    expect(
      countNotices([
        { state: 'issued', overdue: true },
        { state: 'submitted', overdue: false },
        { state: 'submitted', overdue: true },
        { state: 'closed', overdue: false },
      ]),
    ).toEqual({ issued: 1, received: 0, submitted: 2, returned: 0, closed: 1, overdue: 2 });
  });
});
