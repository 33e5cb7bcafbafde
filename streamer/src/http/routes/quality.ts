import { orphanPage } from '@edu/analytics';
import { Router } from 'express';
import { requireRole } from '../auth.ts';
import type { HttpContext } from '../context.ts';
import { route } from '../handler.ts';
import { doc } from '../openapi.ts';

// 数据质量 (docs/api.md): the orphan report — stored events about schools, sessions, offerings or
// students the registry does not know — per source and type, with samples of the unknown ids
// (students' masked by analytics). For the bureau's leaders and administrators: it spans every
// district, so staff, who see only theirs, are refused. Served from the report the streamer
// reads on a timer (quality/orphans.ts); the first request before any read waits for one, and
// `?fresh=1` (the page's 刷新) reads it now — one read at a time, shared by concurrent callers.

export function qualityRoutes(ctx: HttpContext): Router {
  const r = Router();
  doc(r, 'get', '/admin/data-quality', {
    summary: '数据质量: stored events about ids the registry does not know, per source and type',
    roles: ['leader', 'admin'],
    returns:
      'the orphan page (analytics `orphanPage`): per source and type, counts by kind of unknown reference, growth, masked samples',
  });
  r.get(
    '/admin/data-quality',
    requireRole('leader', 'admin'),
    route(async (req, res) => {
      const fresh = req.query.fresh !== undefined;
      const report = (!fresh && ctx.orphans.latest()) || (await ctx.orphans.refresh());
      res.json(orphanPage(report));
    }),
  );
  return r;
}
