import type { InboundEvent } from '../contract/events.ts';
import { toShanghaiRfc3339 } from '../contract/time.ts';
import type { Metrics } from '../metrics/definitions.ts';

// The one fixture city that the tests share: small enough to check by hand, and built to hit
// every rule of the metric definitions: duplicates by id, re-sent and corrected settlements,
// withdrawals and re-enrollment, cancelled and rescheduled sessions, a tie between scheduled
// and cancelled, a substitute teacher, check-ins for cancelled sessions and by students not
// enrolled in the session's offering, an old-term
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

/**
 * One more session on the fixture day, `se9`, after every fixture class (they run 15:30–16:30):
 * for a test that needs a class still to come or still running. Of s1's offering o1 (st1 and
 * st2 enrolled) taught by t1, unless told otherwise.
 */
export function fixtureLaterSession(
  from: string,
  to: string,
  of: { school: string; offering: string; teacher: string } = { school: 's1', offering: 'o1', teacher: 't1' },
): InboundEvent {
  return {
    id: `later-se9-${from}`,
    type: 'session_scheduled',
    ts: at('08:00', '2026-11-20'),
    school_id: of.school,
    session_id: 'se9',
    offering_id: of.offering,
    course_id: `c-${of.offering}`,
    teacher_id: of.teacher,
    room: '302',
    planned_start: at(from),
    planned_end: at(to),
  };
}

export function fixtureCityEvents(): InboundEvent[] {
  seq = 0;
  const dupCheckin = checkin('se1', 's1', 'student', 'st1', at('15:31'), 'chk-dup-1');
  const dupEnroll = enroll('enrolled', 'st4', 'o2', 's1', 5000, at('10:00', '2026-09-05'), 'enr-dup-1');
  const dupSettle = settled('set2', 's3', 50000, '2026-11', at('12:00', '2026-11-20'), 'set-dup-1');
  const dupPrepared = prepared('prep-1', 'se1', 's1', 't1', at('20:00', dayBefore));
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
    checkin('se1', 's1', 'student', 'st3', at('15:45')), // withdrew from o1: not attendance (v1.1)
    checkin('se2', 's1', 'student', 'stx', at('15:50')), // enrolled nowhere: not attendance (v1.1)
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

    // (v1.1) 教师备课: a session is prepared by a lesson_prepared with ts before its planned start.
    dupPrepared,
    dupPrepared, // redelivered
    prepared('prep-2', 'se1', 's1', 't1', at('09:00')), // prepared again: se1 counts once
    prepared('prep-3', 'se2', 's1', 't2', at('15:45')), // after the 15:30 start: not prepared
    prepared('prep-4', 'se5', 's3', 't4', at('10:00', '2026-11-19')), // a week ahead, before the move: prepared
    prepared('prep-5', 'se6', 's3', 't5', at('15:30')), // at the start, not before it: not prepared
    prepared('prep-6', 'se3', 's2', 't3', at('10:00', '2026-11-24')), // cancelled: not scheduled
    prepared('prep-7', 'se7', 's4', 't4', at('10:00')), // for the 28th
  ];
  return events;
}

function prepared(id: string, session: string, school: string, teacher: string, ts: string): InboundEvent {
  return {
    id,
    type: 'lesson_prepared',
    ts,
    school_id: school,
    session_id: session,
    teacher_id: teacher,
    title: '第十二课',
    plan_url: `https://plans.example/${session}.pdf`,
  };
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
  sessions_prepared: 2, // se1 (the day before), se5 (a week ahead); se2 late, se6 at the start
  completion_rate: 2 / 4,
  attendance_rate: 4 / 6,
  teacher_attendance_rate: 2 / 4,
  enrollment_rate: 6 / 1230,
  prepared_rate: 2 / 4,
};

/**
 * Registry, material, budget, feedback, settlement and class-report events for the dimension
 * queries (analytics/src/dimensions), to be stored together with fixtureCityEvents(). Ids start
 * with `dim-` so they never collide with the city's. Hand-computed answers are in the tests.
 *
 *   providers p1 bid, p2 self → recommended (re-registered), p3 self, p4 bid
 *   teachers  t1 s1 teacher, t2 p1 coach, t3 s2 none → teacher, t4 p2 skill, t5 s3 none
 *   courses   c-o1 external sports p1, c-o2 school other → arts, c-o3 external science p3,
 *             c-o4 external reading p2, c-o5 school labor, c-x1 external sports p4 (never offered)
 *   materials s1 all four (m1 re-published, m2 delivered twice), s2 plan + safety,
 *             s3 four materials but m10 corrected from safety_plan to meeting_minutes,
 *             s4 one of 2026-spring only
 *   budgets   s1 b1 (re-submitted: c-o1 60000 → 80000, c-o2 20000, other 10000),
 *             s3 b2 (c-o4 60000, other 20000; delivered twice), s2 b3 of 2026-spring
 *   settled   dset1 s3 o4 30000 in 2026-11 (c-o1 at s1: 90000 settled vs 80000 budgeted)
 *   feedback  c-o1 5 then 2, 1, 2 (a run of three; one duplicated, one with HTML) and a
 *             2026-spring 1; t1 4, p1 3, t4 5, op2 1, c-o4 4 and 3
 *   class_report for se1, sent twice (the later one wins), one delivery duplicated
 */
export function fixtureDimensionEvents(): InboundEvent[] {
  let n = 0;
  const id = () => `dim-${++n}`;
  const reg = at('08:00', '2026-09-01');
  const later = at('08:00', '2026-10-01');
  const provider = (
    entity_id: string,
    name: string,
    channel: 'bid' | 'recommended' | 'self',
    qualified: boolean,
    ts = reg,
  ): InboundEvent => ({ id: id(), type: 'provider', ts, entity_id, name, channel, qualified });
  const teacher = (
    entity_id: string,
    name: string,
    school_id: string,
    certificate: 'teacher' | 'coach' | 'skill' | 'none',
    provider_id?: string,
    ts = reg,
  ): InboundEvent => ({
    id: id(),
    type: 'teacher',
    ts,
    school_id,
    entity_id,
    name,
    certificate,
    ...(provider_id ? { provider_id } : {}),
  });
  const course = (
    entity_id: string,
    name: string,
    school_id: string,
    kind: 'school' | 'external',
    category: 'sports' | 'arts' | 'science' | 'reading' | 'labor' | 'homework' | 'other',
    provider_id?: string,
    ts = reg,
  ): InboundEvent => ({
    id: id(),
    type: 'course',
    ts,
    school_id,
    entity_id,
    name,
    kind,
    category,
    ...(provider_id ? { provider_id } : {}),
  });
  const student = (entity_id: string, name: string, school_id: string, grade: number): InboundEvent => ({
    id: id(),
    type: 'student',
    ts: reg,
    school_id,
    entity_id,
    name,
    grade,
    class_name: `${grade}年级1班`,
  });
  const material = (
    material_id: string,
    school_id: string,
    kind: 'implementation_plan' | 'bid_notice' | 'meeting_minutes' | 'safety_plan',
    title: string,
    ts: string,
    term: '2026-autumn' | '2026-spring' = '2026-autumn',
  ): InboundEvent => ({
    id: id(),
    type: 'material_published',
    ts,
    school_id,
    material_id,
    term,
    kind,
    title,
    file_url: `https://files.example/${material_id}-${ts.slice(0, 10)}.pdf`,
  });
  const feedback = (
    school_id: string,
    from: 'school' | 'teacher' | 'parent',
    target: 'course' | 'teacher' | 'provider' | 'operator',
    target_id: string,
    score: number,
    ts: string,
    comment = '',
  ): InboundEvent => ({ id: id(), type: 'feedback', ts, school_id, from, target, target_id, score, comment });

  const dupMaterial = material('m2', 's1', 'bid_notice', '中标公示', at('09:00', '2026-09-03'));
  const dupBudget: InboundEvent = {
    id: id(),
    type: 'budget_submitted',
    ts: at('09:00', '2026-09-05'),
    school_id: 's3',
    budget_id: 'b2',
    term: '2026-autumn',
    items: [
      { category: 'course', course_id: 'c-o4', name: '阅读课课时费', amount: 60000 },
      { category: 'other', name: '场地', amount: 20000 },
    ],
  };
  const dupFeedback = feedback('s1', 'parent', 'course', 'c-o1', 1, at('18:00', '2026-11-21'), '孩子说听不懂');
  const report = (summary: string, ts: string, notes: [string, string]): InboundEvent => ({
    id: id(),
    type: 'class_report',
    ts,
    school_id: 's1',
    session_id: 'se1',
    summary,
    students: [
      { student_id: 'st1', performance: 4, note: notes[0] },
      { student_id: 'st2', performance: 2, note: notes[1] },
    ],
  });
  const finalReport = report('本节课完成运球练习', at('17:10'), ['进步明显', '注意力不集中']);

  return [
    provider('p1', '星火体育', 'bid', true),
    provider('p2', '墨香书院', 'self', false),
    provider('p2', '墨香书院', 'recommended', true, later),
    provider('p3', '未来科技', 'self', false),
    provider('p4', '绿茵足球', 'bid', true),
    { id: id(), type: 'operator', ts: reg, school_id: 's1', entity_id: 'op1', name: '乐学运营' },
    { id: id(), type: 'operator', ts: reg, school_id: 's3', entity_id: 'op2', name: '智慧运营' },
    teacher('t1', '李明华', 's1', 'teacher'),
    teacher('t2', '王芳', 's1', 'coach', 'p1'),
    teacher('t3', '赵强', 's2', 'none'),
    teacher('t3', '赵强', 's2', 'teacher', undefined, later),
    teacher('t4', '陈静', 's3', 'skill', 'p2'),
    teacher('t5', '刘洋', 's3', 'none'),
    course('c-o1', '篮球训练', 's1', 'external', 'sports', 'p1'),
    course('c-o2', '书法', 's1', 'school', 'other'),
    course('c-o2', '书法', 's1', 'school', 'arts', undefined, later),
    course('c-o3', '机器人编程', 's2', 'external', 'science', 'p3'),
    course('c-o4', '阅读写作', 's3', 'external', 'reading', 'p2'),
    course('c-o5', '劳动实践', 's3', 'school', 'labor'),
    course('c-x1', '足球', 's4', 'external', 'sports', 'p4'),
    student('st1', '张小明', 's1', 3),
    student('st2', '李华', 's1', 3),
    student('st4', '欧阳娜娜', 's1', 4),
    student('st7', '王五', 's3', 5),

    material('m1', 's1', 'implementation_plan', '实施方案（初稿）', at('09:00', '2026-09-02')),
    material('m1', 's1', 'implementation_plan', '实施方案（修订）', at('09:00', '2026-09-10')),
    dupMaterial,
    dupMaterial,
    material('m3', 's1', 'meeting_minutes', '领导小组会议纪要', at('09:00', '2026-09-04')),
    material('m4', 's1', 'safety_plan', '安全管理及应急预案', at('09:00', '2026-09-04')),
    material('m5', 's2', 'implementation_plan', '实施方案', at('09:00', '2026-09-02')),
    material('m6', 's2', 'safety_plan', '安全预案', at('09:00', '2026-09-02')),
    material('m7', 's3', 'implementation_plan', '实施方案', at('09:00', '2026-09-02')),
    material('m8', 's3', 'bid_notice', '中标公示', at('09:00', '2026-09-02')),
    material('m9', 's3', 'meeting_minutes', '会议纪要一', at('09:00', '2026-09-02')),
    material('m10', 's3', 'safety_plan', '会议纪要二', at('09:00', '2026-09-02')),
    material('m10', 's3', 'meeting_minutes', '会议纪要二', at('09:00', '2026-09-06')), // kind corrected
    material('m11', 's4', 'implementation_plan', '春季实施方案', at('09:00', '2026-03-01'), '2026-spring'),

    {
      id: id(),
      type: 'budget_submitted',
      ts: at('09:00', '2026-09-05'),
      school_id: 's1',
      budget_id: 'b1',
      term: '2026-autumn',
      items: [
        { category: 'course', course_id: 'c-o1', name: '篮球训练课时费', amount: 60000 },
        { category: 'course', course_id: 'c-o2', name: '书法材料', amount: 20000 },
        { category: 'other', name: '保险', amount: 10000 },
      ],
    },
    {
      id: id(),
      type: 'budget_submitted',
      ts: at('09:00', '2026-09-12'),
      school_id: 's1',
      budget_id: 'b1',
      term: '2026-autumn',
      items: [
        { category: 'course', course_id: 'c-o1', name: '篮球训练课时费', amount: 80000 },
        { category: 'course', course_id: 'c-o2', name: '书法材料', amount: 20000 },
        { category: 'other', name: '保险', amount: 10000 },
      ],
    },
    dupBudget,
    dupBudget,
    {
      id: id(),
      type: 'budget_submitted',
      ts: at('09:00', '2026-03-05'),
      school_id: 's2',
      budget_id: 'b3',
      term: '2026-spring',
      items: [{ category: 'other', name: '春季杂费', amount: 5000 }],
    },
    {
      id: id(),
      type: 'settled',
      ts: at('12:00', '2026-11-25'),
      school_id: 's3',
      settlement_id: 'dset1',
      offering_id: 'o4',
      provider_id: 'p2',
      amount: 30000,
      period: '2026-11',
    },

    feedback('s1', 'parent', 'course', 'c-o1', 1, at('18:00', '2026-05-01')), // spring term
    feedback('s1', 'parent', 'course', 'c-o1', 5, at('18:00', '2026-11-10'), '很好'),
    feedback('s1', 'parent', 'course', 'c-o1', 2, at('18:00', '2026-11-20'), '<script>alert("x")</script>太吵'),
    dupFeedback,
    dupFeedback,
    feedback('s1', 'school', 'course', 'c-o1', 2, at('18:00', '2026-11-22'), '器材不足'),
    feedback('s1', 'school', 'teacher', 't1', 4, at('18:00', '2026-11-15')),
    feedback('s1', 'school', 'provider', 'p1', 3, at('18:00', '2026-11-16')),
    feedback('s3', 'parent', 'teacher', 't4', 5, at('18:00', '2026-11-15')),
    feedback('s3', 'teacher', 'operator', 'op2', 1, at('18:00', '2026-11-16')),
    feedback('s3', 'parent', 'course', 'c-o4', 4, at('18:00', '2026-11-17')),
    feedback('s3', 'parent', 'course', 'c-o4', 3, at('18:00', '2026-11-18')),

    report('初稿', at('16:40'), ['草稿', '草稿']),
    finalReport,
    finalReport,
  ];
}
