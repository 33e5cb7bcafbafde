import { useState, type JSX } from 'react';
import { ChildTable, type Column } from '../ChildTable.tsx';
import { pct } from '../fmt.ts';
import { CERTIFICATE, labelOf } from '../labels.ts';
import { query, schoolQuery, scopeId, scopeKind } from '../route.ts';
import { childrenTitle, Section, Status, useReportTerm } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import { DateNav } from '../DateNav.tsx';
import { StudentSearch, TeacherRoster, type StudentQuery, type WeekNav } from './ProcessPeople.tsx';
import { WeekGrid } from '../WeekGrid.tsx';
import { ProcessCharts } from './ProcessCharts.tsx';
import type {
  PageProps,
  ParticipationRow,
  SessionDay,
  StudentTimetable,
  TeacherTimetable,
  TermRows,
  Timetable,
} from '../types.ts';

// 过程监管 (项目内容, manual 4.3): participation of a term per child, as a table and as charts
// (ProcessCharts: per child, and the term's sessions per day); at a school the week's
// 一校一表, the school's teachers (教师名单) and students (学生查询, found by name), a teacher's
// 一师一表 (qualification and lessons) and a student's 一生一表, whose name the server masks
// (students are minors). Every week view moves by week or to a picked day (DateNav).

const COLUMNS: Column<ParticipationRow>[] = [
  { key: 'students', title: '学生数', value: (r) => r.students },
  { key: 'students_enrolled', title: '参与学生', value: (r) => r.students_enrolled },
  { key: 'enrollment_rate', title: '参与率', value: (r) => r.enrollment_rate, format: pct },
  { key: 'offerings', title: '开设课程', value: (r) => r.offerings },
  { key: 'sessions_scheduled', title: '排课节次', value: (r) => r.sessions_scheduled },
  { key: 'sessions_held', title: '已上课节次', value: (r) => r.sessions_held },
  { key: 'sessions_completed', title: '已完课节次', value: (r) => r.sessions_completed },
  // (v1.1) 教师备课: sessions with a lesson preparation sent before their start.
  { key: 'sessions_prepared', title: '已备课节次', value: (r) => r.sessions_prepared },
  { key: 'prepared_rate', title: '备课率', value: (r) => r.prepared_rate, format: pct },
];

export function ProcessPage(p: PageProps): JSX.Element {
  const rows = useLoad<TermRows<ParticipationRow> & { days?: SessionDay[] }>(
    `/api/v1/dimensions/process${query({ scope: p.scope, term: p.term, date: p.date })}`,
  );
  useReportTerm(rows.data?.term, p.onTerm);
  return (
    <>
      <Section title={childrenTitle(p.scope, '课后服务参与情况')}>
        <Status loaded={rows} />
        {rows.data && <ChildTable scope={p.scope} rows={rows.data.rows} columns={COLUMNS} onDrill={p.drill} />}
        {/* days: absent from a streamer older than the charts, which then draw no line */}
        {rows.data && <ProcessCharts rows={rows.data.rows} days={rows.data.days ?? []} />}
      </Section>
      {scopeKind(p.scope) === 'school' && <Timetables key={p.scope} {...p} school={scopeId(p.scope)} />}
    </>
  );
}

type View =
  | { kind: 'school' }
  | { kind: 'teachers' }
  | { kind: 'teacher'; id: string }
  | { kind: 'students' }
  | { kind: 'student'; id: string };

function Timetables(p: PageProps & { school: string }): JSX.Element {
  const [view, setView] = useState<View>({ kind: 'school' });
  // The student search outlives a visit to 一生一表: back on 学生查询, the same list.
  const [search, setSearch] = useState<StudentQuery>({ q: '', offset: 0 });
  const base = `/api/v1/dimensions/process/schools/${encodeURIComponent(p.school)}`;
  const q = schoolQuery(p.school, { date: p.date });
  const nav: WeekNav = { date: p.date, onDate: p.onDate };
  const tab = (v: View['kind'], label: string, onClick: () => void) => (
    <button className={`tab${view.kind === v ? ' active' : ''}`} data-testid={`console-tab-${v}`} onClick={onClick}>
      {label}
    </button>
  );
  return (
    <Section
      title={`${p.placeName(p.scope)} · 课表`}
      testId="console-detail"
      extra={
        <>
          {tab('school', '一校一表', () => setView({ kind: 'school' }))}
          {tab('teachers', '教师名单', () => setView({ kind: 'teachers' }))}
          {view.kind === 'teacher' && tab('teacher', '一师一表', () => {})}
          {tab('students', '学生查询', () => setView({ kind: 'students' }))}
          {view.kind === 'student' && tab('student', '一生一表', () => {})}
        </>
      }
    >
      {view.kind === 'school' && (
        <SchoolWeek path={`${base}/timetable${q}`} nav={nav} onTeacher={(id) => setView({ kind: 'teacher', id })} />
      )}
      {view.kind === 'teachers' && (
        <TeacherRoster path={`${base}/teachers${q}`} nav={nav} onOpen={(id) => setView({ kind: 'teacher', id })} />
      )}
      {view.kind === 'teacher' && (
        <TeacherWeek path={`${base}/teachers/${encodeURIComponent(view.id)}/timetable${q}`} nav={nav} />
      )}
      {view.kind === 'students' && (
        <StudentSearch
          base={base}
          school={p.school}
          search={search}
          onSearch={setSearch}
          onOpen={(id) => setView({ kind: 'student', id })}
        />
      )}
      {view.kind === 'student' && (
        <StudentWeek path={`${base}/students/${encodeURIComponent(view.id)}/timetable${q}`} nav={nav} />
      )}
    </Section>
  );
}

/** 上一周 / 下一周 / 本周 and a date picker over a week's grid, from the week the server answered. */
function Nav({ nav, monday }: { nav: WeekNav; monday: string | undefined }): JSX.Element | null {
  return nav.onDate ? <DateNav mode="week" date={nav.date} shown={monday ?? null} onDate={nav.onDate} /> : null;
}

/** 教师备课 of the week (v1.1): sessions prepared before their start, of those not cancelled. */
function WeekPrepared({ p }: { p: Timetable['prepared'] | undefined }): JSX.Element | null {
  // A streamer older than 教师备课 sends none.
  if (!p) return null;
  return (
    <div className="muted" data-testid="console-week-prepared" data-value={p.prepared_rate ?? ''}>
      本周已备课 {p.sessions_prepared} / {p.sessions_scheduled} 节，备课率 {pct(p.prepared_rate)}
    </div>
  );
}

function SchoolWeek({
  path,
  nav,
  onTeacher,
}: {
  path: string;
  nav: WeekNav;
  onTeacher(id: string): void;
}): JSX.Element {
  const t = useLoad<Timetable>(path);
  return (
    <>
      <Nav nav={nav} monday={t.data?.monday} />
      <Status loaded={t} />
      {t.data && (
        <>
          <div className="muted">
            {t.data.monday} 至 {t.data.sunday}，共 {t.data.sessions.length} 节（点击教师查看一师一表）
          </div>
          <WeekPrepared p={t.data.prepared} />
          <WeekGrid timetable={t.data} onTeacher={onTeacher} />
        </>
      )}
    </>
  );
}

function TeacherWeek({ path, nav }: { path: string; nav: WeekNav }): JSX.Element {
  const t = useLoad<TeacherTimetable>(path);
  const who = t.data?.teacher;
  return (
    <>
      <Nav nav={nav} monday={t.data?.monday} />
      <Status loaded={t} />
      {t.data && (
        <>
          <div className="profile" data-testid="console-teacher-profile">
            {who ? (
              <>
                <b>{who.name || '（未登记教师）'}</b>
                <span>资质：{labelOf(CERTIFICATE, who.certificate)}</span>
                <span>{who.provider_id ? `课程方：${who.provider_name || '（未登记课程方）'}` : '本校教师'}</span>
              </>
            ) : (
              <span className="no-data">暂无该教师的登记信息</span>
            )}
            <span className="muted">
              {t.data.monday} 至 {t.data.sunday}，共 {t.data.sessions.length} 节
            </span>
          </div>
          <WeekPrepared p={t.data.prepared} />
          <WeekGrid timetable={t.data} />
        </>
      )}
    </>
  );
}

function StudentWeek({ path, nav }: { path: string; nav: WeekNav }): JSX.Element {
  const t = useLoad<StudentTimetable>(path);
  const s = t.data?.student;
  return (
    <>
      <Nav nav={nav} monday={t.data?.monday} />
      <Status loaded={t} />
      {t.data && (
        <>
          <div className="profile" data-testid="console-student-profile">
            {s ? (
              <>
                <b data-testid="console-student-name">{s.masked_name}</b>
                <span>
                  {s.grade}年级 · {s.class_name}
                </span>
                <span>报名课程 {t.data.offering_ids.length} 门</span>
              </>
            ) : (
              <span className="no-data">暂无该学生的登记信息</span>
            )}
            <span className="muted">
              {t.data.monday} 至 {t.data.sunday}，共 {t.data.sessions.length} 节
            </span>
          </div>
          <WeekGrid timetable={t.data} present={new Set(t.data.present_session_ids)} />
        </>
      )}
    </>
  );
}
