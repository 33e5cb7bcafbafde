import {
  alertsAsOf,
  DUE_METRIC_NAMES,
  METRIC_NAMES,
  rank,
  scopeContainsSchool,
  shanghaiMidnight,
  type Alert,
  type RankMetric,
  type Scope,
} from '@edu/analytics';
import { Router } from 'express';
import { z } from 'zod';
import { canSeeItem, ownScope, scopeWithin } from '../../auth/user.ts';
import { buildSnapshot } from '../../live/snapshot.ts';
import { snapshotFor } from '../../live/filter.ts';
import { ReplaySnapshots } from '../../live/replay.ts';
import { publicUser, userOf } from '../auth.ts';
import type { HttpContext } from '../context.ts';
import { parse, route } from '../handler.ts';
import { doc } from '../openapi.ts';
import { scopedRead, scopeQuery } from '../scope.ts';

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
const alertsQuery = z.object({
  state: z.enum(['open', 'acknowledged', 'notice_issued', 'resolved', 'active']).optional(),
});

export function readRoutes(ctx: HttpContext): Router {
  const r = Router();
  const replay = new ReplaySnapshots(ctx.shared, () => ({
    store: ctx.store,
    reader: ctx.reader,
    geo: ctx.geo(),
    alerts: ctx.alerts.all(),
    notices: ctx.notices.all(),
    now: ctx.clock.now(),
  }));

  doc(r, 'get', '/me', {
    summary: 'The signed-in user',
    returns: '`{user_id, phone, name, role, dimensions, districts, scopes, must_change_password}`',
  });
  r.get('/me', (req, res) => {
    res.json(publicUser(userOf(req)));
  });

  doc(r, 'get', '/geo', {
    summary: 'The geography the user may see',
    returns:
      '`{districts: [{id, name}], zones: [{id, name, district_id}], schools: [{id, name, zone_id, district_id}]}`',
  });
  r.get('/geo', (req, res) => {
    const user = userOf(req);
    const geo = ctx.geo();
    const mine = (district: string) => user.role !== 'staff' || user.districts.includes(district);
    // A wall display (issue 12) sees the places of its pinned scope: for a zone or a school, its
    // district by name (the breadcrumb) and what lies within the pinned place.
    const pinned = user.display ? ownScope(user) : null;
    const inPin = (scope: Scope, district: string) =>
      !pinned || scopeWithin(pinned, scope, geo) || (scope.kind === 'district' && district === user.display?.district);
    res.json({
      districts: [...geo.districts.values()].filter((d) => mine(d.id) && inPin({ kind: 'district', id: d.id }, d.id)),
      zones: [...geo.zones.values()].filter(
        (z) => mine(z.district_id) && inPin({ kind: 'zone', id: z.id }, z.district_id),
      ),
      schools: [...geo.schools.values()].filter(
        (s) => mine(s.district_id) && inPin({ kind: 'school', id: s.id }, s.district_id),
      ),
    });
  });

  doc(r, 'get', '/overview', {
    summary: "The day's figures of a scope (contract Read API v1)",
    query: scopeQuery,
    returns:
      "`Overview` (analytics/src/metrics/overview.ts): `scope`, `date`, the day's `metrics` and `due`, the figures due so far at `due.at`",
  });
  r.get(
    '/overview',
    route(async (req, res) => {
      const { scope, day, at } = scopedRead(ctx, req);
      const { overview } = await ctx.reader.overview(scope, day, ctx.clock.now(), at);
      res.json(overview);
    }),
  );

  doc(r, 'get', '/rankings', {
    summary: 'Schools of a scope ranked by a metric',
    query: [scopeQuery, rankingQuery],
    returns: '`{scope, date, metric, order, rows: RankingRow[]}`',
  });
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

  doc(r, 'get', '/snapshot', {
    summary: 'The live snapshot the socket pushes, for one scope and day; with `at`, the replay snapshot',
    query: scopeQuery,
    description:
      'With `at` (HH:MM), the wall as it stood at that moment of the day (回放): the figures and rankings as `overview` and `rankings` give them with that `at`, the curve up to it, the alerts and notices as they were then; cached per scope, day and minute.',
    returns: '`Snapshot` (analytics/src/live/protocol.ts), filtered to what the user may see',
  });
  r.get(
    '/snapshot',
    route(async (req, res) => {
      const { scope, day, at } = scopedRead(ctx, req);
      const user = userOf(req);
      if (at !== undefined) {
        res.json(snapshotFor(user, await replay.get(scope, day, at)));
        return;
      }
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

  doc(r, 'get', '/alerts', {
    summary: "Alerts in the user's scope and dimensions, newest first",
    query: [scopeQuery, alertsQuery],
    description:
      'Without `scope`, every alert the user may see (staff: all their districts). With `date` and `at`, the alerts as they stood at that moment (from their versioned log), those resolved before that day left out.',
    returns: '`{alerts: Alert[]}`',
  });
  r.get(
    '/alerts',
    route(async (req, res) => {
      const q = parse(alertsQuery, { state: req.query.state }, 'query');
      const { scope, named, day, at, moment } = scopedRead(ctx, req);
      const user = userOf(req);
      const source: readonly Alert[] =
        at === undefined ? ctx.alerts.all() : await alertsAsOf(ctx.store, moment.t, shanghaiMidnight(day));
      // Without a scope, every alert the user may see: for staff, all their districts (the
      // union; canSeeItem keeps them to those), not only the first.
      const alerts = source
        .filter(
          // A display (issue 12) sees its pinned scope's alerts only, named or not (a zone is
          // narrower than the district canSeeItem knows).
          (a) =>
            (!(named || user.display) || scopeContainsSchool(scope, a)) && canSeeItem(user, a.dimension, a.district_id),
        )
        .filter((a) => !q.state || (q.state === 'active' ? a.state !== 'resolved' : a.state === q.state))
        .sort((a, b) => (a.opened_at < b.opened_at ? 1 : -1));
      res.json({ alerts });
    }),
  );

  return r;
}
