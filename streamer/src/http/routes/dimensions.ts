import {
  budgetsByChild,
  budgetVsSettled,
  CHART_DIMENSIONS,
  CHART_GROUPS,
  chartsFor,
  chartAttendance,
  chartEnrollment,
  chartRegistry,
  chartScheduling,
  chartSelection,
  chartSettlement,
  chartTotals,
  classReport,
  courseSessions,
  coursesByChild,
  DIMENSIONS,
  feedbackByChild,
  feedbackForTarget,
  feedbackTargetNames,
  feedbackTargets,
  lowScoreRuns,
  MATERIAL_KIND_LABEL,
  materialsByChild,
  participationByChild,
  providerAdmission,
  safetyByChild,
  safetyByCourse,
  schoolBudgets,
  schoolMaterials,
  schoolOfferings,
  schoolStudents,
  schoolTeachers,
  schoolTimetable,
  sessionsByDay,
  studentTimetable,
  teacherAtSchool,
  teacherTimetable,
  termLabel,
  termOfDay,
  type Dimension,
  type Scope,
} from '@edu/analytics';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { allowedDimensions, scopeRefusal } from '../../auth/user.ts';
import { forbidden, notFound, refusalError } from '../../errors.ts';
import { userOf } from '../auth.ts';
import type { HttpContext } from '../context.ts';
import { parse, route } from '../handler.ts';
import { doc } from '../openapi.ts';
import { scopedRead, scopeQuery } from '../scope.ts';
import { toCsv } from '../csv.ts';
import { writeMaterialsZip } from '../../materials/zip.ts';

// The six supervision dimensions and the chart module (manual ch. 4 and §7), read side. Every
// route checks the scope (districts) and the dimension (staff see only their department's).

const TERM_RE = /^\d{4}-(autumn|spring)$/;
const idsQuery = z.object({
  ids: z
    .string()
    .regex(/^[^,]{1,128}(,[^,]{1,128}){0,199}$/, 'must be up to 200 material ids, comma-separated')
    .transform((s) => s.split(','))
    .optional()
    .describe("material ids, comma-separated; absent, all of the school's"),
});
const termQuery = z.object({
  term: z
    .string()
    .regex(TERM_RE, 'must be YYYY-autumn or YYYY-spring')
    .optional()
    .describe('YYYY-autumn or YYYY-spring; absent, the term of the day'),
});
/** 一生一表's way in: a fragment of a student's name (or a whole id), one page of the list. */
const studentSearchQuery = z.object({
  q: z.string().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  offset: z.coerce.number().int().min(0).max(100_000).optional(),
});
const feedbackParams = z.object({ target: z.enum(['course', 'teacher', 'provider', 'operator']), id: z.string() });
const chartParams = z.object({ chart: z.enum(CHART_GROUPS) });
/** A school route's query: its scope is the path's school, so `scope` is not read. */
const SCHOOL_QUERY = [scopeQuery.omit({ scope: true }), termQuery] as const;

export function dimensionRoutes(ctx: HttpContext): Router {
  const r = Router();

  /** Scope, day and term of a dimension read, after the scope and dimension checks. */
  const read = (req: Request, dimension: Dimension | null, scopeText?: string) => {
    const { scope, day, at, moment } = scopedRead(ctx, req, scopeText);
    if (dimension && !allowedDimensions(userOf(req)).includes(dimension))
      throw forbidden(`the ${dimension} dimension is not among yours`, 'dimension_not_yours', { dimension });
    const q = parse(termQuery, { term: req.query.term }, 'query');
    return { scope, day, at, moment, term: q.term ?? termOfDay(day) };
  };
  /** A school route: the school must be known and inside the user's districts. */
  const school = (req: Request, dimension: Dimension) => {
    const id = String(req.params.school);
    if (!ctx.geo().schools.has(id)) throw notFound(`no school ${id}`, 'no_school');
    const scope: Scope = { kind: 'school', id };
    const refusal = scopeRefusal(userOf(req), scope, ctx.geo());
    if (refusal) throw refusalError(refusal);
    // The path names the school: that is the scope (Express 5's req.query cannot be assigned).
    return { id, ...read(req, dimension, `school:${id}`) };
  };

  // 项目制度 / 材料公示
  doc(r, 'get', '/dimensions/material', {
    summary: '材料公示: materials published, per child place of the scope',
    query: [scopeQuery, termQuery],
    returns: '`{term, rows}`',
  });
  r.get(
    '/dimensions/material',
    route(async (req, res) => {
      const q = read(req, 'material');
      res.json({ term: q.term, rows: await materialsByChild(ctx.store, q.scope, q.term) });
    }),
  );
  doc(r, 'get', '/dimensions/material/schools/:school', {
    summary: "A school's published materials",
    query: SCHOOL_QUERY,
    returns: '`{term, materials}`, each with its latest `decision`',
  });
  r.get(
    '/dimensions/material/schools/:school',
    route(async (req, res) => {
      const q = school(req, 'material');
      res.json({ term: q.term, materials: await schoolMaterials(ctx.store, q.id, q.term) });
    }),
  );
  doc(r, 'get', '/dimensions/material/schools/:school/list.csv', {
    summary: "A school's materials as CSV",
    query: SCHOOL_QUERY,
    produces: 'text/csv',
    returns: 'CSV: material_id, kind, title, file_url, ts, decision',
  });
  r.get(
    '/dimensions/material/schools/:school/list.csv',
    route(async (req, res) => {
      const q = school(req, 'material');
      const rows = await schoolMaterials(ctx.store, q.id, q.term);
      sendCsv(
        res,
        `materials-${q.id}-${q.term}.csv`,
        ['material_id', 'kind', 'title', 'file_url', 'ts', 'decision'],
        rows.map((m) => [m.material_id, m.kind, m.title, m.file_url, m.ts, m.decision?.decision ?? '']),
      );
    }),
  );

  doc(r, 'get', '/dimensions/material/schools/:school/files.zip', {
    summary: '批量下载公示材料: chosen materials of a school as one zip',
    query: [...SCHOOL_QUERY, idsQuery],
    produces: 'application/zip',
    returns:
      "a zip of the files; one that cannot be fetched is listed inside with the reason. 404 `no_material` when none is the school's",
  });
  r.get(
    '/dimensions/material/schools/:school/files.zip',
    route(async (req, res) => {
      const q = school(req, 'material');
      const wanted = parse(idsQuery, { ids: req.query.ids }, 'query').ids;
      const all = await schoolMaterials(ctx.store, q.id, q.term);
      const chosen = wanted ? all.filter((m) => wanted.includes(m.material_id)) : all;
      if (!chosen.length) throw notFound('none of these materials is published by this school', 'no_material');
      const name = ctx.geo().schools.get(q.id)?.name ?? q.id;
      res.setHeader('content-type', 'application/zip');
      res.setHeader(
        'content-disposition',
        `attachment; filename="materials-${q.id}.zip"; filename*=UTF-8''${encodeURIComponent(`${name}-公示材料-${termLabel(q.term)}.zip`)}`,
      );
      await writeMaterialsZip(
        res,
        chosen.map((m) => ({ ...m, kindLabel: MATERIAL_KIND_LABEL[m.kind] ?? m.kind })),
        ctx.config.files,
        `${req.protocol}://${req.get('host') ?? ''}`,
      );
    }),
  );

  // 项目审计 / 经费预算
  doc(r, 'get', '/dimensions/budget', {
    summary: '经费预算: budgets per child place of the scope, counted by state',
    query: [scopeQuery, termQuery],
    returns: '`{term, rows}`',
  });
  r.get(
    '/dimensions/budget',
    route(async (req, res) => {
      const q = read(req, 'budget');
      res.json({ term: q.term, rows: await budgetsByChild(ctx.store, q.scope, q.term) });
    }),
  );
  doc(r, 'get', '/dimensions/budget/schools/:school', {
    summary: "A school's budgets and settled amounts against them",
    query: SCHOOL_QUERY,
    returns: '`{term, budgets, settled_vs_budget}`',
  });
  r.get(
    '/dimensions/budget/schools/:school',
    route(async (req, res) => {
      const q = school(req, 'budget');
      const [budgets, check] = await Promise.all([
        schoolBudgets(ctx.store, q.id, q.term),
        budgetVsSettled(ctx.store, q.id, q.term),
      ]);
      res.json({ term: q.term, budgets, settled_vs_budget: check });
    }),
  );
  doc(r, 'get', '/dimensions/budget/schools/:school/report.csv', {
    summary: "A school's budget items as CSV",
    query: SCHOOL_QUERY,
    produces: 'text/csv',
    returns: 'CSV: budget_id, category, course_id, item, amount_yuan, decision',
  });
  r.get(
    '/dimensions/budget/schools/:school/report.csv',
    route(async (req, res) => {
      const q = school(req, 'budget');
      const budgets = await schoolBudgets(ctx.store, q.id, q.term);
      const rows = budgets.flatMap((b) =>
        b.items.map((i) => [
          b.budget_id,
          i.category,
          i.course_id ?? '',
          i.name,
          (i.amount / 100).toFixed(2),
          b.decision?.decision ?? '',
        ]),
      );
      sendCsv(
        res,
        `budget-${q.id}-${q.term}.csv`,
        ['budget_id', 'category', 'course_id', 'item', 'amount_yuan', 'decision'],
        rows,
      );
    }),
  );

  // 项目内容 / 过程监管: participation, 一校一表, 一师一表, 一生一表
  doc(r, 'get', '/dimensions/process', {
    summary: '过程监管: participation per child place of the scope, and the term’s sessions per day',
    query: [scopeQuery, termQuery],
    description:
      'With `date` and `at` (HH:MM), every figure as it stood at that moment (回放): offerings, sessions scheduled, held, completed and prepared, enrollments and decisions by then.',
    returns: '`{term, rows, days}`: days from the first to the last with a session (analytics `sessionsByDay`)',
  });
  r.get(
    '/dimensions/process',
    route(async (req, res) => {
      const q = read(req, 'process');
      const [rows, days] = await Promise.all([
        participationByChild(ctx.store, q.scope, q.term, q.moment.eventsUpTo),
        sessionsByDay(ctx.store, q.scope, q.term, q.moment.eventsUpTo),
      ]);
      res.json({ term: q.term, rows, days });
    }),
  );
  doc(r, 'get', '/dimensions/process/schools/:school/timetable', {
    summary: "一校一表: a school's sessions of the week of `date`",
    query: SCHOOL_QUERY,
    returns: 'the school timetable (analytics `schoolTimetable`)',
  });
  r.get(
    '/dimensions/process/schools/:school/timetable',
    route(async (req, res) => {
      const q = school(req, 'process');
      res.json(await schoolTimetable(ctx.store, q.id, q.day));
    }),
  );
  doc(r, 'get', '/dimensions/process/schools/:school/teachers/:teacher/timetable', {
    summary: "一师一表: a teacher's sessions at this school",
    query: SCHOOL_QUERY,
    returns: "the teacher's timetable at this school; 404 `no_teacher` for a teacher who is not the school's",
  });
  r.get(
    '/dimensions/process/schools/:school/teachers/:teacher/timetable',
    route(async (req, res) => {
      const q = school(req, 'process');
      const teacher = String(req.params.teacher);
      // Through a school, only its teachers and only their sessions there: a teacher who also
      // teaches in another district must not open that district's timetable. Another school's
      // teacher is answered exactly as a missing one.
      if (!(await teacherAtSchool(ctx.store, teacher, q.id)))
        throw notFound(`no teacher ${teacher} at school ${q.id}`, 'no_teacher');
      res.json(await teacherTimetable(ctx.store, teacher, q.day, q.id));
    }),
  );
  doc(r, 'get', '/dimensions/process/schools/:school/students/:student/timetable', {
    summary: "一生一表: a student's sessions",
    query: SCHOOL_QUERY,
    returns: "the student's timetable; 404 `no_student` for a student not enrolled at the school",
  });
  r.get(
    '/dimensions/process/schools/:school/students/:student/timetable',
    route(async (req, res) => {
      const q = school(req, 'process');
      const t = await studentTimetable(ctx.store, String(req.params.student), q.day);
      // A student is shown only through a school the user may see, and only if enrolled there.
      // Another school's student is answered exactly as a missing one: ids cannot be probed.
      if (!t.student || t.student.school_id !== q.id)
        throw notFound(`no student ${String(req.params.student)} at school ${q.id}`, 'no_student');
      res.json(t);
    }),
  );

  doc(r, 'get', '/dimensions/process/schools/:school/students', {
    summary: "A school's students by a fragment of the name or an id (一生一表's way in)",
    query: [...SCHOOL_QUERY, studentSearchQuery],
    returns: '`{total, students}`: `{student_id, masked_name, grade, class_name}`, never the full name',
  });
  r.get(
    '/dimensions/process/schools/:school/students',
    route(async (req, res) => {
      const q = school(req, 'process');
      const search = parse(
        studentSearchQuery,
        { q: req.query.q, limit: req.query.limit, offset: req.query.offset },
        'query',
      );
      // Only the school's own students, masked: the name is matched in the store, never sent.
      res.json(await schoolStudents(ctx.store, q.id, search));
    }),
  );
  doc(r, 'get', '/dimensions/process/schools/:school/teachers', {
    summary: "A school's teachers, with or without sessions in the week of `date` (一师一表's way in)",
    query: SCHOOL_QUERY,
    returns: '`{monday, sunday, teachers}`: certificate, provider, `week_sessions`',
  });
  r.get(
    '/dimensions/process/schools/:school/teachers',
    route(async (req, res) => {
      const q = school(req, 'process');
      res.json(await schoolTeachers(ctx.store, q.id, q.day));
    }),
  );

  // 项目许可 / 开课审批
  doc(r, 'get', '/dimensions/course', {
    summary: '开课审批: offerings per child place of the scope, counted by state',
    query: [scopeQuery, termQuery],
    returns: '`{term, rows}`',
  });
  r.get(
    '/dimensions/course',
    route(async (req, res) => {
      const q = read(req, 'course');
      res.json({ term: q.term, rows: await coursesByChild(ctx.store, q.scope, q.term) });
    }),
  );
  doc(r, 'get', '/dimensions/course/admission', {
    summary: '准入审核: the providers of the scope with channel, qualification, teachers and admission state',
    query: [scopeQuery],
    returns:
      '`{rows, states}`; decide with POST /decisions (dimension `course`, target_type `provider`, subject_id `provider:<id>`)',
  });
  r.get(
    '/dimensions/course/admission',
    route(async (req, res) => {
      const q = read(req, 'course');
      res.json(await providerAdmission(ctx.store, q.scope));
    }),
  );
  doc(r, 'get', '/dimensions/course/schools/:school', {
    summary: "A school's offerings with their decisions",
    query: SCHOOL_QUERY,
    returns: '`{term, offerings}`',
  });
  r.get(
    '/dimensions/course/schools/:school',
    route(async (req, res) => {
      const q = school(req, 'course');
      res.json({ term: q.term, offerings: await schoolOfferings(ctx.store, q.id, q.term) });
    }),
  );

  // 项目管理 / 安全监管: school → course → session, 学情汇报
  doc(r, 'get', '/dimensions/safety', {
    summary: '安全监管: check-ins of the day per child place of the scope',
    query: [scopeQuery, termQuery],
    returns: '`{date, rows}`',
  });
  r.get(
    '/dimensions/safety',
    route(async (req, res) => {
      const q = read(req, 'safety');
      res.json({ date: q.day, rows: await safetyByChild(ctx.store, q.scope, q.day, q.moment) });
    }),
  );
  doc(r, 'get', '/dimensions/safety/schools/:school', {
    summary: "A school's courses of the day with their check-ins",
    query: SCHOOL_QUERY,
    returns: '`{date, courses}`',
  });
  r.get(
    '/dimensions/safety/schools/:school',
    route(async (req, res) => {
      const q = school(req, 'safety');
      res.json({ date: q.day, courses: await safetyByCourse(ctx.store, q.id, q.day, q.moment) });
    }),
  );
  doc(r, 'get', '/dimensions/safety/schools/:school/courses/:course/sessions', {
    summary: "A course's sessions of the day at a school",
    query: SCHOOL_QUERY,
    returns: '`{date, sessions}`',
  });
  r.get(
    '/dimensions/safety/schools/:school/courses/:course/sessions',
    route(async (req, res) => {
      const q = school(req, 'safety');
      res.json({
        date: q.day,
        sessions: await courseSessions(ctx.store, q.id, String(req.params.course), q.day, q.moment),
      });
    }),
  );
  doc(r, 'get', '/dimensions/safety/schools/:school/sessions/:session/report', {
    summary: '学情汇报 of a session',
    query: SCHOOL_QUERY,
    returns: 'the class report; 404 `no_class_report`',
  });
  r.get(
    '/dimensions/safety/schools/:school/sessions/:session/report',
    route(async (req, res) => {
      const q = school(req, 'safety');
      const report = await classReport(ctx.store, q.id, String(req.params.session));
      if (!report) throw notFound(`no class report for session ${String(req.params.session)}`, 'no_class_report');
      res.json(report);
    }),
  );

  // 评价反馈
  doc(r, 'get', '/dimensions/feedback', {
    summary: '评价反馈: scores per child place of the scope and runs of low scores',
    query: [scopeQuery, termQuery],
    returns: '`{term, rows, targets, low_score_runs}`: targets and runs carry their registry names',
  });
  r.get(
    '/dimensions/feedback',
    route(async (req, res) => {
      const q = read(req, 'feedback');
      const [rows, targets, runs] = await Promise.all([
        feedbackByChild(ctx.store, q.scope, q.term),
        feedbackTargets(ctx.store, q.scope, q.term),
        lowScoreRuns(ctx.store, q.scope),
      ]);
      const names = await feedbackTargetNames(ctx.store, runs);
      res.json({
        term: q.term,
        rows,
        targets,
        low_score_runs: runs.map((r) => ({ ...r, name: names.get(`${r.target}:${r.target_id}`) ?? '' })),
      });
    }),
  );
  doc(r, 'get', '/dimensions/feedback/:target/:id', {
    summary: 'Feedback on one course, teacher, provider or operator within the scope',
    query: [scopeQuery, termQuery],
    params: feedbackParams,
    returns: '`{term, items}`',
  });
  r.get(
    '/dimensions/feedback/:target/:id',
    route(async (req, res) => {
      const q = read(req, 'feedback');
      const { target } = parse(feedbackParams, req.params, 'target');
      res.json({
        term: q.term,
        items: await feedbackForTarget(ctx.store, q.scope, target, String(req.params.id), q.term),
      });
    }),
  );

  // 图表 (§7): one route per chart group
  doc(r, 'get', '/charts/:chart', {
    summary: '图表 (manual §7): one chart group of the scope',
    query: [scopeQuery, termQuery],
    params: chartParams,
    returns: '`{chart, term, date, data}`; staff get it only when every dimension it draws on is theirs',
  });
  r.get(
    '/charts/:chart',
    route(async (req, res) => {
      const { chart } = parse(chartParams, req.params, 'chart');
      const q = read(req, null);
      // A chart shows the figures of the dimensions it draws on (analytics' CHART_DIMENSIONS):
      // staff see it only when all of them are theirs.
      const mine = allowedDimensions(userOf(req));
      const missing = CHART_DIMENSIONS[chart].find((d) => !mine.includes(d));
      if (missing)
        throw forbidden(`the ${missing} dimension is not among yours (chart ${chart})`, 'dimension_not_yours', {
          dimension: missing,
        });
      const data =
        chart === 'totals'
          ? await chartTotals(ctx.store, q.scope, q.term)
          : chart === 'registry'
            ? await chartRegistry(ctx.store, q.scope)
            : chart === 'selection'
              ? await chartSelection(ctx.store, q.scope, q.term)
              : chart === 'scheduling'
                ? await chartScheduling(ctx.store, q.scope, q.term)
                : chart === 'enrollment'
                  ? await chartEnrollment(ctx.store, q.scope, q.term)
                  : chart === 'attendance'
                    ? await chartAttendance(ctx.store, q.scope, q.day, ctx.clock.now(), q.at)
                    : await chartSettlement(ctx.store, q.scope, q.term);
      res.json({ chart, term: q.term, date: q.day, data });
    }),
  );

  doc(r, 'get', '/dimensions', {
    summary: 'The dimensions and chart groups the user may open',
    returns: '`{dimensions, charts}`',
  });
  r.get('/dimensions', (req, res) => {
    const mine = allowedDimensions(userOf(req));
    res.json({ dimensions: DIMENSIONS.filter((d) => mine.includes(d)), charts: chartsFor(mine) });
  });
  return r;
}

function sendCsv(
  res: import('express').Response,
  filename: string,
  header: string[],
  rows: (string | number)[][],
): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`);
  // A BOM so that Excel opens the Chinese text as UTF-8.
  res.send(`\uFEFF${toCsv([header, ...rows])}`);
}
