import { DIMENSIONS, ROLES, TARGET_TYPES } from '@edu/analytics';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { canSeeItem, isDecider, type User } from '../../auth/user.ts';
import { isScopeRefusal, placeWrite } from '../../decisions/subjects.ts';
import { badRequest, HttpError, notFound, refusalError, type Refusal } from '../../errors.ts';
import { publicUser, requireRole, userOf } from '../auth.ts';
import type { HttpContext } from '../context.ts';
import { parse, route } from '../handler.ts';
import { doc } from '../openapi.ts';
import { clientIp } from './auth.ts';

// Every write: acknowledging an alert, 一键监管, user administration. Each checks the user's
// scope, is rate-limited per user, and is audited whether it succeeds or is refused. A notice
// is placed by its subject (decisions/subjects.ts): the subject must be the target's and
// every school it affects in the user's districts; unknown ids are 404 and nothing is sent.

const ackBody = z.object({ comment: z.string().max(500).default('') });
const noticeBody = z.object({
  target_type: z.enum(TARGET_TYPES),
  target_id: z.string().min(1).max(64),
  dimension: z.enum(DIMENSIONS),
  subject_id: z.string().min(1).max(128),
  content: z.string().trim().min(1).max(2000),
  deadline: z.iso.datetime({ offset: true }).optional(),
  force: z.boolean().optional(),
  /** For a provider or operator target: the school the notice concerns. */
  school_id: z.string().min(1).max(64).optional(),
});
const userPatch = z
  .object({
    role: z.enum(ROLES).optional(),
    name: z.string().min(1).max(50).optional(),
    dimensions: z.array(z.enum(DIMENSIONS)).max(DIMENSIONS.length).optional(),
    districts: z.array(z.string().min(1).max(64)).max(100).optional(),
    disabled: z.boolean().optional(),
  })
  .strict();
const newUser = z
  .object({
    phone: z.string().regex(/^1\d{10}$/, 'must be an 11-digit mobile number'),
    name: z.string().min(1).max(50),
    role: z.enum(ROLES),
    dimensions: z.array(z.enum(DIMENSIONS)).default([...DIMENSIONS]),
    districts: z.array(z.string().min(1).max(64)).default([]),
  })
  .strict();

const WRITES_PER_MINUTE = 120;

/** Per-user rate limit on writes, across instances (SharedState). */
export function writeLimit(ctx: HttpContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'GET') return next();
    const u = userOf(req);
    ctx.shared.incr(`rate:write:${u.user_id}`, 60_000).then((n) => {
      if (n <= WRITES_PER_MINUTE) return next();
      res.setHeader('Retry-After', '60');
      next(new HttpError(429, 'throttled', `more than ${WRITES_PER_MINUTE} writes a minute`));
    }, next);
  };
}

/** Audits an action (or a refusal) of the signed-in user. */
export function auditByUser(
  ctx: HttpContext,
  req: Request,
  action: string,
  target: string,
  ok: boolean,
  detail: Record<string, unknown> = {},
) {
  const u = req.user as User;
  return ctx.audit.record({ actor_id: u.user_id, actor_role: u.role, action, target, ok, ip: clientIp(req), detail });
}

export function writeRoutes(ctx: HttpContext): Router {
  const r = Router();
  const audit = (req: Request, action: string, target: string, ok: boolean, detail: Record<string, unknown> = {}) =>
    auditByUser(ctx, req, action, target, ok, detail);
  /** Refusals are audited too: an escalation attempt leaves a trace. */
  const refuse = async (req: Request, action: string, target: string, r: Refusal): Promise<never> => {
    await audit(req, action, target, false, { reason: r.message });
    throw refusalError(r);
  };

  r.use(writeLimit(ctx));

  doc(r, 'post', '/alerts/:id/ack', {
    summary: 'Acknowledge an alert',
    body: ackBody,
    roles: ['leader', 'staff'],
    returns: '`Alert`',
  });
  r.post(
    '/alerts/:id/ack',
    route(async (req, res) => {
      const user = userOf(req);
      const id = String(req.params.id);
      const body = parse(ackBody, req.body, 'acknowledgement');
      const alert = ctx.alerts.get(id);
      if (!alert) throw notFound(`no alert ${id}`, 'no_alert');
      // The alert's school as the registry places it now (a school may have moved district).
      const district = ctx.geo().schools.get(alert.school_id)?.district_id ?? alert.district_id;
      if (!isDecider(user) || !canSeeItem(user, alert.dimension, district))
        await refuse(req, 'alert_ack', id, {
          code: 'alert_outside_scope',
          message: 'this alert is outside your dimensions or districts',
        });
      const next = await ctx.alerts.acknowledge(id, user.user_id, body.comment);
      await audit(req, 'alert_ack', id, true, { comment: body.comment });
      res.json(next);
    }),
  );

  doc(r, 'post', '/notices', {
    summary: '一键监管: issue a supervision notice',
    body: noticeBody,
    roles: ['leader', 'staff'],
    headers: { 'Idempotency-Key': '8–128 characters of [A-Za-z0-9_.:-]; a replay of the same body answers 200' },
    description:
      '409 `notice_exists` with the open `notice` (send `force: true` to issue beside it); 422 for a key reused with another body.',
    status: 201,
    returns: '`Notice` (200 with `Idempotent-Replayed: true` on a replay)',
  });
  r.post(
    '/notices',
    route(async (req, res) => {
      const user = userOf(req);
      const body = parse(noticeBody, req.body, 'notice');
      if (!isDecider(user))
        await refuse(req, 'notice_issue', body.target_id, {
          code: 'not_decider',
          message: 'only leaders and department staff issue notices',
        });
      if (body.deadline && Date.parse(body.deadline) <= ctx.clock.now())
        throw badRequest('deadline must be in the future', {}, 'deadline_past');
      const key = req.header('idempotency-key') ?? null;
      if (key !== null && !/^[\w.:-]{8,128}$/.test(key))
        throw badRequest('Idempotency-Key must be 8–128 characters of [A-Za-z0-9_.:-]', {}, 'invalid_idempotency_key');
      const place = await placeWrite(
        { store: ctx.store, geo: ctx.geo, alerts: ctx.alerts, notices: ctx.notices },
        user,
        body,
        'notice',
      ).catch(async (err: unknown) => {
        const reason = (err as Error).message;
        if (isScopeRefusal(err)) {
          const e = err as HttpError;
          await refuse(req, 'notice_issue', body.target_id, { code: e.code, message: reason, extra: e.extra });
        }
        await audit(req, 'notice_issue', body.target_id, false, { reason, subject: body.subject_id });
        throw err;
      });
      const { notice, replayed } = await ctx.noticeService.issue(user, body, key, place.schools);
      if (!replayed)
        await audit(req, 'notice_issue', notice.notice_id, true, {
          target: body.target_id,
          dimension: body.dimension,
          subject: body.subject_id,
        });
      if (replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(replayed ? 200 : 201).json(notice);
    }),
  );

  doc(r, 'get', '/admin/users', { summary: 'Every user', roles: ['admin'], returns: '`{users}`' });
  r.get('/admin/users', requireRole('admin'), (_req, res) => {
    res.json({ users: ctx.users.list().map(publicUser) });
  });

  /** Districts the registry does not know are refused (400), never stored on a user. */
  const knownDistricts = (districts: readonly string[] | undefined) => {
    if (!districts) return;
    const unknown = districts.filter((d) => !ctx.geo().districts.has(d));
    if (unknown.length)
      throw badRequest(
        `unknown district(s): ${unknown.join(', ')}`,
        { unknown_districts: unknown },
        'unknown_district',
      );
  };

  doc(r, 'post', '/admin/users', {
    summary: 'Create a user (initial password 123456, changed at first login)',
    roles: ['admin'],
    body: newUser,
    status: 201,
    returns: '`user`; 409 `user_exists` for a phone in use, 400 `unknown_district`',
  });
  r.post(
    '/admin/users',
    requireRole('admin'),
    route(async (req, res) => {
      const body = parse(newUser, req.body, 'user');
      knownDistricts(body.districts);
      if (ctx.users.credentialsByPhone(body.phone))
        throw new HttpError(409, 'user_exists', `a user with phone ${body.phone} exists`);
      const user = await ctx.users.create(body, userOf(req).user_id);
      await audit(req, 'user_create', user.user_id, true, {
        role: body.role,
        districts: body.districts,
        dimensions: body.dimensions,
      });
      res.status(201).json(publicUser(user));
    }),
  );

  doc(r, 'patch', '/admin/users/:id', {
    summary: "Change a user's role, name, dimensions, districts or disabled flag",
    roles: ['admin'],
    body: userPatch,
    description:
      'Takes effect at once: a change of what the user may do ends their sessions and sockets. 409 `last_admin` when no enabled administrator would be left.',
    returns: '`user`',
  });
  r.patch(
    '/admin/users/:id',
    requireRole('admin'),
    route(async (req, res) => {
      const id = String(req.params.id);
      const change = parse(userPatch, req.body, 'user change');
      knownDistricts(change.districts);
      const cur = ctx.users.get(id);
      if (!cur) throw notFound(`no user ${id}`, 'no_user');
      // Nobody would be left to manage users: refused, for oneself as for anyone.
      const stillAdmin = (change.role ?? cur.role) === 'admin' && !(change.disabled ?? cur.disabled);
      if (cur.role === 'admin' && !cur.disabled && !stillAdmin) {
        const others = ctx.users.list().filter((u) => u.user_id !== id && u.role === 'admin' && !u.disabled);
        if (others.length === 0) {
          await audit(req, 'user_update', id, false, { ...change, reason: 'last enabled administrator' });
          throw new HttpError(409, 'last_admin', 'this is the last enabled administrator: appoint another one first');
        }
      }
      // A change of what the user may do ends every session and socket of theirs; so does
      // disabling (and re-enabling brings no old session back).
      const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();
      const powers =
        (change.role !== undefined && change.role !== cur.role) ||
        (change.disabled !== undefined && change.disabled !== cur.disabled) ||
        (change.districts !== undefined && !same(change.districts, cur.districts)) ||
        (change.dimensions !== undefined && !same(change.dimensions, cur.dimensions));
      if (powers) await ctx.sessions.endAll(id);
      const user = await ctx.users.update(id, change, userOf(req).user_id);
      if (!user) throw notFound(`no user ${id}`, 'no_user');
      await audit(req, 'user_update', id, true, { ...change, ...(powers ? { sessions_ended: true } : {}) });
      res.json(publicUser(user));
    }),
  );
  return r;
}
