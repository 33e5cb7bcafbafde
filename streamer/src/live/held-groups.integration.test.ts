import { NO_PENDING, type PushedSnapshot, type PushedUpdate, type Store } from '@edu/analytics';
import { withHeldGroups } from '@edu/analytics/live';
import { disposeTestStore, FIXTURE_DAY, fixtureCityEvents, openTestStore } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import {
  ApiClient,
  connectScreen,
  join,
  nextEvent,
  startTestStreamer,
  storeEvents,
  type ScreenSocket,
  type TestStreamer,
} from '../testing/harness.ts';

// Issue 13, send only what changed: an update leaves out the alert groups a socket was last
// sent, while they have not changed; a socket that has not been sent them (just joined) gets
// them whole, and so does every socket once an alert changes. A screen that holds the groups
// made whole again sees exactly the groups a fresh snapshot gives.

const SIX_PM = Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`);

describe('updates without the alert groups a screen holds', () => {
  let store: Store;
  let t: TestStreamer;
  const sockets: ScreenSocket[] = [];

  beforeAll(async () => {
    store = await openTestStore('server', 'held_groups');
    await storeEvents(store, fixtureCityEvents());
    t = await startTestStreamer(store, {
      clock: new ManualClock(SIX_PM),
      // Rooms of today are pushed every second without events (the due tick).
      config: {
        live: { debounceMs: 20, maxWaitMs: 200, snapshotCacheSeconds: 60, dueTickMs: 1000 },
        alerts: { evaluateEveryMs: 600_000, pendingMinutes: NO_PENDING },
      } as never,
    });
    await t.streamer.evaluator.evaluate();
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  /** A leader's wall on the city: its snapshot, then every update as it came and as held. */
  const wall = async (api: ApiClient) => {
    const socket = connectScreen(t.url, api.token as string);
    sockets.push(socket);
    const updates: PushedUpdate[] = [];
    const held: (PushedSnapshot | null)[] = [];
    let shown: PushedSnapshot | null = null;
    // A snapshot frame replaces what is held (its groups' version unknown), as on the screen.
    socket.on('snapshot', (s) => (shown = s));
    const first = nextEvent(socket, 'snapshot');
    socket.on('update', (u) => {
      updates.push(u);
      shown = withHeldGroups(shown, u);
      held.push(shown);
    });
    expect(await join(socket, 'city', FIXTURE_DAY)).toEqual({ ok: true });
    await first;
    return { socket, updates, held };
  };

  it('sends the groups once, then leaves them out until an alert changes', async () => {
    const leader = await new ApiClient(t.url).login('13800000001');
    const a = await wall(leader);
    await expect.poll(() => a.updates.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    const [u1, u2, u3] = a.updates as [PushedUpdate, PushedUpdate, PushedUpdate];
    // The first update after the snapshot (whose groups' version the server cannot know): whole.
    expect(u1.alert_groups?.length).toBeGreaterThan(0);
    expect(u1.alert_groups_at).toBe(u1.version);
    // Then without them, referring to the same ones.
    expect([u2.alert_groups, u3.alert_groups]).toEqual([undefined, undefined]);
    expect([u2.alert_groups_at, u3.alert_groups_at]).toEqual([u1.version, u1.version]);
    expect(a.held[2]?.alert_groups).toEqual(u1.alert_groups);

    // A second wall joins: its first update is whole while the first wall's is not.
    const b = await wall(leader);
    await expect.poll(() => b.updates.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const bFirst = b.updates[0]!;
    expect(bFirst.alert_groups).toEqual(u1.alert_groups);
    const aSame = a.updates.find((u) => u.version === bFirst.version);
    expect(aSame?.alert_groups).toBeUndefined();
    expect(aSame?.alert_groups_at).toBe(bFirst.alert_groups_at);
    expect(b.updates[1]?.alert_groups).toBeUndefined();

    // An alert acknowledged changes its group's members: every wall is sent the groups whole.
    const alert = t.streamer.alerts.all().find((x) => x.state === 'open' && x.rule === 'class_not_started');
    expect(alert).toBeDefined();
    const before = a.updates.length;
    const r = await leader.post(`/api/v1/alerts/${encodeURIComponent(alert!.id)}/ack`, { comment: '已电话联系' });
    expect(r.status).toBe(200);
    const acked = (u: PushedUpdate) =>
      u.alert_groups?.some((g) => g.members.some((m) => m.id === alert!.id && m.state === 'acknowledged')) ?? false;
    await expect.poll(() => a.updates.slice(before).some(acked), { timeout: 10_000 }).toBe(true);
    const changed = a.updates.slice(before).find(acked)!;
    expect(changed.alert_groups_at).toBe(changed.version);
    expect(changed.alert_groups_at).toBeGreaterThan(u1.version);
    await expect.poll(() => b.updates.some(acked), { timeout: 10_000 }).toBe(true);

    // Then slim again, and what the walls hold is what a fresh snapshot gives.
    const at = a.updates.length;
    await expect.poll(() => a.updates.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(at + 2);
    expect(a.updates.at(-1)?.alert_groups).toBeUndefined();
    const fresh = await leader.get<PushedSnapshot>(`/api/v1/snapshot?scope=city&date=${FIXTURE_DAY}`);
    expect(fresh.status).toBe(200);
    expect(a.held.at(-1)?.alert_groups).toEqual(fresh.body.alert_groups);
    expect(a.held.every((h) => h !== null)).toBe(true);

    // Joining again (as the screen does when it cannot make an update whole): a snapshot, then
    // the groups whole, or the screen would join again and again.
    const rejoined = a.updates.length;
    expect(await join(a.socket, 'city', FIXTURE_DAY)).toEqual({ ok: true });
    await expect.poll(() => a.updates.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(rejoined + 2);
    expect(a.updates[rejoined]?.alert_groups).toEqual(fresh.body.alert_groups);
    expect(a.held.every((h) => h !== null)).toBe(true);
  });
});
