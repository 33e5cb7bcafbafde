import { useState, type JSX } from 'react';
import { clock, count, time } from '../fmt.ts';
import { CHECKIN_METHOD, labelOf, SESSION_STATE } from '../labels.ts';
import { Section, Status } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import type { ClassReport, CourseSessions } from '../types.ts';

// 安全监管 below a school's course list: the day's sessions of one course with teacher and
// student attendance and check-ins, and a session's 学情汇报 (课程学情 for the class, 学员学情
// per student, names masked by the server). During the day a session whose start is not yet
// due (planned_start + grace after the moment of the figures) is 未到上课时间, not 未到岗.

/** Whether a session's start is due at `dueAt` (contract v1.1); always, without a moment. */
export function startDue(plannedStart: string, dueAt: string | null, graceMinutes: number): boolean {
  if (!dueAt) return true;
  return Date.parse(plannedStart) + graceMinutes * 60_000 <= Date.parse(dueAt);
}

/** A session as a reader names it: course, day and time, never its id. */
function sessionLabel(s: { planned_start: string; planned_end: string }, course: string): string {
  const [, m, d] = s.planned_start.slice(0, 10).split('-');
  return `${course ? `${course} ` : ''}${Number(m)}月${Number(d)}日 ${clock(s.planned_start)}–${clock(s.planned_end)}`;
}

export function Sessions({
  path,
  reportPath,
  title,
  course = '',
  dueAt = null,
  graceMinutes = 10,
}: {
  path: string;
  reportPath(session: string): string;
  title: string;
  /** The course's name, in a session's label (学情汇报 · 篮球 11月27日 15:30–16:30). */
  course?: string;
  /** The moment of the figures during the day (RFC 3339); null for a day that is over. */
  dueAt?: string | null;
  graceMinutes?: number;
}): JSX.Element {
  const list = useLoad<CourseSessions>(path);
  const [session, setSession] = useState<{ id: string; label: string } | null>(null);
  const [showCheckins, setShowCheckins] = useState<string | null>(null);
  return (
    <>
      <Section title={title} testId="console-sessions">
        <Status loaded={list} />
        {list.data && (
          <table className="console-table">
            <thead>
              <tr>
                <th>节次</th>
                <th>时间</th>
                <th>教室</th>
                <th>状态</th>
                <th>开课 / 下课</th>
                <th>教师到岗</th>
                <th>应到</th>
                <th>实到</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {list.data.sessions.length === 0 && (
                <tr>
                  <td className="no-data" colSpan={9}>
                    暂无数据
                  </td>
                </tr>
              )}
              {list.data.sessions.map((s, i) => (
                <tr key={s.session_id} data-testid="console-session" data-subject={s.session_id}>
                  {/* The schools' session ids mean nothing to a reader: its place in the day, and its day, time and course. */}
                  <td title={sessionLabel(s, course)}>第{i + 1}节</td>
                  <td>
                    {clock(s.planned_start)}–{clock(s.planned_end)}
                  </td>
                  <td>{s.room}</td>
                  <td>{labelOf(SESSION_STATE, s.state)}</td>
                  <td>
                    {s.started_at ? clock(s.started_at) : '未开课'} /{' '}
                    {s.ended_at ? clock(s.ended_at) : s.started_at ? '未下课' : '—'}
                  </td>
                  {s.teacher_present ? (
                    <td className="good">已到岗</td>
                  ) : startDue(s.planned_start, dueAt, graceMinutes) ? (
                    <td className="bad">未到岗</td>
                  ) : (
                    <td className="no-data" data-testid="console-not-due">
                      未到上课时间
                    </td>
                  )}
                  <td>{count(s.students_expected)}</td>
                  <td data-key="students_present" data-value={s.students_present}>
                    {count(s.students_present)}
                  </td>
                  <td className="ops">
                    <button
                      className="small"
                      data-testid="console-action-report"
                      onClick={() => setSession({ id: s.session_id, label: sessionLabel(s, course) })}
                    >
                      查看学情汇报
                    </button>
                    <button
                      className="small"
                      onClick={() => setShowCheckins(showCheckins === s.session_id ? null : s.session_id)}
                    >
                      签到记录
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {showCheckins && list.data && (
          <ul className="checkins" data-testid="console-checkins">
            {(list.data.sessions.find((s) => s.session_id === showCheckins)?.checkins ?? []).map((c, i) => (
              <li key={i}>
                {time(c.ts)} {c.person === 'teacher' ? '教师' : '学生'} {c.person_name || '（未登记）'}{' '}
                {c.type === 'checkin' ? '签到' : '签退'}（{labelOf(CHECKIN_METHOD, c.method)}）
              </li>
            ))}
          </ul>
        )}
      </Section>
      {session && <Report key={session.id} path={reportPath(session.id)} label={session.label} />}
    </>
  );
}

function Report({ path, label }: { path: string; label: string }): JSX.Element {
  const report = useLoad<ClassReport>(path);
  const [tab, setTab] = useState<'class' | 'students'>('class');
  return (
    <Section
      title={`学情汇报 · ${label}`}
      testId="console-report"
      extra={
        <>
          <button
            className={`tab${tab === 'class' ? ' active' : ''}`}
            data-testid="console-tab-class"
            onClick={() => setTab('class')}
          >
            课程学情
          </button>
          <button
            className={`tab${tab === 'students' ? ' active' : ''}`}
            data-testid="console-tab-students"
            onClick={() => setTab('students')}
          >
            学员学情
          </button>
        </>
      }
    >
      <Status loaded={report} />
      {report.data && tab === 'class' && (
        <div className="report-summary">
          <div className="muted">汇报时间 {time(report.data.ts)}</div>
          <p data-testid="console-report-summary">{report.data.summary || '暂无数据'}</p>
        </div>
      )}
      {report.data && tab === 'students' && (
        <table className="console-table">
          <thead>
            <tr>
              <th>学生</th>
              <th className="left">课堂表现</th>
              <th className="left">评语</th>
            </tr>
          </thead>
          <tbody>
            {report.data.students.map((s) => (
              <tr key={s.student_id} data-testid="console-report-student">
                <td>{s.masked_name || '（未登记）'}</td>
                <td className="left" title={`${s.performance}分`}>
                  {'★'.repeat(Math.max(0, Math.min(5, Math.round(s.performance))))}
                  <span className="muted">（{s.performance}分）</span>
                </td>
                <td className="comment">{s.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
