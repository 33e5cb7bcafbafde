import type { Store } from '../clickhouse/store.ts';
import { schoolsOf } from '../metrics/queries/term-by-school.ts';
import type { Scope } from '../metrics/scope.ts';
import { latestDecisions, type LatestDecision } from './decisions.ts';
import { registryEntities } from './latest.ts';

// 准入审核 (manual ch. 4's chain 材料申报 ➪ 准入审核 ➪ 开始选课): the providers (课程方/机构)
// asking to serve the city's schools, with their channel, qualification and teachers'
// certificates, and the bureau's 通过 / 驳回. The contract's decisions name a target and a
// subject of a dimension; admission is the gate before course selection, so it is a decision
// of the `course` dimension (开课审批) with target_type `provider`, target_id the provider and
// subject_id `provider:<provider_id>` (the prefix keeps it apart from offering ids, which are
// that dimension's other subjects). The latest decision decides the state; none is 待审核.

export const ADMISSION_SUBJECT_PREFIX = 'provider:';
export const admissionSubject = (providerId: string) => `${ADMISSION_SUBJECT_PREFIX}${providerId}`;

export type AdmissionState = 'pending' | 'approved' | 'rejected';

export interface AdmissionTeacher {
  teacher_id: string;
  name: string;
  certificate: string;
  school_id: string;
}

export interface AdmissionRow {
  provider_id: string;
  name: string;
  channel: string;
  qualified: boolean;
  teachers: AdmissionTeacher[];
  /** Courses registered under the provider (in the scope). */
  courses: number;
  state: AdmissionState;
  decision: LatestDecision | null;
}

export interface Admission {
  rows: AdmissionRow[];
  states: Record<AdmissionState, number>;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The admission list of the scope: every provider in the city, or in a smaller scope those
 * with a teacher or course registered at one of its schools (its teachers listed are then
 * those of the scope).
 */
export async function providerAdmission(store: Store, scope: Scope): Promise<Admission> {
  const [schools, providers, teachers, courses] = await Promise.all([
    schoolsOf(store, scope),
    registryEntities(store, 'provider'),
    registryEntities(store, 'teacher'),
    registryEntities(store, 'course'),
  ]);
  const inScope = new Set(schools.map((s) => s.school_id));
  const here = (schoolId: string) => scope.kind === 'city' || inScope.has(schoolId);
  const teachersOf = new Map<string, AdmissionTeacher[]>();
  for (const t of teachers.values()) {
    if (!t.provider_id || !here(t.school_id)) continue;
    const list = teachersOf.get(t.provider_id) ?? [];
    list.push({ teacher_id: t.entity_id, name: t.name, certificate: t.certificate, school_id: t.school_id });
    teachersOf.set(t.provider_id, list);
  }
  const coursesOf = new Map<string, number>();
  for (const c of courses.values())
    if (c.provider_id && here(c.school_id)) coursesOf.set(c.provider_id, (coursesOf.get(c.provider_id) ?? 0) + 1);
  const list = [...providers.values()]
    .filter((p) => scope.kind === 'city' || teachersOf.has(p.entity_id) || coursesOf.has(p.entity_id))
    .sort((a, b) => byId(a.entity_id, b.entity_id));
  const decisions = await latestDecisions(
    store,
    'course',
    list.map((p) => admissionSubject(p.entity_id)),
  );
  const states: Record<AdmissionState, number> = { pending: 0, approved: 0, rejected: 0 };
  const rows = list.map((p): AdmissionRow => {
    const decision = decisions.get(admissionSubject(p.entity_id)) ?? null;
    const state: AdmissionState =
      decision?.decision === 'approved' ? 'approved' : decision?.decision === 'rejected' ? 'rejected' : 'pending';
    states[state] += 1;
    return {
      provider_id: p.entity_id,
      name: p.name,
      channel: p.channel,
      qualified: p.qualified,
      teachers: (teachersOf.get(p.entity_id) ?? []).sort((a, b) => byId(a.teacher_id, b.teacher_id)),
      courses: coursesOf.get(p.entity_id) ?? 0,
      state,
      decision,
    };
  });
  return { rows, states };
}
