import type { InboundEvent } from '../contract/events.ts';
import { toShanghaiRfc3339 } from '../contract/time.ts';
import type { Metrics } from '../metrics/definitions.ts';

// The one fixture city that the tests share: small enough to check by hand, and built to hit
// every rule of the metric definitions: duplicates by id, re-sent and corrected settlements,
// withdrawals and re-enrollment, cancelled and rescheduled sessions, a tie between scheduled
// and cancelled, a substitute teacher, check-ins for cancelled sessions, an old-term
// offering, a school re-registered with a new head count, and a district with no data.
//
//   district d1: zone z1 {s1}, zone z2 {s2, s5 (no activity)}
//   district d2: zone z3 {s3, s4}
//   district d3: no zones, no schools
//
// The hand-computed answers are in FIXTURE_DAY_METRICS below.

export const FIXTURE_DAY = '2026-11-27';
const at = (hhmm: string, day = FIXTURE_DAY) => toShanghaiRfc3339(Date.parse(`${day}T${hhmm}:00+08:00`));
const dayBefore = '2026-11-26';
const dayAfter = '2026-11-28';

let seq = 0;
const nextId = (p: string) => `${p}-${++seq}`;

function schedule(
  type: 'session_scheduled' | 'session_cancelled',
  session: string,
  school: string,
  offering: string,
  teacher: string,
  day: string,
  ts: string,
): InboundEvent {
  return {
    id: nextId('sch'),
    type,
    ts,
    school_id: school,
    session_id: session,
    offering_id: offering,
    course_id: `c-${offering}`,
    teacher_id: teacher,
    room: '301',
    planned_start: at('15:30', day),
    planned_end: at('16:30', day),
  };
}

function checkin(
  session: string,
  school: string,
  person: 'student' | 'teacher',
  who: string,
  ts: string,
  id?: string,
): InboundEvent {
  return {
    id: id ?? nextId('chk'),
    type: 'checkin',
    ts,
    school_id: school,
    session_id: session,
    person,
    person_id: who,
    method: 'face',
  };
}

function enroll(
  type: 'enrolled' | 'withdrawn',
  student: string,
  offering: string,
  school: string,
  fee: number,
  ts: string,
  id?: string,
): InboundEvent {
  return { id: id ?? nextId('enr'), type, ts, school_id: school, student_id: student, offering_id: offering, fee };
}

function classEvent(
  type: 'class_started' | 'class_ended',
  session: string,
  school: string,
  teacher: string,
  ts: string,
): InboundEvent {
  return { id: nextId('cls'), type, ts, school_id: school, session_id: session, teacher_id: teacher };
}

function offering(id: string, school: string, term: '2026-autumn' | '2026-spring', fee: number): InboundEvent {
  return {
    id: nextId('off'),
    type: 'offering_submitted',
    ts: at('09:00', '2026-09-01'),
    school_id: school,
    offering_id: id,
    term,
    course_id: `c-${id}`,
    teacher_ids: ['t1'],
    capacity: 30,
    fee_per_student: fee,
    weekly_sessions: 2,
    description: '课程',
  };
}

function school(
  id: string,
  zone: string,
  district: string,
  students: number,
  ts = at('08:00', '2026-09-01'),
): InboundEvent {
  return {
    id: nextId('reg'),
    type: 'school',
    ts,
    school_id: id,
    entity_id: id,
    name: `第${id.slice(1)}小学`,
    zone_id: zone,
    district_id: district,
    stage: 'primary',
    students,
  };
}

function settled(
  settlement: string,
  school: string,
  amount: number,
  period: string,
  ts: string,
  id?: string,
): InboundEvent {
  return {
    id: id ?? nextId('set'),
    type: 'settled',
    ts,
    school_id: school,
    settlement_id: settlement,
    offering_id: 'o1',
    amount,
    period,
  };
}

export function fixtureCityEvents(): InboundEvent[] {
  seq = 0;
  const dupCheckin = checkin('se1', 's1', 'student', 'st1', at('15:31'), 'chk-dup-1');
  const dupEnroll = enroll('enrolled', 'st4', 'o2', 's1', 5000, at('10:00', '2026-09-05'), 'enr-dup-1');
  const dupSettle = settled('set2', 's3', 50000, '2026-11', at('12:00', '2026-11-20'), 'set-dup-1');
  const events: InboundEvent[] = [
    { id: nextId('reg'), type: 'district', ts: at('08:00', '2026-09-01'), entity_id: 'd1', name: '东城区' },
    { id: nextId('reg'), type: 'district', ts: at('08:00', '2026-09-01'), entity_id: 'd2', name: '西城区' },
    { id: nextId('reg'), type: 'district', ts: at('08:00', '2026-09-01'), entity_id: 'd3', name: '新区' },
    {
      id: nextId('reg'),
      type: 'zone',
      ts: at('08:00', '2026-09-01'),
      entity_id: 'z1',
      name: '一学区',
      district_id: 'd1',
    },
    {
      id: nextId('reg'),
      type: 'zone',
      ts: at('08:00', '2026-09-01'),
      entity_id: 'z2',
      name: '二学区',
      district_id: 'd1',
    },
    {
      id: nextId('reg'),
      type: 'zone',
      ts: at('08:00', '2026-09-01'),
      entity_id: 'z3',
      name: '三学区',
      district_id: 'd2',
    },
    school('s1', 'z1', 'd1', 500),
    school('s2', 'z2', 'd1', 300),
    school('s3', 'z3', 'd2', 200),
    school('s4', 'z3', 'd2', 100),
    school('s4', 'z3', 'd2', 150, at('08:00', '2026-10-01')), // re-registered: 150 wins
    school('s5', 'z2', 'd1', 80),

    offering('o1', 's1', '2026-autumn', 10000),
    offering('o2', 's1', '2026-autumn', 5000),
    offering('o3', 's2', '2026-autumn', 8000),
    offering('o4', 's3', '2026-autumn', 6000),
    offering('o5', 's3', '2026-spring', 6000),

    enroll('enrolled', 'st1', 'o1', 's1', 10000, at('10:00', '2026-09-05')),
    enroll('enrolled', 'st2', 'o1', 's1', 10000, at('10:00', '2026-09-05')),
    enroll('enrolled', 'st3', 'o1', 's1', 10000, at('10:00', '2026-09-05')),
    enroll('withdrawn', 'st3', 'o1', 's1', 10000, at('10:00', '2026-09-20')),
    enroll('enrolled', 'st1', 'o2', 's1', 5000, at('10:00', '2026-09-05')),
    dupEnroll,
    dupEnroll, // delivered twice
    enroll('enrolled', 'st5', 'o3', 's2', 8000, at('10:00', '2026-09-05')),
    enroll('enrolled', 'st6', 'o3', 's2', 8000, at('10:00', '2026-09-05')),
    enroll('enrolled', 'st7', 'o4', 's3', 6000, at('10:00', '2026-09-05')),
    enroll('withdrawn', 'st7', 'o4', 's3', 6000, at('10:00', '2026-09-10')),
    enroll('enrolled', 'st7', 'o4', 's3', 6000, at('10:00', '2026-09-15')), // back again
    enroll('enrolled', 'st8', 'o5', 's3', 6000, at('10:00', '2026-03-05')),

    schedule('session_scheduled', 'se1', 's1', 'o1', 't1', FIXTURE_DAY, at('08:00', '2026-11-20')),
    schedule('session_scheduled', 'se2', 's1', 'o2', 't2', FIXTURE_DAY, at('08:00', '2026-11-20')),
    schedule('session_scheduled', 'se3', 's2', 'o3', 't3', FIXTURE_DAY, at('08:00', '2026-11-20')),
    schedule('session_cancelled', 'se3', 's2', 'o3', 't3', FIXTURE_DAY, at('09:00', '2026-11-25')),
    schedule('session_scheduled', 'se4', 's2', 'o3', 't3', FIXTURE_DAY, at('08:00', '2026-11-21')),
    schedule('session_cancelled', 'se4', 's2', 'o3', 't3', FIXTURE_DAY, at('08:00', '2026-11-21')), // tie: cancelled wins
    schedule('session_scheduled', 'se5', 's3', 'o4', 't4', dayBefore, at('08:00', '2026-11-20')),
    schedule('session_scheduled', 'se5', 's3', 'o4', 't4', FIXTURE_DAY, at('08:00', '2026-11-24')), // moved to the day
    schedule('session_scheduled', 'se6', 's3', 'o5', 't5', FIXTURE_DAY, at('08:00', '2026-11-20')),
    schedule('session_scheduled', 'se7', 's4', 'o4', 't4', dayAfter, at('08:00', '2026-11-20')),

    classEvent('class_started', 'se1', 's1', 't1', at('15:30')),
    classEvent('class_ended', 'se1', 's1', 't1', at('16:30')),
    classEvent('class_started', 'se2', 's1', 't2', at('15:32')),
    classEvent('class_started', 'se5', 's3', 't4', at('15:30')),
    classEvent('class_ended', 'se5', 's3', 't4', at('16:31')),
    classEvent('class_started', 'se3', 's2', 't3', at('15:30')), // cancelled session: ignored

    checkin('se1', 's1', 'teacher', 't1', at('15:20')),
    dupCheckin,
    dupCheckin, // redelivered
    checkin('se1', 's1', 'student', 'st1', at('15:40')), // second check-in, same student
    checkin('se1', 's1', 'student', 'st2', at('15:29')),
    checkin('se2', 's1', 'teacher', 't9', at('15:25')), // a substitute: not the scheduled teacher
    checkin('se2', 's1', 'student', 'st4', at('15:31')),
    checkin('se3', 's2', 'student', 'st5', at('15:31')), // cancelled session: ignored
    checkin('se5', 's3', 'teacher', 't4', at('15:28')),
    checkin('se5', 's3', 'student', 'st7', at('15:33')),
    {
      id: nextId('chk'),
      type: 'checkout',
      ts: at('16:35'),
      school_id: 's3',
      session_id: 'se5',
      person: 'student',
      person_id: 'st7',
      method: 'card',
    },

    settled('set1', 's1', 100000, '2026-11', at('12:00', '2026-11-20')),
    settled('set1', 's1', 90000, '2026-11', at('12:00', '2026-11-21')), // corrected: replaces
    dupSettle,
    dupSettle,
    settled('set3', 's2', 70000, '2026-10', at('12:00', '2026-10-30')), // another month
  ];
  return events;
}

/** Counts and rates for the city on FIXTURE_DAY, worked out by hand from the list above. */
export const FIXTURE_CITY_METRICS: Metrics = {
  sessions_scheduled: 4, // se1, se2, se5, se6
  sessions_started: 3, // se1, se2, se5
  sessions_completed: 2, // se1, se5
  students_expected: 6, // o1: 2, o2: 2, o4: 1, o5: 1
  students_present: 4, // se1: st1 st2, se2: st4, se5: st7
  teachers_present: 2, // se1 t1, se5 t4
  students_enrolled: 6, // s1: st1 st2 st4, s2: st5 st6, s3: st7
  students: 1230, // 500 + 300 + 200 + 150 + 80
  settled_amount: 140000, // set1 90000 + set2 50000
  fees_enrolled: 52000,
  completion_rate: 2 / 4,
  attendance_rate: 4 / 6,
  teacher_attendance_rate: 2 / 4,
  enrollment_rate: 6 / 1230,
};
