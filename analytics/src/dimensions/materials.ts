import { sql, type Sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import type { MaterialKind } from '../contract/events.ts';
import { toShanghaiRfc3339 } from '../contract/time.ts';
import { rate } from '../metrics/definitions.ts';
import { schoolFilter, type Scope } from '../metrics/scope.ts';
import { rollUp, scopeChildren, type Child } from './children.ts';
import { isValid, reviewFacts, reviewState, type ReviewState } from './decision-effects.ts';
import { latestDecisions, type LatestDecision } from './decisions.ts';

// 材料公示 (项目制度): which of the four required materials each school published for a term.
// A material is an upsert: its latest version (by ts) wins, including its kind and term.
// The bureau's decisions (decision-effects.ts): a voided (否定) material counts nowhere; a
// rejected (驳回) one counts as published but not towards 齐全, until a later version.

export const MATERIAL_KINDS: readonly MaterialKind[] = [
  'implementation_plan',
  'bid_notice',
  'meeting_minutes',
  'safety_plan',
];

export function latestMaterials(scope: Scope, term: string): Sql {
  return sql`
    SELECT material_id, latest_school AS school_id, latest_kind AS kind, latest_title AS title,
           latest_url AS file_url, latest_ts AS ts_ms
    FROM (
      SELECT material_id, argMax(school_id, ts_ms) AS latest_school, argMax(term, ts_ms) AS latest_term,
             argMax(kind, ts_ms) AS latest_kind, argMax(title, ts_ms) AS latest_title,
             argMax(file_url, ts_ms) AS latest_url, max(ts_ms) AS latest_ts
      FROM materials WHERE ${schoolFilter(scope)}
      GROUP BY material_id
    )
    WHERE latest_term = ${term}`;
}

export interface MaterialsRow {
  child: Child;
  schools: number;
  /** Schools with at least one valid (not rejected, not voided) material of each kind. */
  schools_with: Record<MaterialKind, number>;
  /** Materials published, voided ones not counted. */
  materials: number;
  complete_schools: number;
  /** complete_schools / schools; null when the child has no schools. */
  completeness_rate: number | null;
}

export async function materialsByChild(store: Store, scope: Scope, term: string): Promise<MaterialsRow[]> {
  const [sc, rows, decided] = await Promise.all([
    scopeChildren(store, scope),
    store.query<Record<string, unknown>>(
      sql`SELECT material_id, school_id, kind, ts_ms FROM (${latestMaterials(scope, term)})`,
    ),
    reviewFacts(store, 'material'),
  ]);
  const bySchool = new Map<string, { n: number; valid: Set<string> }>();
  for (const r of rows) {
    const state = reviewState(decided.get(String(r.material_id)), num(r.ts_ms));
    if (state === 'voided') continue;
    const school = String(r.school_id);
    const s = bySchool.get(school) ?? { n: 0, valid: new Set<string>() };
    bySchool.set(school, s);
    s.n += 1;
    if (isValid(state)) s.valid.add(String(r.kind));
  }
  const perSchool = [...bySchool].map(([school, s]) => {
    const has = MATERIAL_KINDS.map((k) => (s.valid.has(k) ? 1 : 0));
    return [
      school,
      {
        implementation_plan: has[0] as number,
        bid_notice: has[1] as number,
        meeting_minutes: has[2] as number,
        safety_plan: has[3] as number,
        materials: s.n,
        complete: has.every((h) => h === 1) ? 1 : 0,
      },
    ] as const;
  });
  const zero = () => ({
    implementation_plan: 0,
    bid_notice: 0,
    meeting_minutes: 0,
    safety_plan: 0,
    materials: 0,
    complete: 0,
  });
  return rollUp(sc, perSchool, zero).map(({ child, schools, counts: c }) => ({
    child,
    schools,
    schools_with: {
      implementation_plan: c.implementation_plan,
      bid_notice: c.bid_notice,
      meeting_minutes: c.meeting_minutes,
      safety_plan: c.safety_plan,
    },
    materials: c.materials,
    complete_schools: c.complete,
    completeness_rate: rate(c.complete, schools),
  }));
}

export interface Material {
  material_id: string;
  kind: MaterialKind;
  title: string;
  file_url: string;
  /** When the latest version was published (RFC 3339, +08:00). */
  ts: string;
  /** The bureau's latest decision on it (e.g. 驳回), if any. */
  decision: LatestDecision | null;
  /** 待审批 / 已通过 / 已驳回 / 已否定: only 待审批 and 已通过 count towards 齐全. */
  state: ReviewState;
}

/** A school's materials of the term, latest version of each, ordered by kind then id. */
export async function schoolMaterials(store: Store, schoolId: string, term: string): Promise<Material[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT * FROM (${latestMaterials({ kind: 'school', id: schoolId }, term)}) ORDER BY material_id`);
  const [decisions, decided] = await Promise.all([
    latestDecisions(
      store,
      'material',
      rows.map((r) => String(r.material_id)),
    ),
    reviewFacts(store, 'material'),
  ]);
  const order = (k: string) => MATERIAL_KINDS.indexOf(k as MaterialKind);
  return rows
    .map((r) => ({
      material_id: String(r.material_id),
      kind: String(r.kind) as MaterialKind,
      title: String(r.title),
      file_url: String(r.file_url),
      ts: toShanghaiRfc3339(num(r.ts_ms)),
      decision: decisions.get(String(r.material_id)) ?? null,
      state: reviewState(decided.get(String(r.material_id)), num(r.ts_ms)),
    }))
    .sort((a, b) => order(a.kind) - order(b.kind) || (a.material_id < b.material_id ? -1 : 1));
}
