import { AT_RE, DAY_RE, formatScope, momentOf, parseScope, shanghaiDay, type Moment, type Scope } from '@edu/analytics';
import type { Request } from 'express';
import { z } from 'zod';
import { ownScope, scopeRefusal } from '../auth/user.ts';
import { badRequest, forbidden, notFound, refusalError } from '../errors.ts';
import { userOf } from './auth.ts';
import type { HttpContext } from './context.ts';
import { parse } from './handler.ts';

export const scopeQuery = z.object({
  /** Absent: the user's own scope (auth/user.ts `ownScope`). */
  scope: z
    .string()
    .max(100)
    .optional()
    .describe("city, district:<id>, zone:<id> or school:<id>; absent, the user's own"),
  date: z
    .string()
    .regex(DAY_RE, 'must be YYYY-MM-DD')
    .optional()
    .describe('YYYY-MM-DD; absent, today in Asia/Shanghai'),
  /** (contract v1.1) HH:MM: the figures as they stood at that moment of the day. */
  at: z
    .string()
    .regex(AT_RE, 'must be HH:MM (00:00–23:59)')
    .optional()
    .describe('HH:MM: the figures as they stood then (contract v1.1)'),
});

export interface ScopedRead {
  scope: Scope;
  /** Whether the request named its scope (false: the user's own, `ownScope`). */
  named: boolean;
  day: string;
  at: string | undefined;
  /** The moment of the figures: `at` of the day, or now (moment.ts). */
  moment: Moment;
}

/**
 * The scope and day a read asks for: 400 for a malformed scope, 404 for a place the registry
 * does not know (to leaders too: an empty answer would pass for a real place without data),
 * 403 outside the user's grants. Without a scope, the user's own. `scopeText` overrides the
 * query's scope (a school route's scope is its path).
 */
export function scopedRead(ctx: HttpContext, req: Request, scopeText?: string): ScopedRead {
  const q = parse(scopeQuery, scopeText ? { ...req.query, scope: scopeText } : req.query, 'query');
  const user = userOf(req);
  let scope: Scope;
  if (q.scope === undefined) {
    const own = ownScope(user);
    if (!own) throw forbidden('no district is assigned to you', 'no_districts');
    scope = own;
  } else {
    const parsed = parseScope(q.scope);
    if ('error' in parsed) throw badRequest(parsed.error, {}, 'invalid_scope');
    scope = parsed;
  }
  const geo = ctx.geo();
  if (!geo.knows(scope)) throw notFound(`no place ${formatScope(scope)} in the registry`, 'unknown_scope');
  const refusal = scopeRefusal(user, scope, geo);
  if (refusal) throw refusalError(refusal);
  const now = ctx.clock.now();
  const day = q.date ?? shanghaiDay(now);
  return { scope, named: q.scope !== undefined, day, at: q.at, moment: momentOf(day, now, q.at) };
}
