import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@edu/analytics/live';
import { useLive } from '../state/live.ts';

// The typed Socket.IO client. One connection per signed-in screen; on every (re)connect it
// joins the wanted scope again and takes the fresh snapshot, so a reconnect never leaves a
// gap. Updates go straight into the live store; charts redraw from there at their own pace.

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: LiveSocket | null = null;
let wanted: { scope: string; date?: string } = { scope: 'city' };

function join(): void {
  if (!socket?.connected) return;
  const live = useLive.getState();
  socket.emit('join', wanted, (ack) => {
    if (ack.ok) live.setConnection('live');
    else live.setConnection('refused', ack.error);
  });
}

export function connectLive(token: string, onUnauthorized: () => void): () => void {
  disconnectLive();
  const live = useLive.getState();
  live.setConnection('connecting');
  const s: LiveSocket = io({
    auth: { token },
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
  s.on('snapshot', (snap) => useLive.getState().apply(snap, true));
  s.on('update', (snap) => useLive.getState().apply(snap, false));
  s.on('alert', (a) => useLive.getState().alert(a));
  s.on('notice', (n) => useLive.getState().notice(n));
  s.on('access', (a) => {
    // Permissions changed while watching: show the refusal; the scope picker offers what is left.
    useLive.getState().setConnection('refused', `权限已变更：${a.reason}`);
  });
  return disconnectLive;
}

/** Watches another scope or day: the current snapshot is dropped and the new one joined. */
export function watch(scope: string, date?: string): void {
  if (wanted.scope === scope && wanted.date === date) return;
  wanted = date ? { scope, date } : { scope };
  useLive.getState().reset();
  join();
}

export function disconnectLive(): void {
  socket?.removeAllListeners();
  socket?.disconnect();
  socket = null;
}
