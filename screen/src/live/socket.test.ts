import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useLive } from '../state/live.ts';

// The wall's socket (issue 12): a join the server could not answer (a backing service
// restarting: `internal`, `unavailable`) is not a refusal — the wall says its data may be stale
// and asks again by itself; a real refusal stays a refusal. The display's build rides on the
// handshake.

type Ack = { ok: boolean; code?: string };
const fake = vi.hoisted(() => ({
  handlers: new Map<string, (...a: unknown[]) => void>(),
  joins: [] as ((ack: Ack) => void)[],
  auth: null as unknown,
}));

vi.mock('socket.io-client', () => ({
  io: (opts: { auth: unknown }) => {
    fake.auth = opts.auth;
    return {
      connected: true,
      on: (event: string, h: (...a: unknown[]) => void) => fake.handlers.set(event, h),
      emit: (_event: string, _req: unknown, ack: (a: Ack) => void) => fake.joins.push(ack),
      removeAllListeners: () => fake.handlers.clear(),
      disconnect: () => {},
    };
  },
}));

const { connectLive, disconnectLive, JOIN_RETRY_MS } = await import('./socket.ts');

beforeEach(() => {
  vi.useFakeTimers();
  fake.joins.length = 0;
});
afterEach(() => {
  disconnectLive();
  vi.useRealTimers();
});

describe('the live socket', () => {
  it('sends the build on the handshake', () => {
    connectLive('tok', () => {});
    expect(fake.auth).toEqual({ token: 'tok', build: 'dev' });
  });

  it('asks again after a join the server could not answer, and is live once it can', () => {
    connectLive('tok', () => {});
    fake.handlers.get('connect')?.();
    expect(fake.joins).toHaveLength(1);
    fake.joins[0]?.({ ok: false, code: 'internal' });
    expect(useLive.getState().connection).toBe('disconnected');
    vi.advanceTimersByTime(JOIN_RETRY_MS - 1);
    expect(fake.joins).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(fake.joins).toHaveLength(2);
    fake.joins[1]?.({ ok: true });
    expect(useLive.getState().connection).toBe('live');
  });

  it('does not retry a refusal', () => {
    connectLive('tok', () => {});
    fake.handlers.get('connect')?.();
    fake.joins[0]?.({ ok: false, code: 'outside_display_scope' });
    expect(useLive.getState().connection).toBe('refused');
    expect(useLive.getState().refusal).toBe('该范围不在本大屏终端的展示范围内');
    vi.advanceTimersByTime(10 * JOIN_RETRY_MS);
    expect(fake.joins).toHaveLength(1);
  });
});
