import { DIMENSIONS, ROLES, TARGET_TYPES } from '@edu/analytics';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { canSeeItem, isDecider, type User } from '../../auth/user.ts';
import { badRequest, forbidden, HttpError, notFound } from '../../errors.ts';
import { publicUser, requireRole, userOf } from '../auth.ts';
import type { HttpContext } from '../context.ts';
import { parse, route } from '../handler.ts';
import { clientIp } from './auth.ts';

// Every write: acknowledging an alert, 一键监管, user administration. Each checks the user's
// scope, is rate-limited per user, and is audited whether it succeeds or is refused.

const ackBody = z.object({ comment: z.string().max(500).default('') });
const noticeBody = z.object({
  target_type: z.enum(TARGET_TYPES),
  target_id: z.string().min(1).max(64),
  dimension: z.enum(DIMENSIONS),
  subject_id: z.string().min(1).max(128),
  content: z.string().trim().min(1).max(2000),
  deadline: z.iso.datetime({ offset: true }).optional(),
  force: z.boolean().optional(),
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
  const refuse = async (req: Request, action: string, target: string, reason: string): Promise<never> => {
    await audit(req, action, target, false, { reason });
    throw forbidden(reason);
  };

  r.use(writeLimit(ctx));

  r.post(
    '/alerts/:id/ack',
    route(async (req, res) => {
      const user = userOf(req);
      const id = String(req.params.id);
      const body = parse(ackBody, req.body, 'acknowledgement');
      const alert = ctx.alerts.get(id);
      if (!alert) throw notFound(`no alert ${id}`);
      if (!isDecider(user) || !canSeeItem(user, alert.dimension, alert.district_id))
        await refuse(req, 'alert_ack', id, 'this alert is outside your dimensions or districts');
      const next = await ctx.alerts.acknowledge(id, user.user_id, body.comment);
      await audit(req, 'alert_ack', id, true, { comment: body.comment });
      res.json(next);
    }),
  );

  r.post(
    '/notices',
    route(async (req, res) => {
      const user = userOf(req);
      const body = parse(noticeBody, req.body, 'notice');
      if (!isDecider(user))
        await refuse(req, 'notice_issue', body.target_id, 'only leaders and department staff issue notices');
      if (body.target_type === 'school') {
        const school = ctx.geo().schools.get(body.target_id);
        if (!school) throw badRequest(`unknown school ${body.target_id}`);
        if (!canSeeItem(user, body.dimension, school.district_id))
          await refuse(req, 'notice_issue', body.target_id, 'this school or dimension is outside your scope');
      } else if (user.role === 'staff' && !user.dimensions.includes(body.dimension)) {
        await refuse(req, 'notice_issue', body.target_id, `dimension ${body.dimension} is not yours`);
      }
      if (body.deadline && Date.parse(body.deadline) <= ctx.clock.now())
        throw badRequest('deadline must be in the future');
      const key = req.header('idempotency-key') ?? null;
      if (key !== null && !/^[\w.:-]{8,128}$/.test(key))
        throw badRequest('Idempotency-Key must be 8–128 characters of [A-Za-z0-9_.:-]');
      const { notice, replayed } = await ctx.noticeService.issue(user, body, key);
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

  r.get('/admin/users', requireRole('admin'), (_req, res) => {
    res.json({ users: ctx.users.list().map(publicUser) });
  });

  r.post(
    '/admin/users',
    requireRole('admin'),
    route(async (req, res) => {
      const body = parse(newUser, req.body, 'user');
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

  r.patch(
    '/admin/users/:id',
    requireRole('admin'),
    route(async (req, res) => {
      const id = String(req.params.id);
      const change = parse(userPatch, req.body, 'user change');
      const user = await ctx.users.update(id, change, userOf(req).user_id);
      if (!user) throw notFound(`no user ${id}`);
      await audit(req, 'user_update', id, true, change);
      res.json(publicUser(user));
    }),
  );
  return r;
}
