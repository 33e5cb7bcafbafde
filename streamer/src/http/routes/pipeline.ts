import { pipelineLagging, pipelineOf, PIPELINE_STAGES, termOfDay } from '@edu/analytics';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { allowedDimensions } from '../../auth/user.ts';
import { forbidden } from '../../errors.ts';
import { userOf } from '../auth.ts';
import type { HttpContext } from '../context.ts';
import { parse, route } from '../handler.ts';
import { doc } from '../openapi.ts';
import { scopedRead, scopeQuery } from '../scope.ts';

// 流程全景: the manual's chain of stages per school of a scope (analytics/src/dimensions/
// pipeline.ts says what completing each means). It spans every department's dimension, so any
// user with at least one dimension may read it, within their districts like every read.

const termQuery = z.object({
  term: z
    .string()
    .regex(/^\d{4}-(autumn|spring)$/, 'must be YYYY-autumn or YYYY-spring')
    .optional()
    .describe('YYYY-autumn or YYYY-spring; absent, the term of the day'),
});
const stageParams = z.object({ stage: z.enum(PIPELINE_STAGES).describe('a stage of the chain') });

export function pipelineRoutes(ctx: HttpContext): Router {
  const r = Router();

  /** Scope, term and moment of a read, after the scope check; staff need some department. */
  const read = (req: Request) => {
    const { scope, day, moment } = scopedRead(ctx, req);
    if (allowedDimensions(userOf(req)).length === 0) throw forbidden('no department is assigned to you');
    const q = parse(termQuery, { term: req.query.term }, 'query');
    // The session stages are judged at the moment of the day: now today, a past day's end, or
    // `at` (回放), when only the events by then count.
    return { scope, term: q.term ?? termOfDay(day), asOf: moment.t, upTo: moment.eventsUpTo };
  };

  doc(r, 'get', '/dimensions/pipeline', {
    summary: '流程全景: schools that completed each stage of the chain, wait for it, and where they stall',
    query: [scopeQuery, termQuery],
    returns:
      "`{term, as_of_ms, schools, finished, on_track, stages: [{stage, completed, waiting, stalled}], preparation_data}`; the session stages are judged at `date`'s end (now for today), or with `at` as they stood at that moment (schedule, preparations, check-ins and reports by then); a session stage with nothing due yet is `waiting` (未到时间), neither completed nor stalled, and `on_track` counts the schools stalled nowhere",
  });
  r.get(
    '/dimensions/pipeline',
    route(async (req, res) => {
      const q = read(req);
      res.json(await pipelineOf(ctx.store, q.scope, q.term, q.asOf, q.upTo));
    }),
  );

  doc(r, 'get', '/dimensions/pipeline/stages/:stage/schools', {
    summary: '流程全景: the schools of the scope that have not completed a stage (those waiting for it aside)',
    query: [scopeQuery, termQuery],
    params: stageParams,
    returns:
      '`{term, stage, schools}`: each with name, district and zone names, `stalled_at` (those stalled at this stage first), `done` per stage, `waiting` (the stages not due yet) and `gaps` (what it lacks)',
  });
  r.get(
    '/dimensions/pipeline/stages/:stage/schools',
    route(async (req, res) => {
      const { stage } = parse(stageParams, req.params, 'path');
      const q = read(req);
      res.json({
        term: q.term,
        stage,
        schools: await pipelineLagging(ctx.store, q.scope, q.term, stage, q.asOf, q.upTo),
      });
    }),
  );

  return r;
}
