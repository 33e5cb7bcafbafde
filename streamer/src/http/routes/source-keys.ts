import {
  ALL_SCHOOLS,
  issueSourceKey,
  loadSourceKeys,
  revokeSourceKey,
  sourceKeyLastUses,
  type SourceKeyRow,
} from '@edu/analytics';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { badRequest, forbidden, notFound } from '../../errors.ts';
import { userOf } from '../auth.ts';
import type { HttpContext } from '../context.ts';
import { parse, route } from '../handler.ts';
import { doc } from '../openapi.ts';
import { auditByUser, writeLimit } from './write.ts';

// Source keys of the HTTP intake (contract v1.1), administered beside the users: list, issue
// (the key is in the answer once and stored nowhere in clear), revoke. Administrators only;
// every issue and revocation is audited, and so is a refused attempt. Ingest picks a change up
// within its refresh period (2 s by default). docs/api.md: "Source keys".

const newKey = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** School ids, or ["*"] for every school (the bureau's own systems, the simulator). */
    schools: z.array(z.string().min(1).max(64)).min(1).max(2000),
  })
  .strict();

export function sourceKeyRoutes(ctx: HttpContext): Router {
  const r = Router();
  const audit = (req: Request, action: string, target: string, ok: boolean, detail: Record<string, unknown> = {}) =>
    auditByUser(ctx, req, action, target, ok, detail);
  // requireRole's refusal leaves no trace for a write; here every refused attempt does.
  const adminOnly = (action: string) => (req: Request, _res: Response, next: NextFunction) => {
    if (userOf(req).role === 'admin') return next();
    const reason = 'only administrators manage source keys';
    if (req.method === 'GET') return next(forbidden(reason));
    audit(req, action, String(req.params.id ?? ''), false, { reason }).then(() => next(forbidden(reason)), next);
  };

  doc(r, 'get', '/admin/source-keys', {
    summary: 'Source keys of the ingest intake',
    roles: ['admin'],
    returns:
      '`{keys}`, each with `key_id`, `name`, `key_hint`, `all_schools`, `schools`, `created_*`, `revoked*`, `last_used_ms`',
  });
  r.get(
    '/admin/source-keys',
    adminOnly('source_key_list'),
    route(async (_req, res) => {
      const [keys, uses] = await Promise.all([loadSourceKeys(ctx.store), sourceKeyLastUses(ctx.store)]);
      res.json({ keys: keys.map((k) => publicKey(ctx, k, uses.get(k.key_id) ?? null)) });
    }),
  );

  doc(r, 'post', '/admin/source-keys', {
    summary: 'Issue a source key',
    roles: ['admin'],
    body: newKey,
    status: 201,
    returns: '`{key, source_key}`: the key in clear, this once, and its listing',
  });
  r.post(
    '/admin/source-keys',
    adminOnly('source_key_issue'),
    writeLimit(ctx),
    route(async (req, res) => {
      const body = parse(newKey, req.body, 'source key');
      const all = body.schools.includes(ALL_SCHOOLS);
      if (all && body.schools.length > 1) throw badRequest(`"${ALL_SCHOOLS}" (every school) stands alone`);
      // A key for a school the registry does not know would refuse everything it posts.
      const unknown = all ? [] : body.schools.filter((s) => !ctx.geo().schools.has(s));
      if (unknown.length) throw badRequest(`unknown school(s): ${unknown.join(', ')}`, { unknown_schools: unknown });
      const user = userOf(req);
      const { key, row } = await issueSourceKey(ctx.store, {
        name: body.name,
        schools: body.schools,
        by: user.user_id,
        now: ctx.clock.now(),
      });
      await audit(req, 'source_key_issue', row.key_id, true, { name: row.name, schools: row.schools });
      res.status(201).json({ key, source_key: publicKey(ctx, row, null) });
    }),
  );

  doc(r, 'post', '/admin/source-keys/:id/revoke', {
    summary: 'Revoke a source key',
    roles: ['admin'],
    returns: '`{source_key}`',
  });
  r.post(
    '/admin/source-keys/:id/revoke',
    adminOnly('source_key_revoke'),
    writeLimit(ctx),
    route(async (req, res) => {
      const id = String(req.params.id);
      const before = (await loadSourceKeys(ctx.store, id))[0];
      if (!before) throw notFound(`no source key ${id}`);
      const row = await revokeSourceKey(ctx.store, id, { by: userOf(req).user_id, now: ctx.clock.now() });
      if (!row) throw notFound(`no source key ${id}`);
      if (!before.revoked) await audit(req, 'source_key_revoke', id, true, { name: row.name, schools: row.schools });
      res.json({ source_key: publicKey(ctx, row, null) });
    }),
  );
  return r;
}

/** A key as the console shows it: names beside the ids, never the hash. */
function publicKey(ctx: HttpContext, k: SourceKeyRow, lastUsedMs: number | null) {
  const geo = ctx.geo();
  const userName = (id: string) => (id ? (ctx.users.get(id)?.name ?? id) : '');
  const all = k.schools.includes(ALL_SCHOOLS);
  return {
    key_id: k.key_id,
    name: k.name,
    key_hint: k.key_hint,
    all_schools: all,
    schools: all ? [] : k.schools.map((s) => ({ school_id: s, name: geo.schools.get(s)?.name ?? '' })),
    created_ms: k.created_ms,
    created_by: { user_id: k.created_by, name: userName(k.created_by) },
    revoked: k.revoked,
    revoked_ms: k.revoked ? k.revoked_ms : null,
    revoked_by: k.revoked ? { user_id: k.revoked_by, name: userName(k.revoked_by) } : null,
    last_used_ms: lastUsedMs,
  };
}
