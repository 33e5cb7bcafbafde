import { hashSourceKey, type Store } from '@edu/analytics';
import { afterEach, describe, expect, it } from 'vitest';
import { SourceKeyCache } from './source-keys.ts';

// The intake's key table without a database: what it answers before the first load, while the
// store is down, and how often an unknown key may make it reload (the integration tests cover
// the real store on both engines).

/** A store whose key table is `rows` (as loadSourceKeys reads it), or that fails while `down`. */
interface FakeTable {
  down: boolean;
  keys: { id: string; key: string; revoked?: boolean }[];
}

function fakeStore(state: FakeTable) {
  let queries = 0;
  const store = {
    engine: 'chdb',
    database: 'fake_test',
    async query() {
      queries++;
      if (state.down) throw new Error('connection refused');
      return state.keys.map((k) => ({
        key_id: k.id,
        v: 1,
        l_updated_ms: 0,
        l_updated_by: 'admin',
        l_name: k.id,
        l_hash: hashSourceKey(k.key),
        l_hint: k.key.slice(0, 11),
        l_schools: ['s1'],
        l_created_ms: 0,
        l_created_by: 'admin',
        l_revoked: k.revoked ? 1 : 0,
        l_revoked_ms: 0,
        l_revoked_by: '',
      }));
    },
    async insert() {},
  } as unknown as Store;
  return { store, queries: () => queries };
}

let cache: SourceKeyCache | undefined;
afterEach(async () => {
  await cache?.stop();
  cache = undefined;
});

describe('SourceKeyCache', () => {
  it('says not loaded until a first load succeeds, then keeps its table while the store is down', async () => {
    const state: FakeTable = { down: true, keys: [{ id: 'k1', key: 'edu_sk_one' }] };
    const { store } = fakeStore(state);
    cache = new SourceKeyCache(store, { refreshMs: 60_000 });
    await cache.start();
    expect((await cache.lookup('edu_sk_one')).kind).toBe('not_loaded');
    state.down = false;
    expect((await cache.lookup('edu_sk_one')).kind).toBe('ok');
    state.down = true;
    expect((await cache.lookup('edu_sk_one')).kind).toBe('ok');
    expect((await cache.lookup('edu_sk_other')).kind).toBe('unknown');
  });

  it('refuses a revoked key and a key it does not know, reloading at most once a second for them', async () => {
    const state: FakeTable = { down: false, keys: [{ id: 'k1', key: 'edu_sk_one', revoked: true }] };
    const { store, queries } = fakeStore(state);
    cache = new SourceKeyCache(store, { refreshMs: 60_000 });
    await cache.start();
    expect(queries()).toBe(1);
    expect((await cache.lookup('edu_sk_one')).kind).toBe('revoked');
    const t0 = Date.now();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => cache?.lookup(`edu_sk_guess_${i}`)));
    expect(answers.every((a) => a?.kind === 'unknown')).toBe(true);
    // Twenty guesses at once share one reload, a second after the last.
    expect(queries()).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    // A key issued meanwhile is found by that reload.
    state.keys.push({ id: 'k2', key: 'edu_sk_two' });
    expect((await cache.lookup('edu_sk_two')).kind).toBe('ok');
    expect(queries()).toBe(3);
  });
});
