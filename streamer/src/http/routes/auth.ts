import { Router, type Request } from 'express';
import { z } from 'zod';
import { hashPassword, passwordProblem, verifyPassword } from '../../auth/passwords.ts';
import { badRequest, forbidden, HttpError, unauthorized } from '../../errors.ts';
import { publicUser, requireUser, userOf } from '../auth.ts';
import type { HttpContext } from '../context.ts';
import { parse, route } from '../handler.ts';

// Login by phone number and password (manual ch. 3). Failures are throttled per phone and per
// client address; the answer never says whether the phone exists.

const loginBody = z.object({
  phone: z.string().regex(/^1\d{10}$/, 'must be an 11-digit mobile number'),
  password: z.string().min(1).max(128),
});
const passwordBody = z.object({ old_password: z.string().min(1).max(128), new_password: z.string().min(1).max(128) });

export const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? '';

export function authRoutes(ctx: HttpContext): Router {
  const r = Router();
  const session = async (userId: string) => {
    const s = await ctx.sessions.create(userId);
    return { token: s.token, expires_at: new Date(ctx.clock.now() + s.expires_in * 1000).toISOString() };
  };

  r.post(
    '/login',
    route(async (req, res) => {
      const body = parse(loginBody, req.body, 'login');
      const ip = clientIp(req);
      const wait = await ctx.throttle.retryAfterMs(body.phone, ip);
      if (wait > 0) {
        res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
        await ctx.audit.record({
          actor_id: body.phone,
          actor_role: '',
          action: 'login',
          target: body.phone,
          ok: false,
          ip,
          detail: { reason: 'throttled' },
        });
        throw new HttpError(429, 'throttled', `too many failed logins; try again in ${Math.ceil(wait / 1000)} s`);
      }
      const row = ctx.users.credentialsByPhone(body.phone);
      const ok = row !== null && !row.disabled && (await verifyPassword(body.password, row.password_hash));
      await ctx.audit.record({
        actor_id: row?.user_id ?? body.phone,
        actor_role: row?.role ?? '',
        action: 'login',
        target: body.phone,
        ok,
        ip,
        detail: {},
      });
      if (!ok || !row) {
        await ctx.throttle.failed(body.phone, ip);
        throw unauthorized('wrong phone number or password');
      }
      await ctx.throttle.succeeded(body.phone);
      const user = ctx.users.get(row.user_id);
      if (!user) throw unauthorized('wrong phone number or password');
      res.json({ ...(await session(user.user_id)), user: publicUser(user) });
    }),
  );

  r.post(
    '/password',
    requireUser(ctx, { allowInitialPassword: true }),
    route(async (req, res) => {
      const user = userOf(req);
      const body = parse(passwordBody, req.body, 'password change');
      const row = ctx.users.credentialsByPhone(user.phone);
      const ip = clientIp(req);
      if (!row || !(await verifyPassword(body.old_password, row.password_hash))) {
        await ctx.audit.record({
          actor_id: user.user_id,
          actor_role: user.role,
          action: 'password_change',
          target: user.user_id,
          ok: false,
          ip,
          detail: { reason: 'wrong old password' },
        });
        throw forbidden('the old password is wrong');
      }
      const problem = passwordProblem(body.new_password);
      if (problem) throw badRequest(problem);
      const updated = await ctx.users.setPassword(user.user_id, await hashPassword(body.new_password));
      if (req.token) await ctx.sessions.revoke(req.token);
      await ctx.audit.record({
        actor_id: user.user_id,
        actor_role: user.role,
        action: 'password_change',
        target: user.user_id,
        ok: true,
        ip,
        detail: {},
      });
      res.json({ ...(await session(user.user_id)), user: publicUser(updated ?? user) });
    }),
  );

  r.post(
    '/logout',
    requireUser(ctx, { allowInitialPassword: true }),
    route(async (req, res) => {
      if (req.token) await ctx.sessions.revoke(req.token);
      res.status(204).end();
    }),
  );
  return r;
}
