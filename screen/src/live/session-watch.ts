import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@edu/analytics/live';

// The desk console joins no live room, but it must learn at once when its session ends: an
// administrator changed the user's districts, dimensions or role, disabled them or reset their
// password (each ends every session of the user, issue 16). The console holds one quiet socket
// for that: the server tells it (`access` with no scopes) and closes it, or refuses its
// reconnect; either way the console returns to the login form without a reload, and after
// signing in again it shows what the user may see now.

type WatchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function watchSession(token: string, onEnded: () => void): () => void {
  const s: WatchSocket = io({
    auth: { token },
    transports: ['websocket'],
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10_000,
  });
  let done = false;
  const end = () => {
    if (done) return;
    done = true;
    stop();
    onEnded();
  };
  const stop = () => {
    s.removeAllListeners();
    s.disconnect();
  };
  s.on('access', (a) => {
    if (a.scopes.length === 0) end();
  });
  s.on('connect_error', (err) => {
    if (err.message === 'unauthorized' || err.message === 'password_change_required') end();
  });
  return () => {
    done = true;
    stop();
  };
}
