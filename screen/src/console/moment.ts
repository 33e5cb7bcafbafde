import type { PageId } from './types.ts';

// The console in replay (回放, issue 12): opened from a replaying wall (`?replay=1&date=…&at=…`,
// state/replay.ts) or given a moment in its address, the console's reads ask for the figures as
// they stood at that moment. Which read routes give figures "as at" a moment is said here, once:
// use-load.ts adds the moment to exactly those paths, and the banner says which pages follow it.

/**
 * The read routes whose figures follow `at` (the streamer's scopedRead moment, contract v1.1):
 * the contract's overview, rankings and alerts, the replay snapshot, 安全监管's day views, 过程监管's
 * term counts, 流程全景's session stages, 图表's 上课 (attendance) group and the 督办 list's states. A path not listed
 * (the term registers, the operations pages) is read as it stands now.
 */
const MOMENT_ROUTES: readonly RegExp[] = [
  /^\/api\/v1\/(overview|rankings|alerts|snapshot)$/,
  /^\/api\/v1\/dimensions\/safety(\/.*)?$/,
  /^\/api\/v1\/dimensions\/pipeline(\/.*)?$/,
  /^\/api\/v1\/dimensions\/process$/,
  /^\/api\/v1\/charts\/attendance$/,
  /^\/api\/v1\/notices$/,
];

/** Whether a read route's figures follow the moment. */
export function followsMoment(path: string): boolean {
  const bare = path.split('?')[0] ?? '';
  // 学情汇报 is one report as sent, not a figure of the moment.
  if (/\/report$/.test(bare)) return false;
  return MOMENT_ROUTES.some((re) => re.test(bare));
}

/**
 * `path` asking for the moment `at` (HH:MM) of `date`, if its route follows the moment; any
 * other path unchanged. The replayed day replaces whatever day the path named.
 */
export function momentPath(path: string, date: string, at: string): string {
  if (!followsMoment(path)) return path;
  const [bare, search = ''] = path.split('?') as [string, string?];
  const q = new URLSearchParams(search);
  q.set('date', date);
  q.set('at', at);
  return `${bare}?${q.toString()}`;
}

/**
 * How a console page stands to the moment: `all` its figures follow it; `some` only part of them
 * (图表: the 上课 group; 流程全景: the session stages; 过程监管: the counts, not the timetables); `none`: its figures are the term's
 * registers as they stand now. The banner says which.
 */
export const PAGE_MOMENT: Record<PageId, 'all' | 'some' | 'none'> = {
  safety: 'all',
  pipeline: 'some',
  notices: 'all',
  charts: 'some',
  material: 'none',
  budget: 'none',
  process: 'some',
  course: 'none',
  feedback: 'none',
};
