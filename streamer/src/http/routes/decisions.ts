import { DIMENSIONS, TARGET_TYPES } from '@edu/analytics';
import { decisionRefusal } from '@edu/analytics/may-decide';
import { Router } from 'express';
import { z } from 'zod';
import { isScopeRefusal, placeWrite } from '../../decisions/subjects.ts';
import { refusalError, type Refusal } from '../../errors.ts';
import { userOf } from '../auth.ts';
import type { HttpContext } from '../context.ts';
import { parse, route } from '../handler.ts';
import { doc } from '../openapi.ts';
import { auditByUser, writeLimit } from './write.ts';

// POST /api/v1/decisions: 通过 / 驳回 / 审批 on the dimension pages, 喊停 and 否定 by leaders.
// The subject (material, budget, offering, course, …) is resolved to its school(s)
// (decisions/subjects.ts): the target must be its school, and every school holding that
// subject id must be in the user's districts, since the decision shows wherever the id does.
// Unknown target or subject: 404, nothing published or stored.

const decisionBody = z.object({
  target_type: z.enum(TARGET_TYPES),
  target_id: z.string().min(1).max(64),
  dimension: z.enum(DIMENSIONS),
  subject_id: z.string().min(1).max(128),
  decision: z.enum(['approved', 'rejected', 'halted', 'voided']),
  // The published event requires an opinion; a rejection's is its reason.
  content: z.string().trim().min(1, 'an opinion (content) is required; for 驳回, the reason').max(2000),
});

export function decisionRoutes(ctx: HttpContext): Router {
  const r = Router();
  r.use('/decisions', writeLimit(ctx));
  doc(r, 'post', '/decisions', {
    summary: '通过 / 驳回 / 审批, and 喊停 / 否定 (leaders), on a subject of a dimension',
    body: decisionBody,
    roles: ['leader', 'staff'],
    description: '404 for an unknown target or subject; nothing is published or stored.',
    status: 201,
    returns: 'the `decision` event published on edu.supervision.v1',
  });
  r.post(
    '/decisions',
    route(async (req, res) => {
      const user = userOf(req);
      const body = parse(decisionBody, req.body, 'decision');
      const action = `decision_${body.decision}`;
      // Who may decide what (the console hides the buttons by the same rule); the subject's
      // schools are checked against the user's districts by placeWrite below.
      const refused = decisionRefusal(user, body.decision, body.dimension);
      const refusal: Refusal | null = refused && {
        ...refused,
        extra:
          refused.code === 'leader_only'
            ? { decision: body.decision }
            : refused.code === 'dimension_not_yours'
              ? { dimension: body.dimension }
              : undefined,
      };
      if (refusal) {
        await auditByUser(ctx, req, action, body.subject_id, false, { reason: refusal.message });
        throw refusalError(refusal);
      }
      await placeWrite(
        { store: ctx.store, geo: ctx.geo, alerts: ctx.alerts, notices: ctx.notices },
        user,
        body,
        'decision',
      ).catch(async (err: unknown) => {
        const reason = (err as Error).message;
        await auditByUser(ctx, req, action, body.subject_id, false, {
          reason,
          target: body.target_id,
          ...(isScopeRefusal(err) ? {} : { status: 404 }),
        });
        throw err;
      });
      const event = await ctx.decisions.decide(user, body);
      await auditByUser(ctx, req, `decision_${body.decision}`, body.subject_id, true, {
        target: body.target_id,
        dimension: body.dimension,
        notice_id: event.notice_id,
      });
      res.status(201).json(event);
    }),
  );
  return r;
}
