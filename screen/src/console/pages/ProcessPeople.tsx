import { useState, type JSX } from 'react';
import { DateNav } from '../DateNav.tsx';
import { count } from '../fmt.ts';
import { CERTIFICATE, labelOf } from '../labels.ts';
import { schoolQuery } from '../route.ts';
import { Status } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import type { StudentList, TeacherList } from '../types.ts';

// 过程监管's ways in (manual 4.3): a school's teachers, each opening 一师一表 (those without a
// session this week too), and its students found by a fragment of the name, each opening
// 一生一表. The server matches the name and answers masked names only; no id is shown.

export const STUDENT_PAGE = 20;

/** The week's nav of the timetables: absent when the page has no way to move the day. */
export interface WeekNav {
  date: string | null;
  onDate?(date: string | null): void;
}

export function TeacherRoster({
  path,
  nav,
  onOpen,
}: {
  path: string;
  nav: WeekNav;
  onOpen(id: string, name: string): void;
}): JSX.Element {
  const list = useLoad<TeacherList>(path);
  return (
    <>
      {nav.onDate && <DateNav mode="week" date={nav.date} shown={list.data?.monday ?? null} onDate={nav.onDate} />}
      <Status loaded={list} />
      {list.data && (
        <table className="console-table" data-testid="console-teacher-list">
          <thead>
            <tr>
              <th>教师</th>
              <th>资质</th>
              <th>所属</th>
              <th>课程方资质</th>
              <th data-total="sum">当周节次</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {list.data.teachers.length === 0 && (
              <tr>
                <td className="no-data" colSpan={6}>
                  暂无该校教师的登记或排课
                </td>
              </tr>
            )}
            {list.data.teachers.map((t) => (
              <tr key={t.teacher_id} data-testid="console-teacher-row" data-subject={t.teacher_id}>
                <td className="name">{t.name || '（未登记教师）'}</td>
                <td>{t.name ? labelOf(CERTIFICATE, t.certificate) : '—'}</td>
                <td>{t.provider_id ? t.provider_name || '（未登记课程方）' : t.name ? '本校教师' : '—'}</td>
                <td>{t.provider_qualified === null ? '—' : t.provider_qualified ? '已准入' : '未准入'}</td>
                <td data-key="week_sessions" data-value={t.week_sessions}>
                  {count(t.week_sessions)}
                </td>
                <td className="ops">
                  <button
                    className="small"
                    data-testid="console-action-teacher"
                    onClick={() => onOpen(t.teacher_id, t.name)}
                  >
                    一师一表
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export interface StudentQuery {
  q: string;
  offset: number;
}

export function StudentSearch({
  base,
  school,
  search,
  onSearch,
  onOpen,
}: {
  /** …/process/schools/:school */
  base: string;
  school: string;
  search: StudentQuery;
  onSearch(next: StudentQuery): void;
  onOpen(id: string, maskedName: string): void;
}): JSX.Element {
  const [text, setText] = useState(search.q);
  const list = useLoad<StudentList>(
    `${base}/students${schoolQuery(school, {
      q: search.q || null,
      limit: String(STUDENT_PAGE),
      offset: search.offset ? String(search.offset) : null,
    })}`,
  );
  const total = list.data?.total ?? 0;
  return (
    <>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          onSearch({ q: text.trim(), offset: 0 });
        }}
      >
        <input
          data-testid="console-student-search"
          placeholder="学生姓名（可输入部分）"
          maxLength={50}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" data-testid="console-action-student-search">
          查询
        </button>
        {list.data && (
          <span className="muted" data-testid="console-student-total">
            {search.q ? `姓名含“${search.q}”的学生` : '本校学生'}共 {count(total)} 人
            {total > STUDENT_PAGE && `，第 ${search.offset + 1}–${Math.min(total, search.offset + STUDENT_PAGE)} 人`}
          </span>
        )}
      </form>
      <Status loaded={list} />
      {list.data && (
        <table className="console-table" data-testid="console-student-list">
          <thead>
            <tr>
              <th>学生</th>
              <th>年级</th>
              <th>班级</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {list.data.students.length === 0 && (
              <tr>
                <td className="no-data" colSpan={4}>
                  {search.q ? '没有姓名含此内容的学生' : '本校暂无学生登记'}
                </td>
              </tr>
            )}
            {list.data.students.map((s) => (
              <tr key={s.student_id} data-testid="console-student-row">
                <td className="name">{s.masked_name}</td>
                <td>{s.grade}年级</td>
                <td>{s.class_name}</td>
                <td className="ops">
                  <button
                    className="small"
                    data-testid="console-action-student"
                    onClick={() => onOpen(s.student_id, s.masked_name)}
                  >
                    一生一表
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {total > STUDENT_PAGE && (
        <div className="pager">
          <button
            className="small"
            data-testid="console-student-prev"
            disabled={search.offset === 0}
            onClick={() => onSearch({ ...search, offset: Math.max(0, search.offset - STUDENT_PAGE) })}
          >
            上一页
          </button>
          <button
            className="small"
            data-testid="console-student-next"
            disabled={search.offset + STUDENT_PAGE >= total}
            onClick={() => onSearch({ ...search, offset: search.offset + STUDENT_PAGE })}
          >
            下一页
          </button>
        </div>
      )}
    </>
  );
}
