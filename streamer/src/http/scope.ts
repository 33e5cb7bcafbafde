import { DAY_RE, parseScope, shanghaiDay, type Scope } from '@edu/analytics';
import type { Request } from 'express';
import { z } from 'zod';
import { scopeRefusal } from '../auth/user.ts';
import { badRequest, forbidden } from '../errors.ts';
import { userOf } from './auth.ts';
import type { HttpContext } from './context.ts';
import { parse } from './handler.ts';

export const scopeQuery = z.object({
  scope: z.string().max(100).default('city'),
  date: z.string().regex(DAY_RE, 'must be YYYY-MM-DD').optional(),
});

/** The scope and day a read asks for, checked against the user's grants (403 otherwise). */
/** `scopeText` overrides the query's scope (a school route's scope is its path). */
export function scopedRead(ctx: HttpContext, req: Request, scopeText?: string): { scope: Scope; day: string } {
  const q = parse(scopeQuery, scopeText ? { ...req.query, scope: scopeText } : req.query, 'query');
  const scope = parseScope(q.scope);
  if ('error' in scope) throw badRequest(scope.error);
  const refusal = scopeRefusal(userOf(req), scope, ctx.geo());
  if (refusal) throw forbidden(refusal);
  return { scope, day: q.date ?? shanghaiDay(ctx.clock.now()) };
}
