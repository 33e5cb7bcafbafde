import { setTimeout as sleep } from 'node:timers/promises';
import { connectScreen, type ScreenSocket } from '@edu/streamer/testing';

/**
 * Screens joined to the city through the load balancer, counting the snapshots each receives
 * and the times each lost its connection. With `distinctAddresses`, screen i connects from
 * 127.0.0.(i+2), so a balancer that is sticky by client address spreads them over instances.
 */
export class Screens {
  private readonly sockets: ScreenSocket[] = [];
  private readonly counts: number[] = [];
  private readonly drops: number[] = [];
  /** Snapshot count at each screen's latest reconnection. */
  private readonly atReconnect: number[] = [];
  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly day: string,
    private readonly count: number,
    private readonly distinctAddresses = false,
  ) {}

  async connect(): Promise<void> {
    for (let i = 0; i < this.count; i++) {
      const socket = connectScreen(this.url, this.token, {
        reconnect: true,
        ...(this.distinctAddresses ? { localAddress: `127.0.0.${i + 2}` } : {}),
      });
      this.counts.push(0);
      this.drops.push(0);
      this.atReconnect.push(0);
      socket.on('snapshot', () => (this.counts[i] = (this.counts[i] ?? 0) + 1));
      socket.on('disconnect', () => {
        this.drops[i] = (this.drops[i] ?? 0) + 1;
        this.atReconnect[i] = this.counts[i] ?? 0;
      });
      socket.on('connect', () => socket.emit('join', { scope: 'city', date: this.day }, () => undefined));
      this.sockets.push(socket);
    }
    for (let t = 0; t < 100 && this.counts.some((n) => n === 0); t++) await sleep(100);
  }

  snapshots(): number[] {
    return [...this.counts];
  }

  disconnects(): number[] {
    return [...this.drops];
  }

  /** Screens that lost their connection since `dropsBefore`, and of those, the ones since resynced (a snapshot after the drop). */
  moved(dropsBefore: number[]): { dropped: number; resynced: number } {
    const dropped = this.drops.map((d, i) => d > (dropsBefore[i] ?? 0));
    return {
      dropped: dropped.filter(Boolean).length,
      resynced: dropped.filter((d, i) => d && (this.counts[i] ?? 0) > (this.atReconnect[i] ?? 0)).length,
    };
  }

  /** Screens that received a snapshot since `before` (a fresh one from the other instance). */
  resynced(before: number[]): number {
    return this.counts.filter((n, i) => n > (before[i] ?? 0)).length;
  }

  close(): void {
    for (const s of this.sockets) s.disconnect();
  }
}
