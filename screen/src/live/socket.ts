import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@edu/analytics/live';
import { SCREEN_BUILD } from '../lib/build.ts';
import { refusalText } from '../lib/errors.ts';
import { useLive } from '../state/live.ts';
import { useReplay } from '../state/replay.ts';

// The typed Socket.IO client. One connection per signed-in screen; on every (re)connect it
// joins the wanted scope again and takes the fresh snapshot, so a reconnect never leaves a
// gap. Updates go straight into the live store; charts redraw from there at their own pace.

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: LiveSocket | null = null;
let retry: ReturnType<typeof setTimeout> | null = null;
/** A join the server could not answer (a backing service restarting) is asked again after this. */
export const JOIN_RETRY_MS = 5000;

function join(): void {
  if (retry) clearTimeout(retry);
  retry = null;
  if (!socket?.connected) return;
  const live = useLive.getState();
  socket.emit('join', live.wanted, (ack) => {
    if (ack.ok) live.setConnection('live');
    else if (ack.code === 'internal' || ack.code === 'unavailable') {
      // Not a refusal: Redis or ClickHouse is restarting. A wall left alone must come back by
      // itself (issue 12), so it says the data may be stale and asks again.
      live.setConnection('disconnected');
      retry = setTimeout(join, JOIN_RETRY_MS);
    } else live.setConnection('refused', refusalText(ack.code));
  });
}

export function connectLive(token: string, onUnauthorized: () => void): () => void {
  disconnectLive();
  const live = useLive.getState();
  live.setConnection('connecting');
  const s: LiveSocket = io({
    // The build rides along: a wall display's build is shown on the administration page.
    auth: { token, build: SCREEN_BUILD },
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  socket = s;
  s.on('connect', join);
  s.on('disconnect', () => useLive.getState().setConnection('disconnected'));
  s.on('connect_error', (err) => {
    if (err.message === 'unauthorized' || err.message === 'password_change_required') onUnauthorized();
    else useLive.getState().setConnection('disconnected');
  });
  // While replaying (回放) the wall shows a past moment: live pushes must not paint over it.
  const notReplaying = () => !useReplay.getState().active;
  s.on('snapshot', (snap) => notReplaying() && useLive.getState().apply(snap, true));
  s.on('update', (u) => {
    // An update without the alert groups this wall holds (a frame it dropped): a fresh snapshot.
    if (notReplaying() && useLive.getState().apply(u, false) === 'rejoin') join();
  });
  s.on('curve', (c) => notReplaying() && useLive.getState().curve(c));
  s.on('notice', (n) => notReplaying() && useLive.getState().notice(n));
  s.on('access', (a) => {
    // Permissions changed while watching: show the refusal; the scope picker offers what is left.
    useLive.getState().setConnection('refused', a.scopes.length === 0 ? '账号已停用' : '权限已变更，无权查看该范围');
  });
  return disconnectLive;
}

/** Watches another scope or day: the current snapshot is dropped and the new one joined. */
export function watch(scope: string, date?: string): void {
  const { wanted, want } = useLive.getState();
  if (wanted.scope === scope && wanted.date === date) return;
  want(date ? { scope, date } : { scope });
  join();
}

/** Back from a replay: what is shown is dropped and the wanted scope joined again, for a fresh snapshot. */
export function resumeLive(): void {
  const { wanted, want } = useLive.getState();
  want({ ...wanted });
  join();
}

export function disconnectLive(): void {
  if (retry) clearTimeout(retry);
  retry = null;
  socket?.removeAllListeners();
  socket?.disconnect();
  socket = null;
}
