import WebSocket from 'ws';

// A screen of the fan-out benchmark that speaks Socket.IO's wire protocol (Engine.IO 4 over a
// WebSocket) itself and reads only what the benchmark needs from each frame: when it arrived,
// the snapshot's `computed_at` and its size. 5,000 real walls parse their updates on 5,000
// machines; 5,000 socket.io-client instances in one process on this 2-core machine parse them
// one after another, and the last screen's "latency" was mostly the wait for its turn in that
// process (FANOUT_WIRE=0 keeps the full clients).
//
// Frames: "0{…}" open, "40{auth}" connect, "40{sid}" connected, "42[event,data]" event,
// "42<id>[…]" event with ack, "43<id>[…]" ack, "2" ping answered by "3".

export interface WireScreen {
  close(): void;
}

export interface WireOptions {
  url: string;
  token: string;
  scope: string;
  date: string;
  /** Every `update` frame: its arrival (ms), the snapshot's computed_at (ms), its length. */
  onUpdate: (arrivedMs: number, computedMs: number, chars: number) => void;
  /** Every `curve` frame (a curve redraw that landed after its room's update). */
  onCurve: () => void;
}

const COMPUTED = '"computed_at":"';

function computedAt(frame: string): number {
  const i = frame.indexOf(COMPUTED);
  if (i < 0) return NaN;
  const from = i + COMPUTED.length;
  return Date.parse(frame.slice(from, frame.indexOf('"', from)));
}

/** Connects, joins the scope and resolves on its first snapshot. */
export function wireScreen(o: WireOptions): Promise<WireScreen> {
  const ws = new WebSocket(`${o.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      ws.terminate();
      reject(new Error(why));
    };
    ws.on('error', (err) => reject(err));
    ws.on('message', (data) => {
      const frame = data.toString();
      if (frame === '2') return ws.send('3');
      if (frame.startsWith('0{')) return ws.send(`40${JSON.stringify({ token: o.token })}`);
      if (frame.startsWith('40')) return ws.send(`420${JSON.stringify(['join', { scope: o.scope, date: o.date }])}`);
      if (frame.startsWith('44')) return fail(`connect refused: ${frame.slice(2)}`);
      if (frame.startsWith('430')) {
        const [ack] = JSON.parse(frame.slice(3)) as [{ ok: boolean; error?: string }];
        return ack.ok ? undefined : fail(`join refused: ${ack.error}`);
      }
      if (frame.startsWith('42["update"')) return o.onUpdate(Date.now(), computedAt(frame), frame.length);
      if (frame.startsWith('42["curve"')) return o.onCurve();
      if (frame.startsWith('42["snapshot"')) resolve({ close: () => ws.close() });
    });
  });
}
