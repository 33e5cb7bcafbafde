import { setTimeout as sleep } from 'node:timers/promises';
import { connectScreen, type ScreenSocket } from '@edu/streamer/testing';

/** Screens joined to the city through the load balancer, counting the snapshots each receives. */
export class Screens {
  private readonly sockets: ScreenSocket[] = [];
  private readonly counts: number[] = [];
  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly day: string,
    private readonly count: number,
  ) {}

  async connect(): Promise<void> {
    for (let i = 0; i < this.count; i++) {
      const socket = connectScreen(this.url, this.token, { reconnect: true });
      this.counts.push(0);
      socket.on('snapshot', () => (this.counts[i] = (this.counts[i] ?? 0) + 1));
      socket.on('connect', () => socket.emit('join', { scope: 'city', date: this.day }, () => undefined));
      this.sockets.push(socket);
    }
    for (let t = 0; t < 100 && this.counts.some((n) => n === 0); t++) await sleep(100);
  }

  snapshots(): number[] {
    return [...this.counts];
  }

  /** Screens that received a snapshot since `before` (a fresh one from the other instance). */
  resynced(before: number[]): number {
    return this.counts.filter((n, i) => n > (before[i] ?? 0)).length;
  }

  close(): void {
    for (const s of this.sockets) s.disconnect();
  }
}
