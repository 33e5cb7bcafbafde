import { sql, type Sql } from '../clickhouse/sql.ts';
import type { Store } from '../clickhouse/store.ts';

// Where the subject of a write lives (issue 16): a decision or a notice names a subject — a
// material, a budget, an offering, a course, a feedback target — and the streamer checks the
// school(s) it belongs to against the writer's districts before anything is published. Plain
// lookups by id; no FINAL, no merges relied on, the same text on 18.16 and chDB.

export type ItemKind = 'material' | 'budget' | 'offering';

const ITEM_QUERIES: Record<ItemKind, (id: string) => Sql> = {
  material: (id) => sql`SELECT DISTINCT school_id FROM materials WHERE material_id = ${id}`,
  budget: (id) => sql`SELECT DISTINCT school_id FROM budgets WHERE budget_id = ${id}`,
  offering: (id) => sql`SELECT DISTINCT school_id FROM offerings WHERE offering_id = ${id}`,
};

/** The schools that submitted a material, budget or offering with this id (none: unknown). */
export async function schoolsOfItem(store: Store, kind: ItemKind, id: string): Promise<string[]> {
  const rows = await store.query<{ school_id: string }>(ITEM_QUERIES[kind](id));
  return rows.map((r) => String(r.school_id)).filter((s) => s !== '');
}

/** The schools with an offering of this course, and the school the course is registered by. */
export async function schoolsOfCourse(store: Store, courseId: string): Promise<string[]> {
  const [offered, registered] = await Promise.all([
    store.query<{ school_id: string }>(sql`SELECT DISTINCT school_id FROM offerings WHERE course_id = ${courseId}`),
    store.query<{ school_id: string }>(
      sql`SELECT DISTINCT school_id FROM registry WHERE type = 'course' AND entity_id = ${courseId}`,
    ),
  ]);
  return [...new Set([...offered, ...registered].map((r) => String(r.school_id)).filter((s) => s !== ''))];
}

/** The course of an offering (latest version), or null for an unknown offering. */
export async function courseOfOffering(store: Store, offeringId: string): Promise<string | null> {
  const rows = await store.query<{ course: string }>(sql`
    SELECT argMax(course_id, ts_ms) AS course FROM offerings WHERE offering_id = ${offeringId} GROUP BY offering_id`);
  return rows[0] ? String(rows[0].course) : null;
}

/** The schools whose feedback names this target (`course`, `teacher`, `provider`, `operator`). */
export async function schoolsOfFeedbackTarget(store: Store, target: string, targetId: string): Promise<string[]> {
  const rows = await store.query<{ school_id: string }>(sql`
    SELECT DISTINCT school_id FROM feedback WHERE target = ${target} AND target_id = ${targetId}`);
  return rows.map((r) => String(r.school_id)).filter((s) => s !== '');
}

export interface RegisteredEntity {
  type: string;
  entity_id: string;
  /** The registering school ('' for providers and districts). */
  school_id: string;
  /** A course's or a teacher's provider ('' when none). */
  provider_id: string;
}

/** A registry entity as last registered (provider, operator, teacher, course), or null. */
export async function registryEntity(store: Store, type: string, entityId: string): Promise<RegisteredEntity | null> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT argMax(school_id, ts_ms) AS l_school, argMax(provider_id, ts_ms) AS l_provider
    FROM registry WHERE type = ${type} AND entity_id = ${entityId} GROUP BY entity_id`);
  const r = rows[0];
  if (!r) return null;
  return { type, entity_id: entityId, school_id: String(r.l_school), provider_id: String(r.l_provider) };
}
