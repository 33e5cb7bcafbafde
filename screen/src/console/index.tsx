import { useCallback, useEffect, useMemo, useState, type JSX } from 'react';
import type { Geo } from '../api/types.ts';
import { Breadcrumbs, crumbsOf } from '../components/Breadcrumbs.tsx';
import { parseOptions } from '../lib/options.ts';
import { replayOfUrl, shanghaiToday, useReplay, wallSearchOf } from '../state/replay.ts';
import { useSession } from '../state/session.ts';
import './console.css';
import { MODULE_LABEL, PAGE_LABEL } from './labels.ts';
import { BudgetPage } from './pages/BudgetPage.tsx';
import { ChartsPage } from './pages/ChartsPage.tsx';
import { CoursePage } from './pages/CoursePage.tsx';
import { FeedbackPage } from './pages/FeedbackPage.tsx';
import { MaterialPage } from './pages/MaterialPage.tsx';
import { NoticesPage } from './pages/NoticesPage.tsx';
import { ProcessPage } from './pages/ProcessPage.tsx';
import { PipelinePage } from './pages/PipelinePage.tsx';
import { QualityPage } from './pages/QualityPage.tsx';
import { SafetyPage } from './pages/SafetyPage.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { SourceKeysPage } from './pages/SourceKeysPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';
import { watchSession } from '../live/session-watch.ts';
import {
  adminPageOf,
  mayOpenAdminPage,
  formatHash,
  PAGES,
  parseHash,
  rootScope,
  termLabel,
  termOfDay,
  termOptions,
  withinScopes,
  type ConsoleRoute,
} from './route.ts';
import { ExportContext } from './export/context.ts';
import { mayDecideFor } from './may-decide.ts';
import { ReplayNotice } from './ReplayNotice.tsx';
import { Status } from './Section.tsx';
import { useLoad } from './use-load.ts';
import type { Dimension, PageId, PageProps } from './types.ts';

// The desk console (#/console): the six supervision dimensions and the chart module of the
// manual's chapter 4, at 1920×1080 beside the wall. A left nav of the pages the user may see
// (GET /api/v1/dimensions; 图表 for everyone), a scope bar (breadcrumbs city → 辖区 → 学区 →
// 学校, term picker), and the page. The server decides what the user may see and do; the
// console only leaves out what would be refused (other dimensions, 喊停 / 否定 for staff).

const PAGE_VIEW: Record<PageId, (p: PageProps) => JSX.Element> = {
  material: MaterialPage,
  budget: BudgetPage,
  process: ProcessPage,
  course: CoursePage,
  safety: SafetyPage,
  feedback: FeedbackPage,
  charts: ChartsPage,
  notices: NoticesPage,
  pipeline: PipelinePage,
};

/** The operations pages of manual §2.1 in the nav, after 数据源密钥 and 数据质量. */
const OPERATIONS_PAGES = [
  { id: 'users', title: '用户管理', sub: '系统管理' },
  { id: 'audit', title: '操作日志', sub: '系统管理' },
] as const;

const ROLE_LABEL = { leader: '局领导', staff: '部门专干', admin: '系统管理员' } as const;

function childScopesOf(scope: string, geo: Geo | null): { scope: string; name: string }[] {
  if (!geo) return [];
  const [kind, id] = scope.split(':');
  if (kind === 'city') return geo.districts.map((d) => ({ scope: `district:${d.id}`, name: d.name }));
  if (kind === 'district')
    return geo.zones.filter((z) => z.district_id === id).map((z) => ({ scope: `zone:${z.id}`, name: z.name }));
  if (kind === 'zone')
    return geo.schools.filter((s) => s.zone_id === id).map((s) => ({ scope: `school:${s.id}`, name: s.name }));
  return [];
}

function placeNameOf(scope: string, geo: Geo | null): string {
  const [kind, id = ''] = scope.split(':');
  if (kind === 'city') return '全市';
  const list = kind === 'district' ? geo?.districts : kind === 'zone' ? geo?.zones : geo?.schools;
  return list?.find((p) => p.id === id)?.name || id;
}

export function Console(): JSX.Element {
  const user = useSession((s) => s.user);
  const logout = useSession((s) => s.logout);
  // The day (`?date=`, null: the server's today) is state: the timetables' week navigation and the
  // day views move it, and the address follows (see onDate).
  const [liveDate, setDate] = useState<string | null>(() => parseOptions(window.location.search).date ?? null);
  // Opened from a replaying wall (?replay=1, state/replay.ts) or given a moment (?date=…&at=HH:MM),
  // the console replays it: its day is the replayed day, and every read whose figures follow the
  // moment asks for it (use-load.ts, moment.ts).
  const replay = useReplay();
  const [asked] = useState(() => (replay.active ? null : replayOfUrl(window.location.search, true)));
  useEffect(() => {
    if (asked) useReplay.getState().enter(asked.date, asked.minute);
  }, [asked]);
  const date = replay.active ? replay.date : liveDate;
  // 返回大屏 returns to the wall as it was opened (live, or the day it was asked for), not to the
  // week the console was browsing last — but at the moment being replayed, or live after 返回实时.
  const [wallSearch] = useState(() => window.location.search);
  const scopes = useMemo(() => user?.scopes ?? [], [user]);
  const [route, setRoute] = useState<ConsoleRoute>(() => parseHash(window.location.hash));
  // 数据源密钥 (#/console/keys) is an administrator's page outside the dimensions and scopes.
  const [adminPage, setAdminPage] = useState(() => adminPageOf(window.location.hash));
  const showKeys = user?.role === 'admin' && adminPage === 'keys';
  // 数据质量 (#/console/quality): administrators and leaders.
  const showQuality = adminPage === 'quality' && user !== null && mayOpenAdminPage('quality', user.role);
  // 用户管理 (administrators) and 操作日志 (administrators and leaders), manual §2.1.
  const showUsers = adminPage === 'users' && user?.role === 'admin';
  const showAudit = adminPage === 'audit' && user !== null && mayOpenAdminPage('audit', user.role);
  const showAdmin = showKeys || showQuality || showUsers || showAudit;
  const token = useSession((s) => s.token);
  const expire = useSession((s) => s.expire);
  // The session may end while the console is open (an administrator changed this user's
  // permissions): back to the login form at once, not at the next click.
  useEffect(() => (token ? watchSession(token, expire) : undefined), [token, expire]);
  const [serverTerm, setServerTerm] = useState<string | null>(null);
  const dims = useLoad<{ dimensions: Dimension[]; charts?: string[] }>('/api/v1/dimensions');
  const geo = useLoad<Geo>('/api/v1/geo');

  useEffect(() => {
    const follow = () => {
      // Leaving the console (返回大屏, the back button): the app shows the wall; this view must
      // not take the address back meanwhile (see the effect below).
      if (!window.location.hash.startsWith('#/console')) return;
      setRoute(parseHash(window.location.hash));
      setAdminPage(adminPageOf(window.location.hash));
      setDate(parseOptions(window.location.search).date ?? null);
    };
    window.addEventListener('hashchange', follow);
    window.addEventListener('popstate', follow);
    return () => {
      window.removeEventListener('hashchange', follow);
      window.removeEventListener('popstate', follow);
    };
  }, []);

  const pages = useMemo<PageId[] | null>(
    // 图表 when at least one chart group is the user's (all of them when the answer has no list).
    () =>
      dims.data
        ? PAGES.filter((p) =>
            p === 'notices'
              ? true
              : p === 'charts'
                ? (dims.data?.charts?.length ?? 1) > 0
                : p === 'pipeline'
                  ? // 流程全景 spans every department: anyone with one (the server's rule)
                    (dims.data?.dimensions.length ?? 0) > 0
                  : dims.data?.dimensions.includes(p),
          )
        : null,
    [dims.data],
  );
  // What is shown: the asked page if the user may see it, otherwise the first they may; the
  // asked scope unless it is the city for someone who may not see the city.
  const page = pages ? (route.page && pages.includes(route.page) ? route.page : (pages[0] ?? 'charts')) : null;
  const outOfReach = route.scope !== null && !withinScopes(route.scope, scopes, geo.data);
  const scope = route.scope && !outOfReach ? route.scope : rootScope(scopes);
  const term = route.term;

  // The address always says what is shown (a reload or a copied link opens the same view).
  useEffect(() => {
    // A click on 数据源密钥 may land between a render and this effect: the address it set wins.
    const asked = adminPageOf(window.location.hash);
    if (!page || showAdmin || (user && asked && mayOpenAdminPage(asked, user.role))) return;
    // The address has left the console (返回大屏): the app is about to show the wall.
    if (!window.location.hash.startsWith('#/console')) return;
    // An address out of the user's reach is left as it was asked: rewritten here, the browser's
    // hashchange (queued behind this render) would read the rewrite back as the asked route, and
    // the note saying why another scope is shown would vanish.
    if (outOfReach) return;
    const hash = formatHash({ page, scope, term });
    if (window.location.hash !== hash)
      window.history.replaceState(
        window.history.state,
        '',
        `${window.location.pathname}${window.location.search}${hash}`,
      );
  }, [page, scope, term, showAdmin, user, outOfReach]);

  const go = useCallback(
    (next: Partial<ConsoleRoute>) => {
      const r = { page, scope, term, ...next };
      if (!r.page) return;
      // A new entry per step, so the browser's back button climbs back up the drill-down.
      window.history.pushState(
        null,
        '',
        `${window.location.pathname}${window.location.search}${formatHash({ page: r.page, scope: r.scope ?? scope, term: r.term })}`,
      );
      setRoute(r);
      setAdminPage(null);
    },
    [page, scope, term],
  );
  const drill = useCallback((s: string) => go({ scope: s }), [go]);
  const onTerm = useCallback((t: string) => setServerTerm(t), []);
  // A new history entry per step, so the back button returns to the week or day before.
  const onDate = useCallback((d: string | null) => {
    // Replaying, a step moves the replayed day (the same moment of it); 今天 is today's.
    if (useReplay.getState().active) {
      useReplay.getState().setDate(d ?? shanghaiToday());
      return;
    }
    const q = new URLSearchParams(window.location.search);
    if (d) q.set('date', d);
    else q.delete('date');
    const search = q.toString();
    window.history.pushState(
      null,
      '',
      `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`,
    );
    setDate(d);
  }, []);
  const placeName = useCallback((s: string) => placeNameOf(s, geo.data), [geo.data]);
  // 返回实时: the address loses the moment, and the console shows today, live.
  const toLive = useCallback(() => {
    useReplay.getState().exit();
    setDate(null);
  }, []);

  if (!user) return <div className="console-empty">请先登录</div>;
  const leader = user.role === 'leader';
  const shownTerm =
    term ?? serverTerm ?? termOfDay(date ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
  const crumbs = crumbsOf(scope, geo.data).filter((c) => scopes.includes('city') || c.scope !== 'city');
  const View = page ? PAGE_VIEW[page] : null;

  return (
    <div
      className={`console${replay.active && !showAdmin ? ' replaying' : ''}`}
      data-testid="console"
      data-role={user.role}
    >
      <header className="console-header">
        <h1>课后服务数字化监管工作台</h1>
        <span className="muted">
          {user.name} · {ROLE_LABEL[user.role]}
        </span>
        <span className="spacer" />
        <a
          className="button"
          href={`${window.location.pathname}${wallSearchOf(wallSearch, replay)}#/`}
          data-testid="console-wall"
        >
          返回大屏
        </a>
        <button data-testid="console-logout" onClick={logout}>
          退出登录
        </button>
      </header>
      <nav className="console-nav" aria-label="监管模块">
        {pages?.map((p) => (
          <button
            key={p}
            className={`console-nav-item${p === page && !showAdmin ? ' active' : ''}`}
            data-testid={`console-nav-${p}`}
            aria-current={p === page && !showAdmin ? 'page' : undefined}
            onClick={() => go({ page: p })}
          >
            <span className="nav-title">{PAGE_LABEL[p]}</span>
            <span className="nav-sub">{MODULE_LABEL[p]}</span>
          </button>
        ))}
        {user.role === 'admin' && (
          <button
            className={`console-nav-item${showKeys ? ' active' : ''}`}
            data-testid="console-nav-keys"
            aria-current={showKeys ? 'page' : undefined}
            onClick={() => {
              window.history.pushState(null, '', `${window.location.pathname}${window.location.search}#/console/keys`);
              setAdminPage('keys');
            }}
          >
            <span className="nav-title">数据源密钥</span>
            <span className="nav-sub">系统管理</span>
          </button>
        )}
        {pages && mayOpenAdminPage('quality', user.role) && (
          <button
            className={`console-nav-item${showQuality ? ' active' : ''}`}
            data-testid="console-nav-quality"
            aria-current={showQuality ? 'page' : undefined}
            onClick={() => {
              window.history.pushState(
                null,
                '',
                `${window.location.pathname}${window.location.search}#/console/quality`,
              );
              setAdminPage('quality');
            }}
          >
            <span className="nav-title">数据质量</span>
            <span className="nav-sub">运行维护</span>
          </button>
        )}
        {pages &&
          OPERATIONS_PAGES.filter((o) => mayOpenAdminPage(o.id, user.role)).map((o) => (
            <button
              key={o.id}
              className={`console-nav-item${adminPage === o.id && showAdmin ? ' active' : ''}`}
              data-testid={`console-nav-${o.id}`}
              aria-current={adminPage === o.id && showAdmin ? 'page' : undefined}
              onClick={() => {
                window.history.pushState(
                  null,
                  '',
                  `${window.location.pathname}${window.location.search}#/console/${o.id}`,
                );
                setAdminPage(o.id);
              }}
            >
              <span className="nav-title">{o.title}</span>
              <span className="nav-sub">{o.sub}</span>
            </button>
          ))}
      </nav>
      <main className={`console-main${showAdmin ? ' admin-page' : ''}`}>
        <div className="console-scopebar">
          <Breadcrumbs crumbs={crumbs} onPick={drill} />
          {!scopes.includes('city') && scopes.length > 1 && (
            <select
              data-testid="console-district"
              value={crumbs[0]?.scope ?? scope}
              onChange={(e) => drill(e.target.value)}
            >
              {scopes.map((s) => (
                <option key={s} value={s}>
                  {placeName(s)}
                </option>
              ))}
            </select>
          )}
          <span className="spacer" />
          <label className="term-picker">
            学期
            <select
              data-testid="console-term"
              value={shownTerm}
              disabled={page === 'safety'}
              title={page === 'safety' ? '安全监管按日统计' : undefined}
              onChange={(e) => go({ term: e.target.value })}
            >
              {termOptions(shownTerm).map((t) => (
                <option key={t} value={t}>
                  {termLabel(t)}
                </option>
              ))}
            </select>
          </label>
          <span className="muted">日期 {date ?? '今日'}</span>
        </div>
        <div
          className="console-page"
          data-testid={
            showKeys
              ? 'console-page-keys'
              : showQuality
                ? 'console-page-quality'
                : showUsers || showAudit
                  ? `console-page-${adminPage}`
                  : page
                    ? `console-page-${page}`
                    : undefined
          }
        >
          <Status loaded={dims} />
          {geo.error && <Status loaded={geo} />}
          {outOfReach && !showAdmin && (
            // An address naming another district's place (typed, or from before an
            // administrator's change): the user's own scope is shown, and the reason said.
            <div className="note warn" role="status" data-testid="console-out-of-scope">
              所要查看的范围不在您的权限内，已为您打开{placeName(scope)}
            </div>
          )}
          {showKeys && (
            <>
              <h2 className="page-title">
                数据源密钥<span className="muted">（系统管理）</span>
              </h2>
              <SourceKeysPage geo={geo.data} />
            </>
          )}
          {showQuality && (
            <>
              <h2 className="page-title">
                数据质量<span className="muted">（运行维护）</span>
              </h2>
              <QualityPage />
            </>
          )}
          {showUsers && (
            <>
              <h2 className="page-title">
                用户管理<span className="muted">（系统管理）</span>
              </h2>
              <UsersPage geo={geo.data} />
            </>
          )}
          {showAudit && (
            <>
              <h2 className="page-title">
                操作日志<span className="muted">（系统管理）</span>
              </h2>
              <AuditPage />
            </>
          )}
          {!showAdmin && View && page && (
            <>
              <ReplayNotice page={page} onLive={toLive} />
              <h2 className="page-title">
                {PAGE_LABEL[page]}
                <span className="muted">（{MODULE_LABEL[page]}）</span>
              </h2>
              <ExportContext.Provider value={{ place: placeName(scope), period: date ?? termLabel(shownTerm) }}>
                <View
                  key={`${page}`}
                  scope={scope}
                  term={term}
                  date={date}
                  leader={leader}
                  decider={user.role !== 'admin'}
                  mayDecide={mayDecideFor(user, geo.data)}
                  drill={drill}
                  placeName={placeName}
                  childScopes={childScopesOf(scope, geo.data)}
                  onTerm={onTerm}
                  onDate={onDate}
                />
              </ExportContext.Provider>
            </>
          )}
        </div>
      </main>
    </div>
  );
}
