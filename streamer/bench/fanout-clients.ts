import { io } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, PushedSnapshot } from '@edu/analytics/live';
import type { Socket } from 'socket.io-client';

// The screens of the fan-out benchmark, in their own process so they do not share the
// streamer's event loop: N Socket.IO clients join one scope and report, for every update,
// how long after the snapshot was computed it arrived. Talks to its parent over IPC.

const [url, token, scope, date, countText] = process.argv.slice(2) as [string, string, string, string, string];
const count = Number(countText);
const latencies: number[] = [];
const sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];

const onUpdate = (s: PushedSnapshot) => latencies.push(Date.now() - Date.parse(s.overview.computed_at));

async function connectAll(): Promise<void> {
  for (let i = 0; i < count; i += 250) {
    const batch = Array.from({ length: Math.min(250, count - i) }, () => {
      const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(s);
      return new Promise<void>((resolve, reject) => {
        s.once('connect_error', reject);
        s.once('snapshot', () => resolve());
        s.once('connect', () =>
          s.emit('join', { scope, date }, (ack: { ok: boolean; error?: string }) =>
            ack.ok ? undefined : reject(new Error(ack.error)),
          ),
        );
      });
    });
    await Promise.all(batch);
  }
  for (const s of sockets) s.on('update', onUpdate);
}

process.on('message', (msg: { cmd: string }) => {
  if (msg.cmd === 'take') {
    process.send?.({ latencies: latencies.splice(0) });
  } else if (msg.cmd === 'exit') {
    for (const s of sockets) s.disconnect();
    process.exit(0);
  }
});

connectAll().then(
  () => {
    // Only the updates of the measured phase count, not those the connection storm caused.
    setTimeout(() => {
      latencies.length = 0;
      process.send?.({ ready: sockets.length });
    }, 1500);
  },
  (err: unknown) => {
    process.send?.({ error: String(err) });
    process.exit(1);
  },
);
