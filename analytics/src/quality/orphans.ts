import { ident, join, sql, type Sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import { shanghaiDay, shanghaiMidnight } from '../contract/time.ts';
import { INBOUND_TOPICS, type InboundTopic } from '../contract/topics.ts';
import { ATTRIBUTION_WINDOW_DAYS } from '../metrics/definitions.ts';

// Orphans: stored events about a school, session, offering or student that the registry does
// not know (yet). They are kept — registry events may come late — and count in no figure until
// it does (the figures join the schedule, the enrollments and the registry), so without this
// view they would be invisible. The definitions, written once here:
//
//   an event is an orphan of kind   when
//   school                           its school_id is not a `school` registry entity
//   session                          its session_id has no schedule event (scheduled or
//                                    cancelled) for a day from the window's first day − 1 on
//   offering                         its offering_id has no offering_submitted
//   student                          its student (check-in person 'student', enrollment) is not
//                                    a `student` registry entity
//
// checked as the registry stands now (every registry event stored, whatever its ts), so an
// orphan stops being one as soon as the missing registry event lands. What each source's events
// refer to is FAMILIES below. Cost: only events of the window count — those whose source time
// falls on today or the ORPHAN_WINDOW_DAYS days before (Asia/Shanghai) — so a term of check-ins
// is never read; the day-partitioned tables are filtered on their `day` (their primary key), the
// others (small: registry, offerings, schedule, enrollments, settlements …) on ts_ms. The known
// sessions are read from the window's days on (a check-in counts only for a session planned
// within ATTRIBUTION_WINDOW_DAYS of it, so an older session could not make it count anyway).
// Duplicates by id count once.

export const ORPHAN_KINDS = ['school', 'session', 'offering', 'student'] as const;
export type OrphanKind = (typeof ORPHAN_KINDS)[number];

/** Events of today and this many days before are checked. */
export const ORPHAN_WINDOW_DAYS = 7;
/** Orphans stored (ingested) within this many minutes count as the recent growth. */
export const ORPHAN_RECENT_MINUTES = 60;
/** Unknown ids shown per source, type and kind. */
export const ORPHAN_SAMPLES = 5;

interface Family {
  source: InboundTopic;
  table: string;
  /** The event type: the table's column, or the one type the table holds. */
  type: Sql;
  /** Filtered on the `day` column (the day of ts), or on ts_ms. */
  window: 'day' | 'ts';
  /** The column each reference is read from; absent: the source's events carry none. */
  refs: Partial<Record<OrphanKind, Sql>>;
  where?: Sql;
}

const FAMILIES: readonly Family[] = [
  // A school's own registry event and those without a school (district, zone, provider) refer
  // to no school; a student or teacher entry names the school it belongs to.
  {
    source: INBOUND_TOPICS.registry,
    table: 'registry',
    type: sql`type`,
    window: 'ts',
    refs: { school: sql`school_id` },
    where: sql`type NOT IN ('school', 'district', 'zone', 'provider')`,
  },
  {
    source: INBOUND_TOPICS.course,
    table: 'offerings',
    type: sql`'offering_submitted'`,
    window: 'ts',
    refs: { school: sql`school_id` },
  },
  {
    source: INBOUND_TOPICS.schedule,
    table: 'sessions',
    type: sql`type`,
    window: 'ts',
    refs: { school: sql`school_id`, offering: sql`offering_id` },
  },
  {
    source: INBOUND_TOPICS.enrollment,
    table: 'enrollments',
    type: sql`type`,
    window: 'ts',
    refs: { school: sql`school_id`, offering: sql`offering_id`, student: sql`student_id` },
  },
  {
    source: INBOUND_TOPICS.class,
    table: 'class_events',
    type: sql`type`,
    window: 'day',
    refs: { school: sql`school_id`, session: sql`session_id` },
  },
  {
    // (v1.1) 教师备课: a preparation names its session; one never scheduled is an orphan.
    source: INBOUND_TOPICS.class,
    table: 'lesson_preparations',
    type: sql`'lesson_prepared'`,
    window: 'day',
    refs: { school: sql`school_id`, session: sql`session_id` },
  },
  {
    source: INBOUND_TOPICS.checkin,
    table: 'checkins',
    type: sql`type`,
    window: 'day',
    // A teacher's check-in names a teacher, not a student: only a student's id is a student.
    refs: { school: sql`school_id`, session: sql`session_id`, student: sql`if(person = 'student', person_id, '')` },
  },
  {
    source: INBOUND_TOPICS.settlement,
    table: 'settlements',
    type: sql`'settled'`,
    window: 'ts',
    refs: { school: sql`school_id`, offering: sql`offering_id` },
  },
  {
    source: INBOUND_TOPICS.feedback,
    table: 'feedback',
    type: sql`'feedback'`,
    window: 'day',
    refs: { school: sql`school_id` },
  },
  {
    source: INBOUND_TOPICS.material,
    table: 'materials',
    type: sql`'material_published'`,
    window: 'ts',
    refs: { school: sql`school_id` },
  },
  {
    source: INBOUND_TOPICS.budget,
    table: 'budgets',
    type: sql`'budget_submitted'`,
    window: 'ts',
    refs: { school: sql`school_id` },
  },
];

export interface OrphanWindow {
  /** The first day checked (YYYY-MM-DD, Asia/Shanghai). */
  since_day: string;
  /** Orphans ingested at or after this (epoch ms) are the recent ones. */
  recent_since_ms: number;
}

export function orphanWindow(now: number): OrphanWindow {
  const today = shanghaiMidnight(shanghaiDay(now));
  return {
    since_day: shanghaiDay(today - ORPHAN_WINDOW_DAYS * 86_400_000),
    recent_since_ms: now - ORPHAN_RECENT_MINUTES * 60_000,
  };
}

/** The sets an id must be in to be known; read once per query by ClickHouse. */
function knownSet(kind: OrphanKind, sinceDay: string): Sql {
  switch (kind) {
    case 'school':
      return sql`SELECT entity_id FROM registry WHERE type = 'school'`;
    case 'student':
      return sql`SELECT entity_id FROM registry WHERE type = 'student'`;
    case 'offering':
      return sql`SELECT offering_id FROM offerings`;
    case 'session':
      return sql`SELECT session_id FROM sessions WHERE planned_day >= toDate(${sinceDay}) - ${ATTRIBUTION_WINDOW_DAYS}`;
  }
}

function familySql(f: Family, w: OrphanWindow): Sql {
  const window =
    f.window === 'day' ? sql`day >= toDate(${w.since_day})` : sql`ts_ms >= ${shanghaiMidnight(w.since_day)}`;
  // Per kind: the id referred to ('' when the source has none) and whether it is unknown. An
  // empty reference (an optional field left out) is never an orphan.
  const refs = ORPHAN_KINDS.map((k) => {
    const col = f.refs[k];
    const ref = ident(`ref_${k}`);
    const no = ident(`no_${k}`);
    return col
      ? sql`${col} AS ${ref}, (${ref} != '' AND ${ref} NOT IN (${knownSet(k, w.since_day)})) AS ${no}`
      : sql`'' AS ${ref}, toUInt8(0) AS ${no}`;
  });
  const counts = ORPHAN_KINDS.map((k) => sql`uniqExactIf(id, ${ident(`no_${k}`)}) AS ${ident(`n_${k}`)}`);
  const samples = ORPHAN_KINDS.map(
    (k) =>
      sql`arraySlice(arraySort(groupUniqArrayIf(${ident(`ref_${k}`)}, ${ident(`no_${k}`)})), 1, ${ORPHAN_SAMPLES}) AS ${ident(`s_${k}`)}`,
  );
  return sql`
    SELECT ${f.source} AS source, event_type AS type,
           uniqExact(id) AS orphans, uniqExactIf(id, ingested_ms >= ${w.recent_since_ms}) AS recent,
           ${join(counts)}, ${join(samples)}
    FROM (
      SELECT id, ingested_ms, ${f.type} AS event_type, ${join(refs)}
      FROM ${ident(f.table)}
      WHERE ${window} AND ${f.where ?? sql`1`}
    )
    WHERE ${join(
      ORPHAN_KINDS.map((k) => ident(`no_${k}`)),
      ' OR ',
    )}
    GROUP BY event_type`;
}

/** Every source's orphans in the window, one row per source and type that has any. */
export function orphansSql(w: OrphanWindow): Sql {
  return sql`
    SELECT * FROM (${join(
      FAMILIES.map((f) => familySql(f, w)),
      ' UNION ALL ',
    )})
    ORDER BY source, type`;
}

export interface OrphanRow {
  /** The topic the events came on: which school-side system sent them. */
  source: InboundTopic;
  type: string;
  /** Orphan events of the window now (each counted once, however many kinds it is an orphan of). */
  orphans: number;
  /** Of those, stored within the last ORPHAN_RECENT_MINUTES: how fast they grow. */
  recent: number;
  /** Orphan events per kind of unknown reference. */
  by_kind: Record<OrphanKind, number>;
  /** Up to ORPHAN_SAMPLES unknown ids per kind, sorted; students' masked (contract: personal data). */
  samples: Record<OrphanKind, string[]>;
}

export interface OrphanReport extends OrphanWindow {
  window_days: number;
  recent_minutes: number;
  /** The moment it was read for (epoch ms of the service clock). */
  at: number;
  rows: OrphanRow[];
}

/**
 * A student id as it may leave the server for anyone: its first two and last two characters,
 * the rest starred (st000123 → st****23; four characters or fewer are starred whole). Enough to
 * find the id in the sending system's log, not to read it off a screen.
 */
export function maskId(id: string): string {
  const chars = [...id];
  if (chars.length <= 4) return '*'.repeat(chars.length);
  return `${chars.slice(0, 2).join('')}${'*'.repeat(chars.length - 4)}${chars.slice(-2).join('')}`;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** The orphans of the window ending at `now` (the service clock), as the registry stands. */
export async function orphanReport(store: Store, now: number): Promise<OrphanReport> {
  const w = orphanWindow(now);
  const rows = await store.query<Record<string, unknown>>(orphansSql(w));
  return {
    ...w,
    window_days: ORPHAN_WINDOW_DAYS,
    recent_minutes: ORPHAN_RECENT_MINUTES,
    at: now,
    rows: rows.map((r) => ({
      source: String(r.source) as InboundTopic,
      type: String(r.type),
      orphans: num(r.orphans),
      recent: num(r.recent),
      by_kind: {
        school: num(r.n_school),
        session: num(r.n_session),
        offering: num(r.n_offering),
        student: num(r.n_student),
      },
      samples: {
        school: strings(r.s_school),
        session: strings(r.s_session),
        offering: strings(r.s_offering),
        // Two ids can mask alike (st****23): each shown once.
        student: [...new Set(strings(r.s_student).map(maskId))],
      },
    })),
  };
}
