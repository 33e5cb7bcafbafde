import {
  affects,
  DAY_RE,
  formatScope,
  parseScope,
  scopeContainsSchool,
  shanghaiDay,
  type Alert,
  type ChangeSignal,
  type ClientToServerEvents,
  type Notice,
  type Scope,
  type ServerToClientEvents,
  type Snapshot,
  type MetricsReader,
  type MinutePoint,
  type Store,
} from '@edu/analytics';
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { AlertBook } from '../alerts/book.ts';
import type { Auditor } from '../audit.ts';
import type { UserDirectory } from '../auth/directory.ts';
import { displayPrincipal, displayUser, type DisplayDirectory } from '../auth/displays.ts';
import type { Sessions } from '../auth/sessions.ts';
import { allowedScopes, canSeeItem, scopeRefusal, type User } from '../auth/user.ts';
import type { Clock } from '../clock.ts';
import type { Refusal } from '../errors.ts';
import type { Geography } from '../geo.ts';
import type { NoticeBook } from '../notices/book.ts';
import type { StreamerMetrics } from '../observability.ts';
import type { SharedState } from '../shared/state.ts';
import { Debouncer } from './debounce.ts';
import { pushedFor } from './filter.ts';
import { updateFrames, ViewGroups } from './held-groups.ts';
import { MinuteCurve } from './minutes.ts';
import { buildSnapshot } from './snapshot.ts';

// Live push. A screen authenticates with its session token (handshake `auth.token`), joins a
// scope and day, gets a full snapshot at once (from the shared cache when there is one), then
// updates: change signals and alert/notice changes mark the joined rooms they touch dirty, a
// debouncer (live.debounceMs, 100 ms by default, at most live.maxWaitMs, 250 ms) batches them,
// and only dirty rooms with screens are recomputed.
// Each instance serves its own sockets; snapshot versions and the cache are shared. Each room
// keeps its attendance curve, redrawn in the background from the earliest minute a signal
// touched (minutes.ts); a snapshot takes the curve as last drawn.

interface SocketData {
  userId: string;
  /** The hash of the session token the socket signed in with (never the token). */
  sessionKey: string;
  room: string | null;
  /** A wall display's socket: its id, and the screen build it said it runs (issue 12). */
  displayId?: string;
  build?: string | null;
  /** The `alert_groups_at` of the groups this socket was last sent whole (held-groups.ts). */
  groupsAt?: number;
}
export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const joinSchema = z.object({ scope: z.string().max(100), date: z.string().regex(DAY_RE).optional() });

interface Room {
  key: string;
  scope: Scope;
  day: string;
  sockets: Set<LiveSocket>;
  curve: MinuteCurve;
  /** The newest snapshot version this instance sent the room's screens (nextVersion). */
  version: number;
  /** Per permission view, since which push its alert groups are unchanged. */
  groups: ViewGroups;
}

/** How long a room's version counter outlives its last snapshot in SharedState. */
const VERSION_TTL_MS = 7 * 86_400_000;

export interface HubDeps {
  io: LiveServer;
  store: Store;
  reader: MetricsReader;
  shared: SharedState;
  users: UserDirectory;
  sessions: Sessions;
  /** Wall displays: a socket may sign in with a display's credential (read-only, one scope). */
  displays: DisplayDirectory;
  /** Refused joins are escalation attempts and are audited, as refused reads and writes are. */
  audit: Auditor;
  alerts: AlertBook;
  notices: NoticeBook;
  geo: () => Geography;
  clock: Clock;
  metrics: StreamerMetrics;
  debounceMs: number;
  maxWaitMs: number;
  snapshotCacheMs: number;
  /** How often rooms of today are recomputed without events, so the due figures advance. */
  dueTickMs: number;
  /** How often every socket's session is re-checked (expiry; an end missed on pub/sub). */
  sessionCheckMs?: number;
  onError: (err: unknown) => void;
}

export class LiveHub {
  private readonly rooms = new Map<string, Room>();
  private readonly dirty = new Set<string>();
  private readonly debouncer: Debouncer;
  private flushing: Promise<void> = Promise.resolve();
  /** Joins still reading a snapshot: `stop` waits for them, so none writes to a closed Redis. */
  private readonly joining = new Set<Promise<unknown>>();
  private stopped = false;
  private readonly ticker: NodeJS.Timeout;
  private readonly sessionSweep: NodeJS.Timeout;
  private unsubscribeSessions: (() => Promise<void>) | null = null;

  constructor(private readonly d: HubDeps) {
    this.debouncer = new Debouncer(d.debounceMs, d.maxWaitMs, () => void this.flush());
    // The due-so-far figures move with the clock, not only with events: a session becomes due
    // on time even on a quiet afternoon. Rooms of today are recomputed every dueTickMs
    // (live.dueTickMs, 15 s by default) whether or not an event arrived.
    this.ticker = setInterval(() => this.tick(), d.dueTickMs);
    this.ticker.unref();
    d.io.use((socket, next) => {
      this.authenticate(socket as LiveSocket).then(
        () => next(),
        (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
      );
    });
    d.io.on('connection', (s) => this.connected(s as LiveSocket));
    d.alerts.onChange((a) => this.alertChanged(a));
    d.notices.onChange((n, origin) => this.noticeChanged(n, origin));
    d.users.onChange((u) => this.userChanged(u));
    // Sessions end on logout, password change, disable, role or scope change (any instance):
    // the sockets signed in with them are cut at once. Expiry, and an end whose message was
    // lost, are caught by re-checking every socket's session now and then, and on every join.
    void d.sessions
      .onEnded((m) => this.sessionsEnded(m.user, m.key))
      .then((unsub) => (this.unsubscribeSessions = unsub), d.onError);
    this.sessionSweep = setInterval(() => void this.recheckSessions(), d.sessionCheckMs ?? 10_000);
    this.sessionSweep.unref();
  }

  private async authenticate(socket: LiveSocket): Promise<void> {
    const { token, build } = socket.handshake.auth as { token?: unknown; build?: unknown };
    // A wall display (auth/displays.ts): checked in memory, so a Redis restart does not refuse it.
    const display = typeof token === 'string' ? this.d.displays.resolve(token) : null;
    if (display) {
      socket.data.userId = displayPrincipal(display.display_id);
      socket.data.sessionKey = display.token_hash;
      socket.data.room = null;
      socket.data.displayId = display.display_id;
      socket.data.build = typeof build === 'string' && /^[\w.:-]{1,64}$/.test(build) ? build : null;
      void this.d.displays.seen(display.display_id, socket.data.build).catch(this.d.onError);
      return;
    }
    const session = typeof token === 'string' ? await this.d.sessions.resolve(token) : null;
    const user = session ? this.d.users.get(session.userId) : null;
    if (!session || !user || user.disabled) throw new Error('unauthorized');
    if (user.must_change_password || session.initial) throw new Error('password_change_required');
    socket.data.userId = user.user_id;
    socket.data.sessionKey = session.key;
    socket.data.room = null;
  }

  /** Whether the socket's session is still live (and its user still enabled). */
  private async sessionLive(socket: LiveSocket): Promise<boolean> {
    if (socket.data.displayId) return this.d.displays.byKey(socket.data.sessionKey) !== null;
    const session = await this.d.sessions.resolveKey(socket.data.sessionKey);
    const user = session ? this.d.users.get(session.userId) : null;
    return session !== null && !session.initial && user !== null && !user.disabled && !user.must_change_password;
  }

  /**
   * Cuts a socket whose session ended: told why, then its connection is closed. Closed, not
   * disconnected: a screen reconnects by itself, its handshake is refused (`unauthorized`)
   * and it shows the login, instead of waiting for a server that said goodbye.
   */
  private cut(socket: LiveSocket, reason: string): void {
    this.leave(socket);
    socket.emit('access', { scopes: [], reason, code: 'unauthorized' });
    socket.conn.close();
  }

  private localSockets(): LiveSocket[] {
    return [...(this.d.io.of('/').sockets.values() as IterableIterator<LiveSocket>)];
  }

  private sessionsEnded(userId: string, key?: string): void {
    for (const socket of this.localSockets())
      if (socket.data.userId === userId && (key === undefined || socket.data.sessionKey === key))
        this.cut(socket, 'session ended');
  }

  private async recheckSessions(): Promise<void> {
    const live = new Map<string, Promise<boolean>>();
    for (const socket of this.localSockets()) {
      if (!socket.data.sessionKey) continue;
      let ok = live.get(socket.data.sessionKey);
      if (!ok) live.set(socket.data.sessionKey, (ok = this.sessionLive(socket)));
      try {
        if (!(await ok)) this.cut(socket, 'session ended');
        else if (socket.data.displayId)
          // The sweep is the display's heartbeat: last seen, on the administration page.
          void this.d.displays.seen(socket.data.displayId, socket.data.build ?? null).catch(this.d.onError);
      } catch (err) {
        this.d.onError(err); // Redis down: keep the socket, try again next round
        return;
      }
    }
  }

  private user(socket: LiveSocket): User | null {
    if (socket.data.displayId) {
      const d = this.d.displays.byKey(socket.data.sessionKey);
      return d ? displayUser(d, this.d.geo()) : null;
    }
    return this.d.users.get(socket.data.userId);
  }

  private connected(socket: LiveSocket): void {
    this.d.metrics.socketsConnected.inc();
    const user = this.user(socket);
    if (user?.role === 'leader' && !user.display) void socket.join('role:leader');
    socket.on('join', (req, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const joined = this.join(socket, req).then(
        (err) => reply(err ? { ok: false, error: err.message, code: err.code } : { ok: true }),
        (err: unknown) => {
          this.d.onError(err);
          reply({ ok: false, error: 'internal error', code: 'internal' });
        },
      );
      this.joining.add(joined);
      void joined.finally(() => this.joining.delete(joined));
    });
    socket.on('disconnect', () => {
      this.d.metrics.socketsConnected.dec();
      this.leave(socket);
    });
  }

  /** Returns why not (a message and its code), or null when joined (and the snapshot sent). */
  private async join(socket: LiveSocket, raw: unknown): Promise<Refusal | null> {
    const req = joinSchema.safeParse(raw);
    if (!req.success)
      return {
        code: 'bad_request',
        message: `bad join request: ${req.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      };
    const scope = parseScope(req.data.scope);
    if ('error' in scope) return { code: 'invalid_scope', message: scope.error };
    const user = this.user(socket);
    if (!user) return { code: 'unauthorized', message: 'unauthorized' };
    // The session is re-checked on every join: one that ended cannot join again.
    if (!(await this.sessionLive(socket))) {
      this.cut(socket, 'session ended');
      return { code: 'unauthorized', message: 'unauthorized' };
    }
    const refusal = scopeRefusal(user, scope, this.d.geo());
    if (refusal) {
      await this.d.audit
        .record({
          actor_id: user.user_id,
          actor_role: user.role,
          action: 'join_refused',
          target: `scope=${req.data.scope}`,
          ok: false,
          ip: socket.handshake.address,
          detail: { reason: refusal.message },
        })
        .catch(this.d.onError);
      return { code: refusal.code, message: `forbidden: ${refusal.message}` };
    }
    const day = req.data.date ?? shanghaiDay(this.d.clock.now());
    const key = `${formatScope(scope)}|${day}`;
    this.leave(socket);
    let room = this.rooms.get(key);
    if (!room) {
      const curve = new MinuteCurve({
        store: this.d.store,
        scope,
        day,
        drawn: (from, fresh) => this.pushCurve(key, from, fresh),
        onError: this.d.onError,
      });
      room = { key, scope, day, sockets: new Set(), curve, version: 0, groups: new ViewGroups() };
      this.rooms.set(key, room);
    }
    room.sockets.add(socket);
    socket.data.room = key;
    const snap = (await this.cached(key)) ?? (await this.recompute(room));
    room.version = Math.max(room.version, snap.version);
    if (snap && socket.data.room === key) {
      // The snapshot may be the shared cache's, its groups' version unknown here: the next
      // update sends them whole (an update pushed while this join waited came before it).
      socket.data.groupsAt = undefined;
      socket.emit('snapshot', pushedFor(user, snap));
      this.d.metrics.snapshotsPushed.inc();
    }
    return null;
  }

  private leave(socket: LiveSocket): void {
    const key = socket.data.room;
    if (!key) return;
    const room = this.rooms.get(key);
    room?.sockets.delete(socket);
    if (room && room.sockets.size === 0) {
      room.curve.stop();
      this.rooms.delete(key);
    }
    socket.data.room = null;
  }

  /** A cached snapshot fresh enough to show at once; a stale one is recomputed right after. */
  private async cached(key: string): Promise<Snapshot | null> {
    const raw = await this.d.shared.get(`snap:${key}`);
    if (!raw) return null;
    const snap = JSON.parse(raw) as Snapshot;
    if (this.d.clock.now() - Date.parse(snap.overview.computed_at) > this.d.maxWaitMs) this.markDirty(key);
    return snap;
  }

  /**
   * The room's next snapshot version, from a counter shared by the instances. A Redis
   * restarted empty starts the counter again from 1 while the room's screens show a higher
   * version and drop any update not newer (state/live.ts): a wall would freeze on its
   * connection until it reconnected. So the counter takes up from the newest version sent here.
   */
  private async nextVersion(room: Room): Promise<number> {
    const key = `snapver:${room.key}`;
    let version = await this.d.shared.incr(key, VERSION_TTL_MS);
    if (version <= room.version) {
      version = room.version + 1;
      await this.d.shared.set(key, String(version), VERSION_TTL_MS);
    }
    room.version = Math.max(room.version, version);
    return version;
  }

  private async recompute(room: Room): Promise<Snapshot> {
    const end = this.d.metrics.snapshotDuration.startTimer({ scope_kind: room.scope.kind });
    const version = await this.nextVersion(room);
    const snap = await buildSnapshot(
      {
        store: this.d.store,
        reader: this.d.reader,
        geo: this.d.geo(),
        alerts: this.d.alerts.all(),
        notices: this.d.notices.all(),
        now: this.d.clock.now(),
        curve: room.curve,
      },
      room.scope,
      room.day,
      version,
    );
    end();
    await this.d.shared.set(`snap:${room.key}`, JSON.stringify(snap), this.d.snapshotCacheMs);
    return snap;
  }

  /** A landed curve redraw goes to the room's screens alone; the figures are not recomputed for it. */
  private pushCurve(key: string, from: number, minutes: MinutePoint[]): void {
    const room = this.rooms.get(key);
    if (!room || room.sockets.size === 0) return;
    // The room waits for its update (the same change signal, debounced): the update reads the
    // curve as now drawn, so one frame per screen carries both. A frame is a write per socket,
    // the fan-out's main cost with thousands of screens on one scope.
    if (this.dirty.has(key)) return;
    const update = { scope: formatScope(room.scope), date: room.day, from, minutes, at: room.curve.drawnAtMs };
    // The curve is aggregates only (check-ins per minute): the same for every permission view.
    this.d.io.local.to([...room.sockets].map((s) => s.id)).emit('curve', update);
  }

  private markDirty(key: string): void {
    if (this.stopped) return;
    this.dirty.add(key);
    this.debouncer.poke();
  }

  /** Ingest's "batch, then signal": mark the joined rooms the batch touched (analytics' affects). */
  changed(signal: ChangeSignal): void {
    const geo = this.d.geo();
    const scopes = new Set(signal.schools.flatMap((s) => geo.scopesOfSchool(s)));
    for (const room of this.rooms.values()) {
      const effect = affects(signal, room.scope, room.day, scopes);
      if (!effect.figures) continue;
      if (effect.curveFrom !== null) room.curve.touch(effect.curveFrom);
      this.markDirty(room.key);
    }
  }

  private flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const keys = [...this.dirty];
      this.dirty.clear();
      for (const key of keys) {
        const room = this.rooms.get(key);
        if (!room || room.sockets.size === 0) continue;
        try {
          const snap = await this.recompute(room);
          this.push(room, snap);
        } catch (err) {
          this.d.onError(err);
        }
      }
    });
    return this.flushing;
  }

  private push(room: Room, snap: Snapshot): void {
    // Sockets with the same view share one filtered payload, and one broadcast per view: the
    // packet is encoded once, not once per socket (5,000 screens on one scope is the design
    // load). `local`: the other instances push to their own sockets.
    // A socket that holds the view's current alert groups is sent the update without them.
    type View = { frames: ReturnType<typeof updateFrames>; at: number; whole: string[]; slim: string[] };
    const views = new Map<string, View>();
    for (const socket of room.sockets) {
      const user = this.user(socket);
      if (!user) continue;
      const key = user.role === 'staff' ? `${user.dimensions.join(',')}|${user.districts.join(',')}` : '*';
      let view = views.get(key);
      if (!view) {
        const payload = pushedFor(user, snap);
        const at = room.groups.at(key, payload.alert_groups, snap.version);
        views.set(key, (view = { frames: updateFrames(payload, at), at, whole: [], slim: [] }));
      }
      (socket.data.groupsAt === view.at ? view.slim : view.whole).push(socket.id);
      socket.data.groupsAt = view.at;
    }
    for (const { frames, whole, slim } of views.values()) {
      if (whole.length > 0) this.d.io.local.to(whole).emit('update', frames.whole);
      if (slim.length > 0) this.d.io.local.to(slim).emit('update', frames.slim);
      this.d.metrics.snapshotsPushed.inc(whole.length + slim.length);
    }
  }

  private alertChanged(a: Alert): void {
    const counts = { critical: 0, warning: 0, info: 0 };
    for (const x of this.d.alerts.all()) if (x.state !== 'resolved') counts[x.severity]++;
    for (const [sev, n] of Object.entries(counts)) this.d.metrics.alertsOpen.set({ severity: sev }, n);
    for (const room of this.rooms.values()) {
      if (!scopeContainsSchool(room.scope, a)) continue;
      for (const socket of room.sockets) {
        const user = this.user(socket);
        if (user && canSeeItem(user, a.dimension, a.district_id)) socket.emit('alert', a);
      }
      this.markDirty(room.key);
    }
  }

  private noticeChanged(n: Notice, origin: 'local' | 'remote'): void {
    const place = this.d.geo().placeOfSchool(n.target_id);
    for (const room of this.rooms.values()) {
      const hit = n.target_type === 'school' ? scopeContainsSchool(room.scope, place) : room.scope.kind === 'city';
      if (!hit) continue;
      for (const socket of room.sockets) {
        const user = this.user(socket);
        if (
          user &&
          (user.role !== 'staff' || user.dimensions.includes(n.dimension)) &&
          (user.role !== 'leader' || user.display)
        )
          socket.emit('notice', n);
      }
      this.markDirty(room.key);
    }
    // Leaders get every notice change, overdue ones as the escalation; sent once, by the
    // instance that made the change, through the adapter to leaders on every instance.
    if (origin === 'local') this.d.io.to('role:leader').emit('notice', n);
  }

  /**
   * The user changed. A password, role or scope change or a disable ended their sessions
   * (routes): those sockets are cut. Otherwise sockets whose scope is no longer allowed lose
   * it at once, and the others are re-sent their filtered view.
   */
  private userChanged(u: User): void {
    for (const socket of this.localSockets()) {
      if (socket.data.userId !== u.user_id) continue;
      if (u.disabled) {
        this.cut(socket, 'account disabled');
        continue;
      }
      void this.sessionLive(socket).then(
        (live) => (live ? this.userStillSignedIn(socket, u) : this.cut(socket, 'session ended')),
        this.d.onError,
      );
    }
  }

  private userStillSignedIn(socket: LiveSocket, u: User): void {
    if (u.role === 'leader') void socket.join('role:leader');
    else void socket.leave('role:leader');
    const key = socket.data.room;
    if (!key) return;
    const room = this.rooms.get(key);
    const refusal = room ? scopeRefusal(u, room.scope, this.d.geo()) : null;
    if (refusal) {
      this.leave(socket);
      socket.emit('access', { scopes: allowedScopes(u), reason: refusal.message, code: refusal.code });
    } else if (room) {
      this.markDirty(key); // same scope, maybe other dimensions: resend filtered
    }
  }

  /** Number of screens on this instance per room (for tests and /healthz). */
  stats(): { rooms: number; sockets: number } {
    let sockets = 0;
    for (const r of this.rooms.values()) sockets += r.sockets.size;
    return { rooms: this.rooms.size, sockets };
  }

  private tick(): void {
    const today = shanghaiDay(this.d.clock.now());
    for (const room of this.rooms.values()) if (room.day === today) this.markDirty(room.key);
  }

  /**
   * Stops the timers and waits for the work already started (a flush, a join's snapshot): the
   * caller closes Redis and ClickHouse next, and a write landing after that would reject.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.ticker);
    clearInterval(this.sessionSweep);
    this.debouncer.cancel();
    for (const room of this.rooms.values()) room.curve.stop();
    await Promise.all([this.unsubscribeSessions?.().catch(() => {}), this.flushing, ...this.joining]);
  }
}
