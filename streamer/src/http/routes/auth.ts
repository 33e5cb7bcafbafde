import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { hashPassword, passwordProblem, verifyPassword } from '../../auth/passwords.ts';
import { badRequest, forbidden, HttpError, unauthorized } from '../../errors.ts';
import { publicUser, requireUser, userOf } from '../auth.ts';
import type { HttpContext } from '../context.ts';
import { parse, route } from '../handler.ts';
import { doc } from '../openapi.ts';

// Login by phone number and password (manual ch. 3). Failures are throttled per phone and
// source, per source and per phone (auth/throttle.ts); the answer never says whether the phone
// exists, and neither does the time it takes: a phone without an account is checked against a
// dummy hash, as a disabled account is checked against its own. A wrong old password on a
// password change counts as a failed login of that phone. A password change ends every
// session of the user (auth/sessions.ts) and answers with a new one.

const loginBody = z.object({
  phone: z.string().regex(/^1\d{10}$/, 'must be an 11-digit mobile number'),
  password: z.string().min(1).max(128),
});
const passwordBody = z.object({ old_password: z.string().min(1).max(128), new_password: z.string().min(1).max(128) });

/** The client address, as far as the configured proxy hops are trusted (EDU_TRUST_PROXY). */
export const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? '';

/** A hash of a random password, verified against when no real one is: the same cost either way. */
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));

export function authRoutes(ctx: HttpContext): Router {
  const r = Router();
  const session = async (userId: string, initial: boolean) => {
    const s = await ctx.sessions.create(userId, { initial });
    return { token: s.token, expires_at: s.expires_at };
  };
  /** 429 when the phone is locked for this source; the refusal is audited. */
  const throttled = async (req: Request, res: Response, phone: string, action: string, actor: string) => {
    const ip = clientIp(req);
    const wait = await ctx.throttle.retryAfterMs(phone, ip);
    if (wait <= 0) return;
    res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
    await ctx.audit.record({
      actor_id: actor,
      actor_role: req.user?.role ?? '',
      action,
      target: phone,
      ok: false,
      ip,
      detail: { reason: 'throttled' },
    });
    throw new HttpError(429, 'throttled', `too many failed attempts; try again in ${Math.ceil(wait / 1000)} s`);
  };

  doc(r, 'post', '/login', {
    summary: 'Log in by phone number and password',
    public: true,
    body: loginBody,
    description: 'Failures are throttled per phone and source (429 `throttled` with Retry-After).',
    returns:
      '`{token, expires_at, user}`; a user still on the initial password gets `user.must_change_password = true` and may only call auth/password',
  });
  r.post(
    '/login',
    route(async (req, res) => {
      const body = parse(loginBody, req.body, 'login');
      const ip = clientIp(req);
      await throttled(req, res, body.phone, 'login', body.phone);
      const row = ctx.users.credentialsByPhone(body.phone);
      // Always one scrypt verification, whether or not the phone has an (enabled) account.
      const matches = await verifyPassword(body.password, row?.password_hash ?? (await dummy()));
      const ok = row !== null && !row.disabled && matches;
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
        throw unauthorized('wrong phone number or password', 'wrong_credentials');
      }
      await ctx.throttle.succeeded(body.phone, ip);
      const user = ctx.users.get(row.user_id);
      if (!user) throw unauthorized('wrong phone number or password', 'wrong_credentials');
      res.json({ ...(await session(user.user_id, user.must_change_password)), user: publicUser(user) });
    }),
  );

  doc(r, 'post', '/password', {
    summary: "Change one's password",
    body: passwordBody,
    description: 'Allowed with a session issued under the initial password. Every session of the user ends.',
    returns: '`{token, expires_at, user}`: a new session',
  });
  r.post(
    '/password',
    requireUser(ctx, { allowInitialPassword: true }),
    route(async (req, res) => {
      const user = userOf(req);
      const body = parse(passwordBody, req.body, 'password change');
      const ip = clientIp(req);
      await throttled(req, res, user.phone, 'password_change', user.user_id);
      const row = ctx.users.credentialsByPhone(user.phone);
      if (!row || !(await verifyPassword(body.old_password, row.password_hash))) {
        await ctx.throttle.failed(user.phone, ip);
        await ctx.audit.record({
          actor_id: user.user_id,
          actor_role: user.role,
          action: 'password_change',
          target: user.user_id,
          ok: false,
          ip,
          detail: { reason: 'wrong old password' },
        });
        throw forbidden('the old password is wrong', 'wrong_old_password');
      }
      const problem = passwordProblem(body.new_password);
      if (problem) throw badRequest(problem, {}, 'weak_password');
      await ctx.throttle.succeeded(user.phone, ip);
      // Every session of the user ends — this one, others, any obtained with the initial
      // password — before the change is announced (open sockets are cut on it).
      await ctx.sessions.endAll(user.user_id);
      const updated = await ctx.users.setPassword(user.user_id, await hashPassword(body.new_password));
      await ctx.audit.record({
        actor_id: user.user_id,
        actor_role: user.role,
        action: 'password_change',
        target: user.user_id,
        ok: true,
        ip,
        detail: { sessions_ended: true },
      });
      res.json({ ...(await session(user.user_id, false)), user: publicUser(updated ?? user) });
    }),
  );

  doc(r, 'post', '/logout', { summary: 'End this session', status: 204, returns: 'nothing' });
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
