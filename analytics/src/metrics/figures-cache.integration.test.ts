import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../contract/events.ts';
import { groupByTable, toRow, type Table } from '../clickhouse/rows.ts';
import type { Store } from '../clickhouse/store.ts';
import { FIXTURE_DAY, fixtureCityEvents } from '../testing/fixture-city.ts';
import { disposeTestStore, openTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { computeOverview } from './overview.ts';
import { createMetricsReader, type MetricsReader } from './reader.ts';
import { parseScope, type Scope } from './scope.ts';

// The live path's figures cache (figures-cache.ts) must give exactly what a fresh read gives:
// the fixture city is stored in the order its events happened, each batch followed by its
// change signal as ingest sends it, and after each the cached overview of every scope is
// compared with one computed from nothing. Plus what a school-by-school re-read could miss:
// an event sent under another school than its session's, and an event whose ts lies ahead of
// the clock (its *_by_t figures move later without any signal).

const scopes = ['city', 'district:d1', 'school:s3'].map((s) => parseScope(s) as Scope);
const at = (hhmm: string) => Date.parse(`${FIXTURE_DAY}T${hhmm}:00+08:00`);
const MIN = 60_000;
const checkin = (
  id: string,
  hhmm: string,
  school: string,
  session: string,
  person: 'student' | 'teacher',
  personId: string,
): InboundEvent => ({
  id,
  type: 'checkin',
  ts: new Date(at(hhmm)).toISOString(),
  school_id: school,
  session_id: session,
  person,
  person_id: personId,
  method: 'face',
});

describe.each(TEST_ENGINES)('the figures cache on %s', (engine) => {
  let store: Store;
  let reader: MetricsReader;

  beforeAll(async () => {
    store = await openTestStore(engine, 'figcache');
    reader = createMetricsReader(store);
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  /** Stores events as one ingest batch would, and hands the reader that batch's signal. */
  async function land(events: readonly InboundEvent[]): Promise<void> {
    const rows = events.map((e) => toRow(e, Date.now()));
    const tables: Table[] = [];
    const schools = new Set<string>();
    for (const [table, list] of groupByTable(rows)) {
      await store.insert(table, list);
      tables.push(table);
      for (const r of list) schools.add(String((r as { school_id?: string }).school_id ?? ''));
    }
    reader.invalidate({ tables, schools: [...schools] });
  }

  async function expectFresh(now: number): Promise<void> {
    for (const scope of scopes) {
      const cached = (await reader.live(scope, FIXTURE_DAY, now)).overview;
      const fresh = (await computeOverview(store, scope, FIXTURE_DAY, now)).overview;
      expect({ scope, metrics: cached.metrics, due: cached.due, as_of: cached.as_of }).toEqual({
        scope,
        metrics: fresh.metrics,
        due: fresh.due,
        as_of: fresh.as_of,
      });
    }
  }

  it(
    'equals a fresh read after every batch of the day, re-reading only the schools named',
    { timeout: 180_000 },
    async () => {
      const events = [...fixtureCityEvents()].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
      const dayStart = at('12:00');
      await land(events.filter((e) => Date.parse(e.ts) < dayStart));
      await expectFresh(dayStart);
      const before = reader.figures.stats();
      // In batches of four, as ingest would batch them (one signal per batch).
      const day = events.filter((e) => Date.parse(e.ts) >= dayStart);
      for (let i = 0; i < day.length; i += 4) {
        const batch = day.slice(i, i + 4);
        await land(batch);
        await expectFresh(Date.parse(batch.at(-1)!.ts) + MIN);
      }
      const after = reader.figures.stats();
      // The day's check-ins, class events and preparations re-read their schools only.
      expect(after.narrowReads - before.narrowReads).toBeGreaterThan(5);
      expect(after.fullReads - before.fullReads).toBeLessThan(after.narrowReads - before.narrowReads);
    },
  );

  it('counts an event sent under another school for the session it names', async () => {
    // st1 is enrolled in o2 (s1's se2) and had not checked in there; the check-in comes under s2.
    const s1Present = async () =>
      (await reader.live({ kind: 'city' }, FIXTURE_DAY, at('16:50'))).schools.find((r) => r.school.school_id === 's1')
        ?.metrics.students_present;
    const before = await s1Present();
    await land([checkin('cross-school-1', '16:10', 's2', 'se2', 'student', 'st1')]);
    await expectFresh(at('16:50'));
    expect(await s1Present()).toBe(before! + 1);
    // A later event of s1 alone re-reads s1's sessions: the check-in sent under s2 still counts.
    await land([checkin('s1-later-1', '16:20', 's1', 'se2', 'student', 'not-enrolled-1')]);
    await expectFresh(at('16:50'));
    expect(await s1Present()).toBe(before! + 1);
  });

  it('counts a preparation sent days ahead under another school for the session it names', async () => {
    // se2 (s1, 15:30) was prepared only after its start; this one, under s4 (which sent nothing
    // else for s1's sessions, so only the preparation can lead the read to s1), is days ahead.
    const s1Prepared = async () =>
      (await reader.live({ kind: 'city' }, FIXTURE_DAY, at('16:50'))).schools.find((r) => r.school.school_id === 's1')
        ?.metrics.sessions_prepared;
    const before = await s1Prepared();
    await land([
      {
        id: 'cross-school-prep-1',
        type: 'lesson_prepared',
        ts: new Date(at('10:00') - 3 * 86_400_000).toISOString(),
        school_id: 's4',
        session_id: 'se2',
        teacher_id: 't2',
        title: '第十二课',
        plan_url: '',
      },
    ]);
    await expectFresh(at('16:50'));
    expect(await s1Prepared()).toBe(before! + 1);
  });

  it('moves a figure whose event lies ahead of the clock when the clock passes it, with no signal', async () => {
    // se6's teacher (t5) checks in with a device clock that says 17:30; the wall's clock says 16:55.
    await land([checkin('ahead-1', '17:30', 's3', 'se6', 'teacher', 't5')]);
    const early = (await reader.live({ kind: 'city' }, FIXTURE_DAY, at('16:55'))).overview;
    await expectFresh(at('16:55'));
    const late = (await reader.live({ kind: 'city' }, FIXTURE_DAY, at('17:35'))).overview;
    await expectFresh(at('17:35'));
    expect(late.due.teachers_present).toBe(early.due.teachers_present + 1);
  });
});
