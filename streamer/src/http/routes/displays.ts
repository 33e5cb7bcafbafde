import { parseScope, type DisplayRow } from '@edu/analytics';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { displayPrincipal, displayState, PAIRING_CODE_LENGTH } from '../../auth/displays.ts';
import { badRequest, HttpError, notFound } from '../../errors.ts';
import { requireRole, userOf } from '../auth.ts';
import type { HttpContext } from '../context.ts';
import { parse, route } from '../handler.ts';
import { doc } from '../openapi.ts';
import { clientIp } from './auth.ts';
import { auditByUser, writeLimit } from './write.ts';

// Wall displays (issue 12; auth/displays.ts). Administrators register a display (name, pinned
// scope, rotation, sound) and get a pairing code; the wall posts the code without a login and
// gets its read-only credential. Pairing attempts are throttled like logins (the throttle's
// "phone" is the pairing desk, so a guess spread over addresses locks pairing for a while);
// registration, codes, pairing (and refused pairings) and revocation are audited.

const newDisplay = z
  .object({
    name: z.string().trim().min(1).max(60),
    scope: z.string().min(1).max(100),
    rotate: z.boolean().default(false),
    sound: z.boolean().default(false),
  })
  .strict();
const pairBody = z.object({ code: z.string().min(1).max(20) }).strict();

/** The throttle's key for pairing attempts (auth/throttle.ts counts per key and source). */
const PAIRING_DESK = 'display-pairing';

/** HTTP status of each refused pairing. */
const PAIR_STATUS: Record<string, number> = {
  pairing_code_wrong: 401,
  pairing_code_expired: 410,
  pairing_code_used: 409,
  display_revoked: 409,
};

/** The pinned scope's name as the wall's header shows it: 全市, or the place's own name. */
export function scopeName(ctx: HttpContext, scope: string): string {
  const s = parseScope(scope);
  if ('error' in s) return '';
  const geo = ctx.geo();
  switch (s.kind) {
    case 'city':
      return '全市';
    case 'district':
      return geo.districts.get(s.id)?.name ?? '';
    case 'zone':
      return geo.zones.get(s.id)?.name ?? '';
    case 'school':
      return geo.schools.get(s.id)?.name ?? '';
  }
}

const iso = (ms: number) => (ms > 0 ? new Date(ms).toISOString() : null);

/** A display as the administration page shows it: names beside ids, never the credential's hash. */
async function publicDisplay(ctx: HttpContext, d: DisplayRow) {
  const seen = await ctx.displays.lastSeen(d);
  const userName = (id: string) => (id ? (ctx.users.get(id)?.name ?? '') : '');
  return {
    display_id: d.display_id,
    name: d.name,
    scope: d.scope,
    scope_name: scopeName(ctx, d.scope),
    rotate: d.rotate,
    sound: d.sound,
    state: displayState(d),
    created_at: iso(d.created_ms),
    created_by_name: userName(d.created_by),
    paired_at: iso(d.paired_ms),
    revoked_at: iso(d.revoked_ms),
    last_seen_at: iso(seen.ms),
    build: seen.build || null,
  };
}

/** POST /displays/pair: mounted before the login check. */
export function pairingRoutes(ctx: HttpContext): Router {
  const r = Router();
  const record = (req: Request, actor: string, ok: boolean, target: string, detail: Record<string, unknown>) =>
    ctx.audit.record({
      actor_id: actor,
      actor_role: 'display',
      action: 'display_pair',
      target,
      ok,
      ip: clientIp(req),
      detail,
    });

  doc(r, 'post', '/displays/pair', {
    summary: 'Pair a wall display with its code',
    public: true,
    body: pairBody,
    description: `The code (${PAIRING_CODE_LENGTH} characters, single use, valid 15 minutes) from the administrator's registration. Attempts are throttled like logins (429 \`throttled\` with Retry-After). Refusals: 401 \`pairing_code_wrong\`, 410 \`pairing_code_expired\`, 409 \`pairing_code_used\` or \`display_revoked\`.`,
    returns:
      "`{token, display}`: the display's long-lived, read-only credential (shown this once; send it as the bearer token and the socket's `auth.token`) and `{display_id, name, scope, scope_name, rotate, sound}`",
  });
  r.post(
    '/displays/pair',
    route(async (req: Request, res: Response) => {
      const body = parse(pairBody, req.body, 'pairing');
      const ip = clientIp(req);
      const wait = await ctx.throttle.retryAfterMs(PAIRING_DESK, ip);
      if (wait > 0) {
        res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
        await record(req, PAIRING_DESK, false, '', { reason: 'throttled' });
        throw new HttpError(429, 'throttled', `too many failed attempts; try again in ${Math.ceil(wait / 1000)} s`);
      }
      const out = await ctx.displays.pair(body.code);
      if ('code' in out) {
        await ctx.throttle.failed(PAIRING_DESK, ip);
        await record(req, PAIRING_DESK, false, '', { reason: out.message });
        throw new HttpError(PAIR_STATUS[out.code] ?? 400, out.code, out.message);
      }
      const d = out.display;
      await record(req, displayPrincipal(d.display_id), true, d.display_id, { name: d.name, scope: d.scope });
      res.json({
        token: out.token,
        display: {
          display_id: d.display_id,
          name: d.name,
          scope: d.scope,
          scope_name: scopeName(ctx, d.scope),
          rotate: d.rotate,
          sound: d.sound,
        },
      });
    }),
  );
  return r;
}

/** The administrators' side: list, register, a new code, revoke. */
export function displayAdminRoutes(ctx: HttpContext): Router {
  const r = Router();
  const codeAnswer = (c: { code: string; expires_ms: number }) => ({
    code: c.code,
    expires_at: new Date(c.expires_ms).toISOString(),
  });
  const existing = (id: string) => {
    const d = ctx.displays.get(id);
    if (!d) throw notFound(`no display ${id}`, 'no_display');
    return d;
  };

  doc(r, 'get', '/admin/displays', {
    summary: 'Wall displays',
    roles: ['admin'],
    returns:
      '`{displays}`, each `display_id`, `name`, `scope`, `scope_name`, `rotate`, `sound`, `state` (pending, paired, revoked), `created_at`, `created_by_name`, `paired_at`, `revoked_at`, `last_seen_at`, `build`',
  });
  r.get(
    '/admin/displays',
    requireRole('admin'),
    route(async (_req, res) => {
      res.json({ displays: await Promise.all(ctx.displays.list().map((d) => publicDisplay(ctx, d))) });
    }),
  );

  doc(r, 'post', '/admin/displays', {
    summary: 'Register a wall display',
    roles: ['admin'],
    body: newDisplay,
    status: 201,
    returns: '`{display, code, expires_at}`: the display and its pairing code (single use, 15 minutes)',
  });
  r.post(
    '/admin/displays',
    writeLimit(ctx),
    requireRole('admin'),
    route(async (req, res) => {
      const body = parse(newDisplay, req.body, 'display');
      const scope = parseScope(body.scope);
      if ('error' in scope) throw badRequest(scope.error, {}, 'invalid_scope');
      if (!ctx.geo().knows(scope)) throw notFound(`no place ${body.scope} in the registry`, 'unknown_scope');
      const out = await ctx.displays.register(body, userOf(req).user_id);
      await auditByUser(ctx, req, 'display_register', out.display.display_id, true, {
        name: body.name,
        scope: body.scope,
      });
      res.status(201).json({ display: await publicDisplay(ctx, out.display), ...codeAnswer(out) });
    }),
  );

  doc(r, 'post', '/admin/displays/:id/code', {
    summary: 'A new pairing code for a display',
    description:
      "Earlier codes of the display stop working; a paired display's credential stays valid until the new code is used (then it is replaced, and its sockets are cut).",
    roles: ['admin'],
    returns: '`{code, expires_at}`; 404 `no_display`, 409 `display_revoked`',
  });
  r.post(
    '/admin/displays/:id/code',
    writeLimit(ctx),
    requireRole('admin'),
    route(async (req, res) => {
      const d = existing(String(req.params.id));
      if (d.revoked) throw new HttpError(409, 'display_revoked', `display ${d.display_id} was revoked`);
      const out = await ctx.displays.issueCode(d.display_id);
      await auditByUser(ctx, req, 'display_code', d.display_id, true, { name: d.name });
      res.json(codeAnswer(out));
    }),
  );

  doc(r, 'post', '/admin/displays/:id/revoke', {
    summary: 'Revoke a wall display',
    description: 'Its credential stops working and its open socket is cut at once, on every instance.',
    roles: ['admin'],
    returns: '`{display}`; 404 `no_display`',
  });
  r.post(
    '/admin/displays/:id/revoke',
    writeLimit(ctx),
    requireRole('admin'),
    route(async (req, res) => {
      const before = existing(String(req.params.id));
      const row = await ctx.displays.revoke(before.display_id, userOf(req).user_id);
      if (!row) throw notFound(`no display ${before.display_id}`, 'no_display');
      if (!before.revoked) await auditByUser(ctx, req, 'display_revoke', row.display_id, true, { name: row.name });
      res.json({ display: await publicDisplay(ctx, row) });
    }),
  );
  return r;
}
