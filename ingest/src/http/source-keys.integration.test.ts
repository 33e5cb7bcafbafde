import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { recentAudit, revokeSourceKey, loadSourceKeys, sourceKeyLastUses, type Store } from '@edu/analytics';
import { disposeTestStore, openTestStore, storedDeadLetters, storedIds, TEST_ENGINES } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodCheckin } from '../testing/hostile.ts';
import { issueTestSourceKey, postToIntake } from '../testing/intake.ts';
import { createIngest, type Ingest } from '../service.ts';
import { testIngestConfig } from '../testing/kafka.ts';

// Contract v1.1 source keys on the HTTP intake: a school's key speaks for its school only (the
// rest refused per item as forbidden_school, dead-lettered and audited with the key as actor),
// no key / an unknown key / a revoked key is 401 for the whole request, and a revocation
// reaches a running ingest within its refresh period.

const REFRESH_MS = 500;

interface Answer {
  accepted?: number;
  rejected?: number;
  code?: string;
  results?: { ok: boolean; code?: string; reason?: string }[];
}

describe.each(TEST_ENGINES)('HTTP intake source keys on %s', (engine) => {
  let store: Store;
  let ingest: Ingest;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    store = await openTestStore(engine, 'source_keys');
    ingest = await createIngest({
      config: testIngestConfig('', store.database),
      store,
      log: () => undefined,
      sourceKeys: { refreshMs: REFRESH_MS },
    });
    await ingest.start();
    server = ingest.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/events`;
  });
  afterAll(async () => {
    server?.close();
    await ingest?.stop();
    if (store) await disposeTestStore(store);
  });

  const post = async (key: string | null, events: unknown[]) => {
    const res = await postToIntake(url, key, JSON.stringify(events));
    return { status: res.status, body: (await res.json()) as Answer };
  };

  it("refuses a school key's events for another school per item, audited, and stores its own", async () => {
    const key = await issueTestSourceKey(store, ['s1'], '一小闸机');
    const [row] = (await loadSourceKeys(store)).filter((k) => k.name === '一小闸机');
    const own = goodCheckin('sk-own');
    const other = { ...goodCheckin('sk-other'), school_id: 's2' };
    const other2 = { ...goodCheckin('sk-other-2'), school_id: 's2' };
    const district = { id: 'sk-district', type: 'district', ts: own.ts, entity_id: 'd9', name: '新区' };
    const r = await post(key, [own, other, other2, district]);
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(1);
    expect(r.body.results?.map((x) => x.code ?? 'ok')).toEqual([
      'ok',
      'forbidden_school',
      'forbidden_school',
      'forbidden_school',
    ]);
    expect(r.body.results?.[1]?.reason).toMatch(/s2/);
    await ingest.writer.flush();
    expect(await storedIds(store, 'checkins', { prefixes: ['sk-'] })).toEqual(['sk-own']);
    expect(await storedIds(store, 'registry', { prefixes: ['sk-'] })).toEqual([]);
    // Kept, as every refused item is.
    const letters = await storedDeadLetters(store, { code: 'forbidden_school' });
    expect(letters).toHaveLength(3);
    // Audited: the key as the actor, one entry per school with the count.
    const audit = (await recentAudit(store, 50, 'intake_forbidden_school')).filter((a) => a.actor_id === row?.key_id);
    expect(audit.map((a) => [a.target, a.detail.count, a.ok, a.actor_role]).sort()).toEqual([
      ['', 1, false, 'source'],
      ['s2', 2, false, 'source'],
    ]);
    expect(audit[0]?.detail.key_name).toBe('一小闸机');
    // An all-schools key (the bureau's systems) may post for any school and the registry's districts.
    const all = await issueTestSourceKey(store);
    const r2 = await post(all, [other, district]);
    expect(r2.body.results?.map((x) => x.code ?? 'ok')).toEqual(['ok', 'ok']);
  });

  it('refuses no key, an unknown key and a malformed header with 401 for the whole request', async () => {
    const event = goodCheckin('sk-nokey');
    const none = await post(null, [event]);
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('source_key_required');
    const unknown = await post('edu_sk_not-a-key-anyone-was-given', [event]);
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('source_key_unknown');
    const basic = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz' },
      body: JSON.stringify([event]),
    });
    expect(basic.status).toBe(401);
    await ingest.writer.flush();
    expect(await storedIds(store, 'checkins', { ids: ['sk-nokey'] })).toEqual([]);
  });

  it('refuses a revoked key within seconds, audited, and records when keys were used', async () => {
    const key = await issueTestSourceKey(store, ['s1'], '待撤销');
    const [row] = (await loadSourceKeys(store)).filter((k) => k.name === '待撤销');
    expect((await post(key, [goodCheckin('sk-before-revoke')])).status).toBe(200);
    await revokeSourceKey(store, row?.key_id ?? '', { by: 'test', now: Date.now() });
    const revokedAt = Date.now();
    let last = 200;
    while (last === 200 && Date.now() - revokedAt < 10_000) {
      last = (await post(key, [goodCheckin('sk-after-revoke')])).status;
      if (last === 200) await new Promise((r) => setTimeout(r, 100));
    }
    const took = Date.now() - revokedAt;
    expect(last).toBe(401);
    // The refresh period (here 500 ms) plus one reload; 2 s by default.
    expect(took).toBeLessThan(REFRESH_MS * 3);
    const again = await post(key, [goodCheckin('sk-after-revoke-2')]);
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('source_key_revoked');
    const audit = await recentAudit(store, 50, 'intake_key_revoked');
    expect(audit.some((a) => a.actor_id === row?.key_id && !a.ok)).toBe(true);
    // Its use before the revocation was recorded (written on the next refresh).
    await new Promise((r) => setTimeout(r, REFRESH_MS * 2));
    expect((await sourceKeyLastUses(store)).get(row?.key_id ?? '')).toBeGreaterThan(0);
  });
});
