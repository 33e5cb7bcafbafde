import { auditPage } from '@edu/analytics';
import { Router } from 'express';
import { z } from 'zod';
import { notFound } from '../../errors.ts';
import { publicUser, requireRole, userOf } from '../auth.ts';
import type { HttpContext } from '../context.ts';
import { doc } from '../openapi.ts';
import { parse, route } from '../handler.ts';
import { auditByUser, writeLimit } from './write.ts';

// User administration beyond create and change (routes/write.ts): an administrator's password
// reset, and the audit trail read back for leaders and administrators (manual §2.1).

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const auditQuery = z
  .object({
    actor: z.string().min(1).max(64).optional(),
    action: z
      .string()
      .regex(/^[a-z_]{1,40}$/)
      .optional(),
    outcome: z.enum(['ok', 'refused']).optional(),
    from: day.optional(),
    to: day.optional(),
    // A page: `limit` entries after the newest `offset` (the answer says how many match in all).
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();

export function adminRoutes(ctx: HttpContext): Router {
  const r = Router();

  /**
   * Back to the initial password (123456), to be changed at the next login. Every session and
   * socket of the user ends: whoever held them must sign in with the initial password, which
   * only lets them choose a new one.
   */
  doc(r, 'post', '/admin/users/:id/password-reset', {
    summary: "Reset a user's password to the initial one",
    description: 'The user must change it at the next login; every session and socket of theirs ends.',
    roles: ['admin'],
    returns: '`user`, with `must_change_password: true`; 404 `no_user`',
  });
  r.post(
    '/admin/users/:id/password-reset',
    writeLimit(ctx),
    requireRole('admin'),
    route(async (req, res) => {
      const id = String(req.params.id);
      if (!ctx.users.get(id)) {
        await auditByUser(ctx, req, 'password_reset', id, false, { reason: 'no such user' });
        throw notFound(`no user ${id}`, 'no_user');
      }
      await ctx.sessions.endAll(id);
      const user = await ctx.users.resetPassword(id, userOf(req).user_id);
      if (!user) throw notFound(`no user ${id}`, 'no_user');
      await auditByUser(ctx, req, 'password_reset', id, true, { sessions_ended: true });
      res.json(publicUser(user));
    }),
  );

  /**
   * The audit trail, newest first, filtered, a page at a time. Actors and targets come with
   * their names (the page shows names, never ids); `actors` lists everyone for the filter.
   */
  doc(r, 'get', '/audit', {
    summary: 'The audit trail, filtered, a page at a time',
    description:
      'Every write and every refusal (refused reads, writes, joins and logins), newest first: `limit` entries after the newest `offset`, with `total`, how many match the filters.',
    roles: ['admin', 'leader'],
    query: auditQuery,
    returns:
      '`{entries, total, offset, limit, actors}`: each entry `ts`, `actor_id`, `actor_name`, `actor_role`, `action`, `target`, `target_name`, `ok`, `ip`; `actors` every user by name',
  });
  r.get(
    '/audit',
    requireRole('admin', 'leader'),
    route(async (req, res) => {
      const q = parse(auditQuery, req.query, 'audit query');
      const { entries, total } = await auditPage(
        ctx.store,
        {
          actor: q.actor,
          action: q.action,
          ok: q.outcome === undefined ? undefined : q.outcome === 'ok',
          from: q.from,
          to: q.to,
        },
        q.limit,
        q.offset,
      );
      const nameOf = (id: string) => ctx.users.get(id)?.name ?? null;
      // What an entry was about, by name where the streamer knows it: a user, an alert (its
      // school and title), a notice (its target), a school; otherwise null (the page shows —).
      const targetName = (action: string, target: string): string | null => {
        if (action.startsWith('user_') || action.startsWith('password_')) return nameOf(target);
        if (action.startsWith('display_')) return ctx.displays.get(target)?.name ?? null;
        if (action === 'alert_ack') {
          const a = ctx.alerts.get(target);
          return a ? `${a.school_name}：${a.title}` : null;
        }
        if (action.startsWith('notice_')) {
          const n = ctx.notices.get(target);
          if (n) return n.target_name || null;
        }
        return ctx.geo().schools.get(target)?.name ?? null;
      };
      res.json({
        entries: entries.map((e) => ({
          ts: new Date(e.ts_ms).toISOString(),
          actor_id: e.actor_id,
          actor_name: nameOf(e.actor_id),
          actor_role: e.actor_role,
          action: e.action,
          target: e.target,
          target_name: targetName(e.action, e.target),
          ok: e.ok,
          ip: e.ip,
        })),
        total,
        offset: q.offset,
        limit: q.limit,
        actors: ctx.users
          .list()
          .map((u) => ({ user_id: u.user_id, name: u.name, role: u.role }))
          .sort((a, b) => a.name.localeCompare(b.name, 'zh')),
      });
    }),
  );
  return r;
}
