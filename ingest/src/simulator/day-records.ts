import {
  toShanghaiRfc3339,
  type CheckinMethod,
  type CourseCategory,
  type InboundEvent,
  type InboundType,
  type Term,
} from '@edu/analytics';
import { AnomalyLedger, type Anomaly } from './anomalies.ts';
import type { EventCursor } from './cursor.ts';
import { ids } from './ids.ts';
import { reportNote, reportSummary } from './names.ts';
import { Rng } from './rng.ts';

// A day of the full city is about a million events. Holding them as objects would take
// hundreds of megabytes, so a day is kept as compact records (a time, a session, a kind and
// a small argument: 17 bytes each) sorted by time, and each event object is built only when
// the player takes it. Rare, irregular events (feedback, settlements) are kept as objects.

export const KIND = {
  scheduled: 0,
  cancelled: 1,
  teacherIn: 2,
  teacherOut: 3,
  started: 4,
  ended: 5,
  studentIn: 6,
  studentOut: 7,
  report: 8,
  /** `arg` indexes `extras`. */
  extra: 9,
  prepared: 10,
} as const;
export type Kind = (typeof KIND)[keyof typeof KIND];

export const METHODS: readonly CheckinMethod[] = ['face', 'card', 'manual'];

/** What every event of one session shares. */
export interface SessionMeta {
  schoolId: string;
  sessionId: string;
  offeringId: string;
  courseId: string;
  teacherId: string;
  room: string;
  category: CourseCategory;
  plannedStart: string;
  plannedEnd: string;
  /** The students who checked in: `presence[presentFrom … presentTo)`, for the class report. */
  presentFrom: number;
  presentTo: number;
  reportSeed: number;
  /** The lesson_prepared title (教案). */
  lessonTitle: string;
}

/** A growable column of numbers. */
class Column<A extends Float64Array | Int32Array | Uint8Array> {
  length = 0;
  constructor(
    public data: A,
    private readonly make: (n: number) => A,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

export class RecordBuilder {
  readonly ts = new Column(new Float64Array(1024), (n) => new Float64Array(n));
  readonly session = new Column(new Int32Array(1024), (n) => new Int32Array(n));
  readonly kind = new Column(new Uint8Array(1024), (n) => new Uint8Array(n));
  readonly arg = new Column(new Int32Array(1024), (n) => new Int32Array(n));
  readonly presence = new Column(new Int32Array(1024), (n) => new Int32Array(n));
  readonly sessions: SessionMeta[] = [];
  readonly extras: InboundEvent[] = [];
  /** Every anomaly injected while planning (see anomalies.ts). */
  readonly ledger = new AnomalyLedger();

  add(ts: number, session: number, kind: Kind, arg = 0): void {
    this.ts.push(ts);
    this.session.push(session);
    this.kind.push(kind);
    this.arg.push(arg);
  }

  addExtra(ts: number, event: InboundEvent): void {
    this.extras.push(event);
    this.add(ts, -1, KIND.extra, this.extras.length - 1);
  }
}

const INDEX_SPAN = 2 ** 26;

export interface DayPlanInfo {
  day: string;
  term: Term;
  /** Epoch ms the played window starts and ends (see rates.WINDOW). */
  windowStart: number;
  windowEnd: number;
  studentWidth: number;
}

/** One simulated day: every event from the morning's schedule to the evening's feedback. */
export class DayPlan {
  readonly day: string;
  readonly term: Term;
  readonly windowStart: number;
  readonly windowEnd: number;
  private readonly studentWidth: number;
  private readonly ts: Float64Array;
  private readonly session: Int32Array;
  private readonly kind: Uint8Array;
  private readonly arg: Int32Array;
  private readonly presence: Int32Array;
  private readonly sessions: SessionMeta[];
  private readonly extras: InboundEvent[];
  /** Record indexes in ts order (ties keep generation order). */
  private readonly order: Int32Array;
  /** The anomalies injected into the day, by time: the alert benchmark's ground truth. */
  readonly anomalies: readonly Anomaly[];

  constructor(info: DayPlanInfo, b: RecordBuilder) {
    this.day = info.day;
    this.term = info.term;
    this.windowStart = info.windowStart;
    this.windowEnd = info.windowEnd;
    this.studentWidth = info.studentWidth;
    const n = b.ts.length;
    if (n >= INDEX_SPAN) throw new RangeError(`a day of ${n} events is more than this plan can order`);
    this.ts = b.ts.data.slice(0, n);
    this.session = b.session.data.slice(0, n);
    this.kind = b.kind.data.slice(0, n);
    this.arg = b.arg.data.slice(0, n);
    this.presence = b.presence.data.slice(0, b.presence.length);
    this.sessions = b.sessions;
    this.extras = b.extras;
    this.anomalies = b.ledger.list();
    // One numeric sort of (ms since the earliest record) × 2^26 + index: exact in a double
    // while the day's records span less than about 1.5 days, and stable.
    let base = Infinity;
    let last = -Infinity;
    for (let i = 0; i < n; i++) {
      base = Math.min(base, this.ts[i] as number);
      last = Math.max(last, this.ts[i] as number);
    }
    if (n > 0 && (last - base) * INDEX_SPAN >= Number.MAX_SAFE_INTEGER) {
      throw new RangeError('the records of a day plan must span less than 1.5 days');
    }
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = ((this.ts[i] as number) - base) * INDEX_SPAN + i;
    keys.sort();
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = (keys[i] as number) % INDEX_SPAN;
  }

  /** Number of events. */
  get size(): number {
    return this.order.length;
  }

  /** Sessions planned for the day (cancelled ones included). */
  get sessionCount(): number {
    return this.sessions.length;
  }

  /** ts of the first and last event (epoch ms), undefined for an empty day. */
  get firstTs(): number | undefined {
    return this.size > 0 ? this.ts[this.order[0] as number] : undefined;
  }
  get lastTs(): number | undefined {
    return this.size > 0 ? this.ts[this.order[this.size - 1] as number] : undefined;
  }

  /** Events per type, without building them. */
  countsByType(): Partial<Record<InboundType, number>> {
    const names: Record<Exclude<Kind, 9>, InboundType> = {
      0: 'session_scheduled',
      1: 'session_cancelled',
      2: 'checkin',
      3: 'checkout',
      4: 'class_started',
      5: 'class_ended',
      6: 'checkin',
      7: 'checkout',
      8: 'class_report',
      10: 'lesson_prepared',
    };
    const out: Partial<Record<InboundType, number>> = {};
    for (let i = 0; i < this.size; i++) {
      const k = this.kind[i] as Kind;
      const type = k === KIND.extra ? (this.extras[this.arg[i] as number] as InboundEvent).type : names[k];
      out[type] = (out[type] ?? 0) + 1;
    }
    return out;
  }

  /** A cursor over the day in ts order, building events as they are taken. */
  cursor(): EventCursor {
    let pos = 0;
    return {
      peekTs: () => (pos < this.size ? this.ts[this.order[pos] as number] : undefined),
      take: (upTo, max) => {
        const out: InboundEvent[] = [];
        while (out.length < max && pos < this.size) {
          const r = this.order[pos] as number;
          if ((this.ts[r] as number) > upTo) break;
          out.push(this.build(r));
          pos++;
        }
        return out;
      },
      remaining: () => this.size - pos,
    };
  }

  /** Every event of the day in ts order, built one at a time. */
  *events(): Generator<InboundEvent> {
    for (let pos = 0; pos < this.size; pos++) yield this.build(this.order[pos] as number);
  }

  private build(r: number): InboundEvent {
    const kind = this.kind[r] as Kind;
    const arg = this.arg[r] as number;
    if (kind === KIND.extra) return this.extras[arg] as InboundEvent;
    const s = this.sessions[this.session[r] as number] as SessionMeta;
    const ts = toShanghaiRfc3339(this.ts[r] as number);
    const base = { ts, school_id: s.schoolId, session_id: s.sessionId };
    const student = (a: number) => ids.student(s.schoolId, a >> 2, this.studentWidth);
    const method = (a: number) => METHODS[a & 3] as CheckinMethod;
    switch (kind) {
      case KIND.scheduled:
      case KIND.cancelled:
        return {
          id: `${s.sessionId}:${kind === KIND.scheduled ? 'sch' : 'cxl'}`,
          type: kind === KIND.scheduled ? 'session_scheduled' : 'session_cancelled',
          ...base,
          offering_id: s.offeringId,
          course_id: s.courseId,
          teacher_id: s.teacherId,
          room: s.room,
          planned_start: s.plannedStart,
          planned_end: s.plannedEnd,
        };
      case KIND.teacherIn:
      case KIND.teacherOut: {
        const inside = kind === KIND.teacherIn;
        const type = inside ? 'checkin' : 'checkout';
        const id = `${s.sessionId}:${inside ? 'tci' : 'tco'}`;
        return { id, type, ...base, person: 'teacher', person_id: s.teacherId, method: method(arg) };
      }
      case KIND.started:
        return { id: `${s.sessionId}:start`, type: 'class_started', ...base, teacher_id: s.teacherId };
      case KIND.ended:
        return { id: `${s.sessionId}:end`, type: 'class_ended', ...base, teacher_id: s.teacherId };
      case KIND.studentIn:
      case KIND.studentOut: {
        const inside = kind === KIND.studentIn;
        const type = inside ? 'checkin' : 'checkout';
        const id = `${s.sessionId}:${inside ? 'ci' : 'co'}:${arg >> 2}`;
        return { id, type, ...base, person: 'student', person_id: student(arg), method: method(arg) };
      }
      case KIND.prepared:
        return {
          id: `${s.sessionId}:prep`,
          type: 'lesson_prepared',
          ...base,
          teacher_id: s.teacherId,
          title: s.lessonTitle,
        };
      case KIND.report: {
        const rng = new Rng(s.reportSeed);
        const students = [];
        for (let i = s.presentFrom; i < s.presentTo; i++) {
          const st = this.presence[i] as number;
          students.push({
            student_id: ids.student(s.schoolId, st, this.studentWidth),
            performance: rng.weighted<number>([
              [5, 0.3],
              [4, 0.4],
              [3, 0.2],
              [2, 0.07],
              [1, 0.03],
            ]),
            note: reportNote(rng),
          });
        }
        return {
          id: `${s.sessionId}:rep`,
          type: 'class_report',
          ...base,
          summary: reportSummary(rng, s.category),
          students,
        };
      }
    }
  }
}
