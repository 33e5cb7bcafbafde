import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import type { Alert, Geo } from '../api/types.ts';
import { AlertFeed, wallCounts } from '../components/AlertFeed.tsx';
import { Banner } from '../components/Banner.tsx';
import { StaleBanner } from '../components/StaleBanner.tsx';
import { Breadcrumbs, crumbsOf } from '../components/Breadcrumbs.tsx';
import { CityMap } from '../components/CityMap.tsx';
import { CriticalPopup } from '../components/CriticalPopup.tsx';
import { Header } from '../components/Header.tsx';
import { LateDataBanner } from '../components/LateDataBanner.tsx';
import { Kpis } from '../components/Kpis.tsx';
import { MinuteChart } from '../components/MinuteChart.tsx';
import { NoticeDialog } from '../components/NoticeDialog.tsx';
import { NoticeList } from '../components/NoticeList.tsx';
import { Rankings } from '../components/Rankings.tsx';
import { ReplayBar } from '../components/ReplayBar.tsx';
import { Tile } from '../components/Tile.tsx';
import { Age } from '../components/Age.tsx';
import { watchBuild } from '../lib/build.ts';
import { minuteReached } from '../lib/due.ts';
import { termLabel } from '../lib/format.ts';
import { parseOptions } from '../lib/options.ts';
import { connectLive, watch } from '../live/socket.ts';
import { useLive } from '../state/live.ts';
import { useReplay } from '../state/replay.ts';
import { useSession } from '../state/session.ts';
import { useIdleRotation } from './rotation.ts';

const City3D = lazy(() => import('../components/City3D.tsx'));

/** The home wall: KPIs, attendance curve, city map, rankings, alerts and notices of one scope. */
export function Wall() {
  const { token, user, logout, expire } = useSession();
  // A paired display (issue 12) shows the scope and options its administrator pinned, whatever
  // the URL says; it can only look, so alerts open no notice dialog.
  const display = user?.display;
  const options = useMemo(() => {
    const o = parseOptions(window.location.search);
    return display ? { ...o, scope: display.scope, rotate: display.rotate, sound: display.sound } : o;
  }, [display]);
  const allowed = user?.scopes ?? [];
  const [scope, setScope] = useState(() =>
    allowed.includes('city') || options.scope !== 'city' ? options.scope : (allowed[0] ?? 'city'),
  );
  const [geo, setGeo] = useState<Geo | null>(null);
  const [dialog, setDialog] = useState<Alert | null>(null);
  const [view3d, setView3d] = useState(false);
  const { snapshot, connection, refusal, critical, dismissCritical, receivedAt, serviceTime: liveTime } = useLive();
  const replaying = useReplay((s) => s.active);

  const onUnauthorized = display ? expire : logout;
  useEffect(() => (token ? connectLive(token, onUnauthorized) : undefined), [token, onUnauthorized]);
  // A display reloads itself when the product was upgraded (the served screen build changed).
  useEffect(() => (display ? watchBuild(() => window.location.reload()) : undefined), [display]);
  useEffect(() => {
    watch(scope, options.date);
    const q = new URLSearchParams(window.location.search);
    q.set('scope', scope);
    // Rotation defaults to on for the city scope only: a touring city wall reloaded on a
    // district must keep touring, so the URL says so explicitly.
    if (options.rotate) q.set('rotate', '1');
    window.history.replaceState(null, '', `?${q.toString()}`);
  }, [scope, options.date, options.rotate]);
  useEffect(() => {
    void api<Geo>('GET', '/api/v1/geo').then(setGeo, () => setGeo(null));
  }, [snapshot?.children.length]);
  const districts = useMemo(
    () =>
      ['city', ...(geo?.districts.map((d) => `district:${d.id}`) ?? [])].filter(
        (s) => allowed.includes('city') || s !== 'city',
      ),
    [geo, allowed],
  );
  useIdleRotation(options.rotate && !dialog, districts, scope, setScope);

  // A display offers no way above its pinned scope (its credential could not look there).
  const crumbs = useMemo(() => {
    const all = crumbsOf(scope, geo);
    const pinned = display ? all.findIndex((c) => c.scope === display.scope) : 0;
    return pinned > 0 ? all.slice(pinned) : all;
  }, [scope, geo, display]);
  const pick = useCallback((s: string) => setScope(s), []);
  const openAlert = useCallback((a: Alert | null) => (display ? undefined : setDialog(a)), [display]);
  const names = useCallback((id: string) => geo?.schools.find((s) => s.id === id)?.name ?? id, [geo]);
  // The service's time: the header's clock, the notices' countdowns and the data's age. A
  // replayed moment is its snapshot's own time; live, the store's (never turned back).
  const serviceTime = useMemo(
    () =>
      replaying && snapshot ? { at: Date.parse(snapshot.overview.computed_at), receivedAt } : (liveTime ?? undefined),
    [replaying, snapshot, receivedAt, liveTime],
  );
  const dataAge = <Age iso={snapshot?.overview.as_of} serviceTime={serviceTime} />;
  // A wall replaying a day that is over (its due moment is that day's 24:00) is not "today".
  const pastDay = snapshot ? snapshot.overview.due.at.slice(0, 10) > snapshot.overview.date : false;
  // The alert panel: the server's groups (a snapshot cached by an older server may lack them).
  const alertGroups = snapshot?.alert_groups ?? [];
  const onWall = wallCounts(alertGroups);

  return (
    <div className="wall">
      <Header
        connection={connection}
        userName={user?.name ?? ''}
        onLogout={display ? undefined : logout}
        consoleHref={user && !display ? '#/console' : undefined}
        replay={replaying}
        serviceTime={serviceTime}
      />
      <Banner connection={connection} refusal={refusal} />
      {/* Live today only: a past day or a replay is not expected to move. */}
      <StaleBanner
        since={receivedAt}
        active={!replaying && !options.date && connection !== 'refused' && connection !== 'disconnected'}
      />
      <LateDataBanner
        overview={snapshot?.overview}
        serviceTime={serviceTime}
        since={receivedAt}
        active={!replaying && connection === 'live'}
      />
      <ReplayBar scope={scope} />
      <div className="scopebar">
        <Breadcrumbs crumbs={crumbs} onPick={pick} />
        <span className="day">
          {snapshot ? `${snapshot.overview.date} · ${termLabel(snapshot.overview.term)}` : ''}
        </span>
        <span className="fresh" data-testid="freshness">
          最新事件 {dataAge} · 推送 {receivedAt ? <Age iso={new Date(receivedAt).toISOString()} /> : '—'}
        </span>
      </div>
      <div className="grid">
        <div className="col left">
          <Tile title={pastDay ? '当日核心指标' : '今日核心指标'} age={dataAge} style={{ height: 500 }}>
            <Kpis overview={snapshot?.overview ?? null} />
          </Tile>
          <Tile title="分时签到" age={dataAge} style={{ height: 440 }}>
            <MinuteChart
              minutes={snapshot?.minutes ?? []}
              until={snapshot ? minuteReached(snapshot.overview.date, snapshot.overview.due.at) : null}
            />
          </Tile>
        </div>
        <div className="col center">
          <Tile title="区域态势（点击下钻）" age={dataAge} style={{ height: 600 }}>
            <button className="view-toggle" data-testid="toggle-3d" onClick={() => setView3d((v) => !v)}>
              {view3d ? '二维' : '三维'}
            </button>
            {!snapshot || snapshot.children.length === 0 ? (
              <div className="no-data">本范围下无下级单位</div>
            ) : view3d ? (
              <Suspense fallback={<div className="no-data">正在加载三维视图…</div>}>
                <City3D items={snapshot.children} date={snapshot.overview.date} />
              </Suspense>
            ) : (
              <CityMap children={snapshot.children} date={snapshot.overview.date} onPick={pick} />
            )}
          </Tile>
          <Tile title="学校排行" age={dataAge} style={{ height: 340 }}>
            {snapshot ? (
              <Rankings snapshot={snapshot} rotate={options.rotate} onPick={pick} />
            ) : (
              <div className="no-data">加载中…</div>
            )}
          </Tile>
        </div>
        <div className="col right">
          <Tile
            title={`预警（紧急 ${onWall.critical} · 警告 ${onWall.warning}）`}
            style={{ height: 530 }}
            testId="alerts-tile"
          >
            <AlertFeed groups={alertGroups} onPick={openAlert} />
          </Tile>
          <Tile title="督办事项" style={{ height: 410 }}>
            <NoticeList notices={snapshot?.notices ?? []} names={names} serviceTime={serviceTime} />
          </Tile>
        </div>
      </div>
      <CriticalPopup
        groups={critical}
        sound={options.sound}
        onOpen={(g) => {
          dismissCritical(g.key);
          openAlert(g.members[0] ?? null);
        }}
        onDismiss={dismissCritical}
      />
      {dialog && <NoticeDialog alert={dialog} onClose={() => setDialog(null)} onAcked={() => setDialog(null)} />}
    </div>
  );
}
