import { AT_RE, DAY_RE, momentOf, parseScope, shanghaiDay, type Moment, type Scope } from '@edu/analytics';
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
  /** (contract v1.1) HH:MM: the figures as they stood at that moment of the day. */
  at: z.string().regex(AT_RE, 'must be HH:MM (00:00–23:59)').optional(),
});

export interface ScopedRead {
  scope: Scope;
  day: string;
  at: string | undefined;
  /** The moment of the figures: `at` of the day, or now (moment.ts). */
  moment: Moment;
}

/** The scope and day a read asks for, checked against the user's grants (403 otherwise). */
/** `scopeText` overrides the query's scope (a school route's scope is its path). */
export function scopedRead(ctx: HttpContext, req: Request, scopeText?: string): ScopedRead {
  const q = parse(scopeQuery, scopeText ? { ...req.query, scope: scopeText } : req.query, 'query');
  const scope = parseScope(q.scope);
  if ('error' in scope) throw badRequest(scope.error);
  const refusal = scopeRefusal(userOf(req), scope, ctx.geo());
  if (refusal) throw forbidden(refusal);
  const now = ctx.clock.now();
  const day = q.date ?? shanghaiDay(now);
  return { scope, day, at: q.at, moment: momentOf(day, now, q.at) };
}
