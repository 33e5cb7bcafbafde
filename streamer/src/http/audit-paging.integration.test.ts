import { insertAudit, type AuditEntry, type Store } from '@edu/analytics';
import { disposeTestStore, FIXTURE_DAY, fixtureCityEvents, openTestStore, TEST_ENGINES } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { ApiClient, startTestStreamer, storeEvents, type TestStreamer } from '../testing/harness.ts';

// The audit page's API a page at a time (issue 11): `limit` entries after the newest `offset`,
// with `total`, how many match the filters; the filters hold on every page, and pages never
// repeat or skip an entry, even among entries of the same millisecond. Stored: 25 refusals of
// the d1 staff member, one a day from 2026-10-01 (p00 … p24), the last five at one moment.

const NOW = Date.parse(`${FIXTURE_DAY}T16:00:00+08:00`);
const DAY_MS = 86_400_000;
const FIRST = Date.parse('2026-10-01T10:00:00+08:00');

interface AuditAnswer {
  entries: { ts: string; actor_name: string | null; action: string; target: string; ok: boolean }[];
  total: number;
  offset: number;
  limit: number;
}

const entries = (): AuditEntry[] =>
  Array.from({ length: 25 }, (_, i) => ({
    // p20 … p24 share one millisecond: the order among them is the server's tie-break.
    ts_ms: i < 20 ? FIRST + i * DAY_MS : FIRST + 20 * DAY_MS,
    actor_id: 'seed-staff-d1',
    actor_role: 'staff',
    action: 'write_refused',
    target: `p${String(i).padStart(2, '0')}`,
    ok: false,
    ip: '10.0.0.1',
    detail: {},
  }));

describe.each(TEST_ENGINES)('the audit, a page at a time, on %s', (engine) => {
  let store: Store;
  let t: TestStreamer;
  let leader: ApiClient;
  const FILTER = 'actor=seed-staff-d1&action=write_refused&outcome=refused';

  beforeAll(async () => {
    store = await openTestStore(engine, 'audit_paging');
    await storeEvents(store, fixtureCityEvents());
    // Two inserts: entries of one page may lie in different parts.
    await insertAudit(store, entries().slice(0, 12));
    await insertAudit(store, entries().slice(12));
    t = await startTestStreamer(store, { clock: new ManualClock(NOW) });
    leader = await new ApiClient(t.url).login('13800000001');
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  const page = async (query: string) => {
    const r = await leader.get<AuditAnswer>(`/api/v1/audit?${query}`);
    expect(r.status).toBe(200);
    return r.body;
  };

  it('cuts the filtered entries into pages, newest first, with the total', async () => {
    const pages = await Promise.all([0, 10, 20].map((offset) => page(`${FILTER}&limit=10&offset=${offset}`)));
    expect(pages.map((p) => [p.total, p.offset, p.limit, p.entries.length])).toEqual([
      [25, 0, 10, 10],
      [25, 10, 10, 10],
      [25, 20, 10, 5],
    ]);
    const targets = pages.flatMap((p) => p.entries.map((e) => e.target));
    // Every entry once: the five of one millisecond first (in the tie-break's order), then the rest.
    expect([...targets].sort()).toEqual(entries().map((e) => e.target));
    expect(targets.slice(5)).toEqual(
      entries()
        .slice(0, 20)
        .reverse()
        .map((e) => e.target),
    );
    const times = pages.flatMap((p) => p.entries.map((e) => Date.parse(e.ts)));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(pages.flatMap((p) => p.entries).every((e) => e.action === 'write_refused' && !e.ok)).toBe(true);
    // The same page asked twice is the same page.
    expect((await page(`${FILTER}&limit=10&offset=20`)).entries).toEqual(pages[2]?.entries);
  });

  it('keeps a day range on every page and answers past the end with no entries', async () => {
    // 2026-10-06 … 2026-10-15: p05 … p14.
    const range = `${FILTER}&from=2026-10-06&to=2026-10-15`;
    const first = await page(`${range}&limit=4&offset=0`);
    const last = await page(`${range}&limit=4&offset=8`);
    expect([first.total, first.entries.map((e) => e.target)]).toEqual([10, ['p14', 'p13', 'p12', 'p11']]);
    expect([last.total, last.entries.map((e) => e.target)]).toEqual([10, ['p06', 'p05']]);
    const beyond = await page(`${range}&limit=4&offset=40`);
    expect([beyond.total, beyond.entries]).toEqual([10, []]);
  });

  it('refuses a page that is not one', async () => {
    for (const q of ['offset=-1', 'limit=0', 'offset=abc', 'limit=1001']) {
      const r = await leader.get<{ code: string }>(`/api/v1/audit?${q}`);
      expect([q, r.status, r.body.code]).toEqual([q, 400, 'bad_request']);
    }
  });
});
