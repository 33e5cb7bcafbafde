import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { recentAudit, type Store } from '@edu/analytics';
import {
  disposeTestStore,
  FIXTURE_DAY,
  fixtureCityEvents,
  openTestStore,
  storedIds,
  TEST_ENGINES,
} from '@edu/analytics/testing';
import { createIngest, type Ingest } from '@edu/ingest';
import { goodCheckin } from '@edu/ingest/testing/hostile';
import { postToIntake } from '@edu/ingest/testing/intake';
import { testIngestConfig } from '@edu/ingest/testing/kafka';
import { ManualClock } from '@edu/streamer';
import { ApiClient, startTestStreamer, storeEvents, type TestStreamer } from '@edu/streamer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Source keys end to end (contract v1.1): an administrator issues a key in the streamer's
// administration API, a school system posts with it to a running ingest, the administrator
// revokes it and ingest refuses it within seconds; nobody but an administrator may list,
// issue or revoke keys, and each of those attempts is audited.

interface PublicKey {
  key_id: string;
  name: string;
  key_hint: string;
  all_schools: boolean;
  schools: { school_id: string; name: string }[];
  created_by: { user_id: string; name: string };
  revoked: boolean;
  revoked_by: { name: string } | null;
  last_used_ms: number | null;
}

describe.each(TEST_ENGINES)('source keys, console to intake, on %s', (engine) => {
  let store: Store;
  let t: TestStreamer;
  let ingest: Ingest;
  let server: Server;
  let intake: string;
  let admin: ApiClient;

  beforeAll(async () => {
    store = await openTestStore(engine, 'source_keys_e2e');
    await storeEvents(store, fixtureCityEvents());
    t = await startTestStreamer(store, { clock: new ManualClock(Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`)) });
    ingest = await createIngest({ config: testIngestConfig('', store.database), store, log: () => undefined });
    await ingest.start();
    server = ingest.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    intake = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/events`;
    admin = await new ApiClient(t.url).login('13800000000');
  });
  afterAll(async () => {
    server?.close();
    await ingest?.stop();
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  it('issues a key once, which speaks for its school only, and a revocation reaches ingest within seconds', async () => {
    const issued = await admin.post<{ key: string; source_key: PublicKey }>('/api/v1/admin/source-keys', {
      name: '一小闸机系统',
      schools: ['s1'],
    });
    expect(issued.status).toBe(201);
    expect(issued.body.key).toMatch(/^edu_sk_[\w-]{43}$/);
    const id = issued.body.source_key.key_id;
    expect(issued.body.source_key.schools).toEqual([{ school_id: 's1', name: expect.any(String) }]);
    expect(issued.body.source_key.schools[0]?.name).not.toBe('');

    const posted = await postToIntake(
      intake,
      issued.body.key,
      JSON.stringify([goodCheckin('ske-own'), { ...goodCheckin('ske-other'), school_id: 's3' }]),
    );
    expect(posted.status).toBe(200);
    const answer = (await posted.json()) as { results: { code?: string }[] };
    expect(answer.results.map((r) => r.code ?? 'ok')).toEqual(['ok', 'forbidden_school']);
    await ingest.writer.flush();
    expect(await storedIds(store, 'checkins', { prefixes: ['ske-'] })).toEqual(['ske-own']);
    const refusal = (await recentAudit(store, 50, 'intake_forbidden_school')).find((a) => a.actor_id === id);
    expect(refusal).toMatchObject({ target: 's3', ok: false, detail: { count: 1, key_name: '一小闸机系统' } });

    // The list: names, who issued it, never the key or its hash.
    const list = await admin.get<{ keys: PublicKey[] }>('/api/v1/admin/source-keys');
    const shown = list.body.keys.find((k) => k.key_id === id);
    expect(shown).toMatchObject({ name: '一小闸机系统', revoked: false, created_by: { name: '系统管理员' } });
    expect(JSON.stringify(list.body)).not.toContain(issued.body.key);
    expect(JSON.stringify(list.body)).not.toMatch(/key_hash|[0-9a-f]{64}/);

    const revoked = await admin.post<{ source_key: PublicKey }>(`/api/v1/admin/source-keys/${id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.source_key).toMatchObject({ revoked: true, revoked_by: { name: '系统管理员' } });
    const at = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - at < 10_000) {
      status = (await postToIntake(intake, issued.body.key, JSON.stringify([goodCheckin('ske-late')]))).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(401);
    // Ingest reloads its key table every 2 s by default.
    expect(Date.now() - at).toBeLessThan(3500);

    const audit = await recentAudit(store, 50);
    const mine = audit.filter((a) => a.target === id && a.actor_id === 'seed-admin').map((a) => a.action);
    expect(mine.sort()).toEqual(['source_key_issue', 'source_key_revoke']);
    expect(JSON.stringify(audit)).not.toContain(issued.body.key);
  });

  it('refuses keys for unknown schools and a lone "*" mixed with schools', async () => {
    const unknown = await admin.post<{ unknown_schools: string[] }>('/api/v1/admin/source-keys', {
      name: 'x',
      schools: ['s1', 'no-such-school'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.unknown_schools).toEqual(['no-such-school']);
    expect((await admin.post('/api/v1/admin/source-keys', { name: 'x', schools: ['*', 's1'] })).status).toBe(400);
    const all = await admin.post<{ source_key: PublicKey }>('/api/v1/admin/source-keys', {
      name: '局数据中心',
      schools: ['*'],
    });
    expect(all.status).toBe(201);
    expect(all.body.source_key).toMatchObject({ all_schools: true, schools: [] });
  });

  it('lets no one but an administrator list, issue or revoke keys, and audits the attempts', async () => {
    const [leader, staff] = await Promise.all([
      new ApiClient(t.url).login('13800000001'),
      new ApiClient(t.url).login('13900000001'),
    ]);
    const some = (await admin.get<{ keys: PublicKey[] }>('/api/v1/admin/source-keys')).body.keys[0];
    for (const [who, c] of [
      ['seed-leader', leader],
      ['seed-staff-d1', staff],
    ] as const) {
      expect((await c.get('/api/v1/admin/source-keys')).status).toBe(403);
      expect((await c.post('/api/v1/admin/source-keys', { name: 'mine', schools: ['*'] })).status).toBe(403);
      expect((await c.post(`/api/v1/admin/source-keys/${some?.key_id}/revoke`)).status).toBe(403);
      const refused = (await recentAudit(store, 200)).filter((a) => a.actor_id === who && !a.ok).map((a) => a.action);
      expect(refused).toEqual(expect.arrayContaining(['read_refused', 'source_key_issue', 'source_key_revoke']));
    }
    expect((await new ApiClient(t.url).get('/api/v1/admin/source-keys')).status).toBe(401);
    const still = (await admin.get<{ keys: PublicKey[] }>('/api/v1/admin/source-keys')).body.keys;
    expect(still.find((k) => k.key_id === some?.key_id)?.revoked).toBe(some?.revoked);
    expect(still.some((k) => k.name === 'mine')).toBe(false);
  });
});
