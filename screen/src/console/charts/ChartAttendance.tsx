import type { JSX } from 'react';
import { dueEmptyText, dueHeading, dueMoment } from '../../lib/due.ts';
import { count, pct } from '../fmt.ts';
import type { ChartData, RankingRow } from '../types.ts';
import { Stat } from './ChartStats.tsx';
import { ChartBox } from './EChart.tsx';
import { columnBars, groupedBars, rankingBars } from './options.ts';

// 上课 of the 图表 page: teacher and student attendance of the scope. During the day the figures
// due so far (contract v1.1: the sessions whose start or end time has passed, 截至 HH:MM) stand
// beside the whole day's (全天: every session of the day, most not yet begun in the afternoon).
// For a day that is over the two are equal and only the day's are shown.

const GOOD = '#27d17f';
const BAD = '#ff4d4f';
const DUE_COLOR = '#4ef0ff';
const DAY_COLOR = '#3e6fa8';

type Attendance = ChartData['attendance'];

export function AttendanceCharts({
  d,
  date,
  onPick,
}: {
  d: Attendance;
  date: string;
  onPick(data: unknown): void;
}): JSX.Element {
  const m = dueMoment(date, d.due?.at);
  const live = m.kind === 'live' ? m : null;
  const due = d.due;
  const day = { sessions_scheduled: d.teachers.sessions_scheduled };
  const dueName = live ? `截至 ${live.hhmm}` : '';
  return (
    <>
      <div className="stat-groups two">
        {live && (
          <div className="stat-group" data-testid="console-due">
            <h4>{dueHeading(live.hhmm)}</h4>
            <Stat k="due.students_due" label="应到学生" value={due.students_due} />
            <Stat k="due.students_present" label="实到学生" value={due.students_present} />
            <Stat
              k="due.attendance_rate"
              label="学生出勤率"
              value={due.attendance_rate}
              format={pct}
              empty={dueEmptyText('attendance_rate', due, day)}
            />
            <Stat k="due.sessions_due" label="应到岗节次" value={due.sessions_due} />
            <Stat k="due.teachers_present" label="教师到岗" value={due.teachers_present} />
            <Stat
              k="due.teacher_attendance_rate"
              label="教师出勤率"
              value={due.teacher_attendance_rate}
              format={pct}
              empty={dueEmptyText('teacher_attendance_rate', due, day)}
            />
            <Stat k="due.sessions_due_end" label="应完课节次" value={due.sessions_due_end} />
            <Stat k="due.sessions_completed" label="已完课" value={due.sessions_completed} />
            <Stat
              k="due.completion_rate"
              label="完课率"
              value={due.completion_rate}
              format={pct}
              empty={dueEmptyText('completion_rate', due, day)}
            />
          </div>
        )}
        <div className="stat-group" data-testid="console-day">
          <h4>{live ? '全天（含尚未开始的课节）' : '全天'}</h4>
          <Stat k="students_expected" label="应到学生" value={d.students.students_expected} />
          <Stat k="students_present" label="实到学生" value={d.students.students_present} />
          <Stat
            k="attendance_rate"
            label={live ? '学生出勤进度' : '学生出勤率'}
            value={d.students.attendance_rate}
            format={pct}
          />
          <Stat k="sessions_scheduled" label="排课节次" value={d.teachers.sessions_scheduled} />
          <Stat k="teachers_present" label="教师到岗" value={d.teachers.teachers_present} />
          <Stat
            k="teacher_attendance_rate"
            label={live ? '教师出勤进度' : '教师出勤率'}
            value={d.teachers.teacher_attendance_rate}
            format={pct}
          />
        </div>
      </div>
      <div className="chart-grid four">
        <AttendanceBox
          id="teachers"
          noun="教师考勤"
          dueName={live ? dueName : null}
          labels={['应到岗节次', '教师到岗']}
          dayLabels={['排课节次', '教师到岗']}
          due={[due.sessions_due, due.teachers_present]}
          day={[d.teachers.sessions_scheduled, d.teachers.teachers_present]}
          dueRate={due.teacher_attendance_rate}
          dayRate={d.teachers.teacher_attendance_rate}
          color="#3ea6ff"
        />
        <AttendanceBox
          id="students"
          noun="学生考勤"
          dueName={live ? dueName : null}
          labels={['应到学生', '实到学生']}
          dayLabels={['应到学生', '实到学生']}
          due={[due.students_due, due.students_present]}
          day={[d.students.students_expected, d.students.students_present]}
          dueRate={due.attendance_rate}
          dayRate={d.students.attendance_rate}
          color="#4ef0ff"
        />
        <Ranking
          id="attendance_top"
          title={`学校出勤率排名前十${live ? `（${dueName}）` : ''}`}
          rows={d.attendance_rate.top}
          color={GOOD}
          onPick={onPick}
        />
        <Ranking
          id="attendance_bottom"
          title={`学校出勤率排名后十${live ? `（${dueName}）` : ''}`}
          rows={d.attendance_rate.bottom}
          color={BAD}
          onPick={onPick}
        />
      </div>
    </>
  );
}

/**
 * One 考勤 box: during the day the figures due so far beside the day's (grouped bars), for a
 * day that is over the day's alone.
 */
function AttendanceBox(props: {
  id: string;
  noun: string;
  /** 截至 HH:MM during the day; null for a day that is over. */
  dueName: string | null;
  labels: [string, string];
  dayLabels: [string, string];
  due: [number, number];
  day: [number, number];
  dueRate: number | null;
  dayRate: number | null;
  color: string;
}): JSX.Element {
  const { dueName } = props;
  return (
    <ChartBox
      id={props.id}
      title={
        dueName
          ? `${props.noun}（${dueName} 出勤率 ${pct(props.dueRate)} · 全天进度 ${pct(props.dayRate)}）`
          : `${props.noun}统计（出勤率 ${pct(props.dayRate)}）`
      }
      option={
        dueName
          ? groupedBars(
              props.labels,
              [
                { name: dueName, values: props.due, color: DUE_COLOR },
                { name: '全天', values: props.day, color: DAY_COLOR },
              ],
              count,
            )
          : columnBars(props.dayLabels, props.day, count, props.color)
      }
      testValue={props.day[1]}
    />
  );
}

function Ranking(props: {
  id: string;
  title: string;
  rows: readonly RankingRow[];
  color: string;
  onPick(data: unknown): void;
}): JSX.Element {
  return (
    <ChartBox
      id={props.id}
      title={props.title}
      option={rankingBars(props.rows, pct, props.color)}
      onPick={props.onPick}
      testValue={props.rows.length}
    />
  );
}
