import type { JSX } from 'react';
import { clock } from './fmt.ts';
import { labelOf, SESSION_STATE } from './labels.ts';
import type { Timetable } from './types.ts';

// A week's timetable (一校一表 / 一师一表 / 一生一表) as seven day columns, Monday first. A course
// or teacher the registry does not know shows as such, never as the school's raw id.

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const DAY_MS = 86_400_000;

function weekDays(monday: string): string[] {
  const start = Date.parse(`${monday}T00:00:00Z`);
  return WEEKDAYS.map((_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
}

export function WeekGrid({
  timetable,
  present,
  onTeacher,
}: {
  timetable: Timetable;
  /** 一生一表: the sessions the student checked in to. */
  present?: ReadonlySet<string>;
  /** 一校一表: a teacher's name opens 一师一表. */
  onTeacher?: (teacherId: string) => void;
}): JSX.Element {
  const days = weekDays(timetable.monday);
  return (
    <div className="week-grid" data-testid="console-timetable" data-sessions={timetable.sessions.length}>
      {days.map((day, i) => {
        const sessions = timetable.sessions.filter((s) => s.planned_start.slice(0, 10) === day);
        return (
          <div className="week-day" key={day}>
            <div className="week-head">
              {WEEKDAYS[i]} <span className="muted">{day.slice(5)}</span>
            </div>
            {sessions.length === 0 && <div className="muted empty">无课</div>}
            {sessions.map((s) => (
              <div
                key={s.session_id}
                className={`week-session state-${s.state}`}
                data-testid="console-session"
                data-subject={s.session_id}
              >
                <div className="time">
                  {clock(s.planned_start)}–{clock(s.planned_end)}
                </div>
                <div className="course">{s.course_name || '（未登记课程）'}</div>
                <div>
                  {onTeacher ? (
                    <button
                      className="link"
                      data-testid="console-teacher"
                      data-teacher={s.teacher_id}
                      onClick={() => onTeacher(s.teacher_id)}
                    >
                      {s.teacher_name || '（未登记教师）'}
                    </button>
                  ) : (
                    s.teacher_name || '（未登记教师）'
                  )}
                  <span className="muted"> · {s.room}</span>
                </div>
                <div className="muted">
                  {labelOf(SESSION_STATE, s.state)}
                  {present ? (present.has(s.session_id) ? ' · 已签到' : ' · 未签到') : ''}
                </div>
              </div>
            ))}
          </div>
        );
      })}
    </div>
  );
}
