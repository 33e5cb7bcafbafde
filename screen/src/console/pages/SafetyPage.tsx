import { useState, type JSX } from 'react';
import { dueEmptyText, dueHeading, dueMoment, type DueMoment, type DueRate } from '../../lib/due.ts';
import { ChildTable, type Column } from '../ChildTable.tsx';
import { DateNav } from '../DateNav.tsx';
import { DecisionButtons } from '../DecisionDialog.tsx';
import { count, pct } from '../fmt.ts';
import { NoticeDialog } from '../NoticeDialog.tsx';
import { query, schoolQuery, scopeId, scopeKind } from '../route.ts';
import { childrenTitle, Section, Status } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import type { PageProps, SafetyChildRow, SafetyCourseRow, SafetyRows, SchoolSafety } from '../types.ts';
import { Sessions } from './SafetySessions.tsx';

// 安全监管 (项目管理, manual 4.5): a day's attendance per child, then a school's course list,
// a course's sessions with teacher and student attendance, and a session's 学情汇报
// (SafetySessions.tsx). 一键监管 is on the school's course list (manual 4.5 §2); 喊停 is for
// leaders and halts the course's offering at the school (contract v1.1: `halted` on an
// offering, dimension course — its sessions planned after it no longer count as scheduled),
// one per offering when the course runs several classes there. During the day the figures due
// so far (contract v1.1: sessions whose start or end time has passed) stand beside the whole
// day's, under 截至 HH:MM and 全天. The day moves by 前一天 / 后一天 / 今天 or a picked date
// (DateNav; the address keeps it).

const DAY = '全天';

const DAY_COLUMNS: Column<SafetyChildRow>[] = [
  { key: 'sessions_scheduled', title: '排课节次', value: (r) => r.metrics.sessions_scheduled },
  { key: 'sessions_completed', title: '完课节次', value: (r) => r.metrics.sessions_completed },
  { key: 'completion_rate', title: '完课率', value: (r) => r.metrics.completion_rate, format: pct },
  { key: 'teachers_present', title: '教师到岗', value: (r) => r.metrics.teachers_present },
  { key: 'teacher_attendance_rate', title: '教师出勤率', value: (r) => r.metrics.teacher_attendance_rate, format: pct },
  { key: 'students_expected', title: '应到学生', value: (r) => r.metrics.students_expected },
  { key: 'students_present', title: '实到学生', value: (r) => r.metrics.students_present },
  { key: 'attendance_rate', title: '学生出勤率', value: (r) => r.metrics.attendance_rate, format: pct },
];

type WithDue = Pick<SafetyChildRow, 'metrics' | 'due'>;
const dueRate = <R extends WithDue>(key: DueRate, title: string): Column<R> => ({
  key: `due.${key}`,
  title,
  value: (r) => r.due?.[key] ?? null,
  format: pct,
  empty: (r) => (r.due ? dueEmptyText(key, r.due, r.metrics) : '暂无数据'),
});

/** The columns due so far (under 截至 HH:MM), then the day's (under 全天). */
export function safetyColumns(moment: DueMoment): Column<SafetyChildRow>[] {
  if (moment.kind !== 'live') return DAY_COLUMNS;
  const group = dueHeading(moment.hhmm);
  const due: Column<SafetyChildRow>[] = [
    { key: 'due.students_due', title: '应到学生', value: (r) => r.due?.students_due ?? null },
    { key: 'due.students_present', title: '实到学生', value: (r) => r.due?.students_present ?? null },
    dueRate('attendance_rate', '学生出勤率'),
    dueRate('teacher_attendance_rate', '教师出勤率'),
    dueRate('completion_rate', '完课率'),
  ];
  return [...due.map((c) => ({ ...c, group })), ...DAY_COLUMNS.map((c) => ({ ...c, group: DAY }))];
}

export function SafetyPage(p: PageProps): JSX.Element {
  const rows = useLoad<SafetyRows>(`/api/v1/dimensions/safety${query({ scope: p.scope, date: p.date })}`);
  const moment = rows.data ? dueMoment(rows.data.date, rows.data.rows[0]?.due?.at) : ({ kind: 'over' } as const);
  return (
    <>
      <Section title={`${childrenTitle(p.scope, '考勤统计')}${rows.data ? `（${rows.data.date}）` : ''}`}>
        {/* The day the server answered is the one stepped from, and every table below follows it. */}
        {p.onDate && <DateNav mode="day" date={p.date} shown={rows.data?.date ?? null} onDate={p.onDate} />}
        <Status loaded={rows} />
        {rows.data && (
          <ChildTable scope={p.scope} rows={rows.data.rows} columns={safetyColumns(moment)} onDrill={p.drill} />
        )}
      </Section>
      {scopeKind(p.scope) === 'school' && <SchoolCourses key={p.scope} {...p} school={scopeId(p.scope)} />}
    </>
  );
}

function SchoolCourses(p: PageProps & { school: string }): JSX.Element {
  const base = `/api/v1/dimensions/safety/schools/${encodeURIComponent(p.school)}`;
  const list = useLoad<SchoolSafety>(`${base}${schoolQuery(p.school, { date: p.date })}`);
  const [course, setCourse] = useState<string | null>(null);
  const [notice, setNotice] = useState(false);
  const schoolName = p.placeName(p.scope);
  const day = list.data?.date ?? p.date ?? '';
  const courseName = (id: string) => list.data?.courses.find((c) => c.course_id === id)?.course_name || id;
  const moment = list.data ? dueMoment(list.data.date, list.data.courses[0]?.due?.at) : null;
  const live = moment?.kind === 'live' ? moment : null;
  const dueCell = (c: SafetyCourseRow, key: DueRate) => {
    const v = c.due?.[key] ?? null;
    return (
      <td data-key={`due.${key}`} data-value={v ?? ''} className={v === null ? 'no-data' : undefined}>
        {v === null ? (c.due ? dueEmptyText(key, c.due, c.metrics) : '暂无数据') : pct(v)}
      </td>
    );
  };
  return (
    <>
      <Section
        title={`${schoolName} · 课程列表`}
        testId="console-detail"
        extra={
          p.decider && (
            <button className="primary" data-testid="console-action-notice" onClick={() => setNotice(true)}>
              一键监管
            </button>
          )
        }
      >
        <Status loaded={list} />
        {list.data && (
          <table className="console-table">
            <thead>
              {live && (
                <tr className="groups">
                  <th />
                  <th colSpan={5} className="group" data-testid="console-group">
                    {dueHeading(live.hhmm)}
                  </th>
                  <th colSpan={8} className="group" data-testid="console-group">
                    全天
                  </th>
                  <th />
                </tr>
              )}
              <tr>
                <th>课程</th>
                {live && (
                  <>
                    <th>应到学生</th>
                    <th>实到学生</th>
                    <th>学生出勤率</th>
                    <th>教师出勤率</th>
                    <th>完课率</th>
                  </>
                )}
                <th>排课节次</th>
                <th>已开课</th>
                <th>已完课</th>
                <th>完课率</th>
                <th>应到学生</th>
                <th>实到学生</th>
                <th>学生出勤率</th>
                <th>教师出勤率</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {list.data.courses.length === 0 && (
                <tr>
                  <td className="no-data" colSpan={live ? 15 : 10}>
                    暂无数据
                  </td>
                </tr>
              )}
              {list.data.courses.map((c) => (
                <tr
                  key={c.course_id}
                  data-testid="console-item"
                  data-subject={c.course_id}
                  className={course === c.course_id ? 'picked' : undefined}
                >
                  <td className="name">{c.course_name || c.course_id}</td>
                  {live && (
                    <>
                      <td data-key="due.students_due" data-value={c.due?.students_due ?? ''}>
                        {count(c.due?.students_due)}
                      </td>
                      <td data-key="due.students_present" data-value={c.due?.students_present ?? ''}>
                        {count(c.due?.students_present)}
                      </td>
                      {dueCell(c, 'attendance_rate')}
                      {dueCell(c, 'teacher_attendance_rate')}
                      {dueCell(c, 'completion_rate')}
                    </>
                  )}
                  <td data-key="sessions_scheduled" data-value={c.metrics.sessions_scheduled}>
                    {count(c.metrics.sessions_scheduled)}
                  </td>
                  <td>{count(c.metrics.sessions_started)}</td>
                  <td>{count(c.metrics.sessions_completed)}</td>
                  <td className={c.metrics.completion_rate === null ? 'no-data' : undefined}>
                    {pct(c.metrics.completion_rate)}
                  </td>
                  <td>{count(c.metrics.students_expected)}</td>
                  <td data-key="students_present" data-value={c.metrics.students_present}>
                    {count(c.metrics.students_present)}
                  </td>
                  <td
                    data-key="attendance_rate"
                    data-value={c.metrics.attendance_rate ?? ''}
                    className={c.metrics.attendance_rate === null ? 'no-data' : undefined}
                  >
                    {pct(c.metrics.attendance_rate)}
                  </td>
                  <td className={c.metrics.teacher_attendance_rate === null ? 'no-data' : undefined}>
                    {pct(c.metrics.teacher_attendance_rate)}
                  </td>
                  <td className="ops">
                    <button
                      className="small"
                      data-testid="console-action-sessions"
                      onClick={() => setCourse(c.course_id)}
                    >
                      查看
                    </button>
                    {c.offering_ids.map((offering, i) => (
                      <DecisionButtons
                        key={offering}
                        subject={{
                          target_type: 'school',
                          target_id: p.school,
                          dimension: 'course',
                          subject_id: offering,
                          label: `${schoolName}「${c.course_name || '未登记课程'}」${c.offering_ids.length > 1 ? `第${i + 1}班` : ''}课后服务`,
                        }}
                        kinds={[]}
                        leaderKinds={['halted']}
                        leader={p.leader}
                        decider={p.decider}
                        may={p.mayDecide}
                        place={`school:${p.school}`}
                        tag={c.offering_ids.length > 1 ? `第${i + 1}班` : undefined}
                        onDone={list.reload}
                      />
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      {course && (
        <Sessions
          key={course}
          dueAt={moment && moment.kind !== 'over' ? (list.data?.courses[0]?.due?.at ?? null) : null}
          graceMinutes={list.data?.courses[0]?.due?.grace_minutes ?? 10}
          path={`${base}/courses/${encodeURIComponent(course)}/sessions${schoolQuery(p.school, { date: p.date })}`}
          reportPath={(session) =>
            `${base}/sessions/${encodeURIComponent(session)}/report${schoolQuery(p.school, { date: p.date })}`
          }
          title={`${schoolName} · ${courseName(course)} · 每节课考勤`}
          course={courseName(course)}
        />
      )}
      {notice && (
        <NoticeDialog
          dimension="safety"
          subjectId={`safety:${p.school}:${day}`}
          about={`${schoolName} ${day} 课后服务考勤情况`}
          recipients={[{ type: 'school', id: p.school, name: schoolName }]}
          defaultContent={`经查，${schoolName}${day}课后服务考勤情况存在异常，请立即核实整改，并于期限内反馈。`}
          onClose={() => setNotice(false)}
        />
      )}
    </>
  );
}
