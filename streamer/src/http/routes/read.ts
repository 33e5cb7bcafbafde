import { DUE_METRIC_NAMES, METRIC_NAMES, rank, scopeContainsSchool, type RankMetric } from '@edu/analytics';
import { Router } from 'express';
import { z } from 'zod';
import { canSeeItem } from '../../auth/user.ts';
import { buildSnapshot } from '../../live/snapshot.ts';
import { snapshotFor } from '../../live/filter.ts';
import { publicUser, userOf } from '../auth.ts';
import type { HttpContext } from '../context.ts';
import { parse, route } from '../handler.ts';
import { scopedRead } from '../scope.ts';

// The contract's Read API v1 (overview, rankings) and what the screens read besides:
// the user, the geography they may see, and the same snapshot the socket pushes.

// A metric of the contract, or (v1.1) a figure due so far as `due.<name>`.
const RANKABLE = [...METRIC_NAMES, ...DUE_METRIC_NAMES.map((n) => `due.${n}` as const)] as [
  RankMetric,
  ...RankMetric[],
];

const rankingQuery = z.object({
  metric: z.enum(RANKABLE),
  order: z.enum(['top', 'bottom']).default('top'),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});

export function readRoutes(ctx: HttpContext): Router {
  const r = Router();

  r.get('/me', (req, res) => {
    res.json(publicUser(userOf(req)));
  });

  r.get('/geo', (req, res) => {
    const user = userOf(req);
    const geo = ctx.geo();
    const mine = (district: string) => user.role !== 'staff' || user.districts.includes(district);
    res.json({
      districts: [...geo.districts.values()].filter((d) => mine(d.id)),
      zones: [...geo.zones.values()].filter((z) => mine(z.district_id)),
      schools: [...geo.schools.values()].filter((s) => mine(s.district_id)),
    });
  });

  r.get(
    '/overview',
    route(async (req, res) => {
      const { scope, day, at } = scopedRead(ctx, req);
      const { overview } = await ctx.reader.overview(scope, day, ctx.clock.now(), at);
      res.json(overview);
    }),
  );

  r.get(
    '/rankings',
    route(async (req, res) => {
      const { scope, day, at } = scopedRead(ctx, req);
      const q = parse(rankingQuery, { ...req.query, scope: undefined, date: undefined, at: undefined }, 'query');
      const { overview, schools } = await ctx.reader.overview(scope, day, ctx.clock.now(), at);
      res.json({
        scope: overview.scope,
        date: day,
        metric: q.metric,
        order: q.order,
        rows: rank(schools, q.metric, q.order, q.limit),
      });
    }),
  );

  r.get(
    '/snapshot',
    route(async (req, res) => {
      const { scope, day } = scopedRead(ctx, req);
      const user = userOf(req);
      const snap = await buildSnapshot(
        {
          store: ctx.store,
          reader: ctx.reader,
          geo: ctx.geo(),
          alerts: ctx.alerts.all(),
          notices: ctx.notices.all(),
          now: ctx.clock.now(),
        },
        scope,
        day,
        0,
      );
      res.json(snapshotFor(user, snap));
    }),
  );

  r.get(
    '/alerts',
    route(async (req, res) => {
      const q = parse(
        z.object({ state: z.enum(['open', 'acknowledged', 'notice_issued', 'resolved', 'active']).optional() }),
        { state: req.query.state },
        'query',
      );
      const { scope, named } = scopedRead(ctx, req);
      const user = userOf(req);
      // Without a scope, every alert the user may see: for staff, all their districts (the
      // union; canSeeItem keeps them to those), not only the first.
      const alerts = ctx.alerts
        .all()
        .filter((a) => (!named || scopeContainsSchool(scope, a)) && canSeeItem(user, a.dimension, a.district_id))
        .filter((a) => !q.state || (q.state === 'active' ? a.state !== 'resolved' : a.state === q.state))
        .sort((a, b) => (a.opened_at < b.opened_at ? 1 : -1));
      res.json({ alerts });
    }),
  );

  return r;
}
