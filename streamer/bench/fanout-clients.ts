import { io } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, PushedUpdate } from '@edu/analytics/live';
import type { Socket } from 'socket.io-client';
import { wireScreen } from './fanout-wire.ts';

// The screens of the fan-out benchmark, in their own process so they do not share the
// streamer's event loop: N screens join one scope and report, for every update, how long after
// the snapshot was computed it arrived. Talks to its parent over IPC. By default the screens
// read the wire themselves (fanout-wire.ts); with FANOUT_WIRE=0 each is a socket.io-client.

const [url, token, scope, date, countText] = process.argv.slice(2) as [string, string, string, string, string];
const count = Number(countText);
const wire = process.env.FANOUT_WIRE !== '0';
const latencies: number[] = [];
let lastChars = 0;
let curves = 0;
const closers: (() => void)[] = [];

function fullClient(): Promise<void> {
  const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  closers.push(() => s.disconnect());
  return new Promise<void>((resolve, reject) => {
    s.once('connect_error', reject);
    s.once('snapshot', () => {
      s.on('curve', () => curves++);
      s.on('update', (snap: PushedUpdate) => {
        latencies.push(Date.now() - Date.parse(snap.overview.computed_at));
        lastChars = JSON.stringify(snap).length;
      });
      resolve();
    });
    s.once('connect', () =>
      s.emit('join', { scope, date }, (ack: { ok: boolean; error?: string }) =>
        ack.ok ? undefined : reject(new Error(ack.error)),
      ),
    );
  });
}

async function wireClient(): Promise<void> {
  const screen = await wireScreen({
    url,
    token,
    scope,
    date,
    onCurve: () => curves++,
    onUpdate: (arrived, computed, chars) => {
      latencies.push(arrived - computed);
      lastChars = chars;
    },
  });
  closers.push(() => screen.close());
}

async function connectAll(): Promise<void> {
  for (let i = 0; i < count; i += 250) {
    await Promise.all(Array.from({ length: Math.min(250, count - i) }, () => (wire ? wireClient() : fullClient())));
  }
}

process.on('message', (msg: { cmd: string }) => {
  if (msg.cmd === 'take') {
    process.send?.({ latencies: latencies.splice(0), bytes: lastChars, curves });
  } else if (msg.cmd === 'exit') {
    for (const close of closers) close();
    process.exit(0);
  }
});

connectAll().then(
  () => {
    // Only the updates of the measured phase count, not those the connection storm caused.
    setTimeout(() => {
      latencies.length = 0;
      curves = 0;
      process.send?.({ ready: closers.length });
    }, 1500);
  },
  (err: unknown) => {
    process.send?.({ error: String(err) });
    process.exit(1);
  },
);
