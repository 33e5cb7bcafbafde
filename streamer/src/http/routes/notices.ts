import {
  allowedNoticeDecisions,
  countNotices,
  DIMENSIONS,
  NOTICE_STATES,
  scopeContainsSchool,
  type LoopStep,
  type Notice,
} from '@edu/analytics';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { isDecider, type User } from '../../auth/user.ts';
import { badRequest, forbidden, notFound } from '../../errors.ts';
import { userOf } from '../auth.ts';
import type { HttpContext } from '../context.ts';
import { parse, route } from '../handler.ts';
import { doc } from '../openapi.ts';
import { scopedRead, scopeQuery } from '../scope.ts';
import { auditByUser, writeLimit } from './write.ts';

// The 督办 page's API: notices in the user's scope with where their loop stands, one notice's
// timeline, the rectification events whose notice is unknown (kept and shown), and 销号 /
// 退回重改. Who may see a notice is decided as for 一键监管 (notices/book.ts: staff only when
// every school it concerns is in their districts and its dimension theirs); who may decide on it
// too: leaders and staff (isDecider) who can see it.

const listQuery = z.object({
  state: z.enum(NOTICE_STATES).optional(),
  dimension: z.enum(DIMENSIONS).optional(),
  district: z.string().min(1).max(64).optional(),
  overdue: z.enum(['1', '0', 'true', 'false']).optional(),
});
const decisionBody = z.object({
  content: z.string().trim().max(2000).default(''),
});

export function noticeRoutes(ctx: HttpContext): Router {
  const r = Router();

  /**
   * Notices of the scope the user may see; without a scope, all they may see (staff: all their
   * districts). With `date` and `at`, as they stood at that moment (replay): issued by then, each
   * in its state then.
   */
  const visible = (req: Request): Notice[] => {
    const { scope, named, at, moment } = scopedRead(ctx, req);
    const user = userOf(req);
    const geo = ctx.geo();
    // A notice is in the scope when a school it concerns is (a school-less one: the city's).
    return (at === undefined ? ctx.notices.all() : ctx.notices.asOf(moment.t))
      .filter((n) => {
        const schools = ctx.notices.schoolsOf(n.notice_id) ?? [];
        return !named || scope.kind === 'city' || schools.some((s) => scopeContainsSchool(scope, geo.placeOfSchool(s)));
      })
      .filter((n) => ctx.notices.visibleTo(user, n));
  };

  const named = (steps: readonly Omit<LoopStep, 'by_name'>[]): LoopStep[] =>
    steps.map((s) => ({ ...s, by_name: ctx.users.get(s.by_id)?.name ?? '' }));

  const canDecide = (user: User, n: Notice) => isDecider(user) && ctx.notices.visibleTo(user, n);

  doc(r, 'get', '/notices', {
    summary: 'Notices (督办) the user may see, with where their loop stands',
    query: [scopeQuery, listQuery],
    description:
      'Without `scope`, every notice the user may see (staff: all their districts). With `date` and `at` (HH:MM), the notices as they stood at that moment (回放): those issued by then, each in its state and overdue flag then.',
    returns: '`{notices: Notice[], counts}`: `counts` per state, and `overdue`, of every notice of the scope',
  });
  r.get(
    '/notices',
    route(async (req, res) => {
      const q = parse(listQuery, req.query, 'query');
      const geo = ctx.geo();
      const all = visible(req);
      const counts = countNotices(all);
      const overdue = q.overdue === undefined ? undefined : q.overdue === '1' || q.overdue === 'true';
      const notices = all
        .filter((n) => !q.state || n.state === q.state)
        .filter((n) => !q.dimension || n.dimension === q.dimension)
        .filter((n) => overdue === undefined || n.overdue === overdue)
        .filter(
          (n) =>
            !q.district ||
            (ctx.notices.schoolsOf(n.notice_id) ?? []).some((s) => geo.schools.get(s)?.district_id === q.district),
        )
        .sort((a, b) => (a.ts < b.ts ? 1 : -1));
      res.json({ notices, counts });
    }),
  );

  doc(r, 'get', '/notices/unmatched', {
    summary: 'Receipts and rectifications whose notice is unknown',
    query: scopeQuery,
    returns: '`{items}`, each with its `steps`',
  });
  r.get(
    '/notices/unmatched',
    route(async (req, res) => {
      const { scope } = scopedRead(ctx, req);
      const user = userOf(req);
      const geo = ctx.geo();
      // Without a notice there is no dimension: staff see those of schools in their districts.
      const items = ctx.notices
        .unmatched()
        .filter((u) => {
          const place = geo.placeOfSchool(u.school_id);
          if (u.school_id === '' || !geo.schools.has(u.school_id))
            return user.role !== 'staff' && scope.kind === 'city';
          return (
            scopeContainsSchool(scope, place) && (user.role !== 'staff' || user.districts.includes(place.district_id))
          );
        })
        .map((u) => ({ ...u, steps: named(u.steps) }));
      res.json({ items });
    }),
  );

  doc(r, 'get', '/notices/:id', {
    summary: "One notice's timeline and the decisions this user may take now",
    returns: '`{notice, steps: LoopStep[], allowed}`; 404 for a notice the user may not see',
  });
  r.get(
    '/notices/:id',
    route(async (req, res) => {
      const user = userOf(req);
      const d = ctx.notices.detail(String(req.params.id));
      if (!d || !ctx.notices.visibleTo(user, d.notice)) throw notFound(`no notice ${String(req.params.id)}`);
      res.json({
        notice: d.notice,
        steps: named(d.steps),
        allowed: canDecide(user, d.notice) ? allowedNoticeDecisions(d.notice.state) : [],
      });
    }),
  );

  for (const [path, decision] of [
    ['close', 'closed'],
    ['return', 'returned'],
  ] as const) {
    doc(r, 'post', `/notices/:id/${path}`, {
      summary: decision === 'closed' ? '销号: close a submitted notice' : '退回重改: return a submitted notice',
      body: decisionBody,
      description:
        (decision === 'returned' ? 'The reason (`content`) is required. ' : '') +
        'Leaders and staff who may see the notice; only a `submitted` one (409 `notice_state` otherwise).',
      status: 201,
      returns: '`{event, notice}`: the decision published on edu.supervision.v1 and the notice after it',
    });
    r.post(
      `/notices/:id/${path}`,
      writeLimit(ctx),
      route(async (req, res) => {
        const user = userOf(req);
        const id = String(req.params.id);
        const body = parse(decisionBody, req.body, 'decision');
        const action = `notice_${decision}`;
        const n = ctx.notices.get(id);
        if (!n || !ctx.notices.visibleTo(user, n)) throw notFound(`no notice ${id}`);
        if (!canDecide(user, n)) {
          await auditByUser(ctx, req, action, id, false, { reason: 'not a decider' });
          throw forbidden('only leaders and department staff decide on notices');
        }
        // 退回重改 says what is to be redone; 销号 may go without a word.
        const content = body.content || (decision === 'closed' ? '整改到位，予以销号' : '');
        if (!content) throw badRequest('a return (退回重改) needs its reason in content');
        const out = await ctx.noticeLoop.decide(user, n, decision, content);
        await auditByUser(ctx, req, action, id, true, { decision_id: out.event.notice_id, content });
        res.status(201).json(out);
      }),
    );
  }
  return r;
}
