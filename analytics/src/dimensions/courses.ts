import type { Store } from '../clickhouse/store.ts';
import { termFacts } from '../metrics/queries/term-facts.ts';
import type { Scope } from '../metrics/scope.ts';
import { rollUp, scopeChildren, type Child } from './children.ts';
import { reviewFacts, reviewState, zeroStates, type ReviewState, type StateCounts } from './decision-effects.ts';
import { latestDecisions, type LatestDecision } from './decisions.ts';
import { offeringsOf, registryEntities } from './latest.ts';

// 开课审批 (项目许可): a term's offerings, school-run (校本) vs external (校外), and a school's
// offerings with their course details and the bureau's latest decision on each. A voided (否定)
// offering counts nowhere but in `by_state.voided`, and stays listed (decision-effects.ts).

export interface CoursesRow {
  child: Child;
  schools: number;
  /** Offerings that count: every state but 已否定. */
  offerings: number;
  /** Offerings by approval state: 待审批 / 已通过 / 已驳回 / 已否定. */
  by_state: StateCounts;
  /** By the course's registry kind; an offering of an unregistered course is in neither. */
  school_run: number;
  external: number;
  capacity: number;
  /** Net enrolled students, summed over the offerings. */
  enrolled: number;
}

export async function coursesByChild(store: Store, scope: Scope, term: string): Promise<CoursesRow[]> {
  const [sc, offerings, courses, facts, decided] = await Promise.all([
    scopeChildren(store, scope),
    offeringsOf(store, scope, term),
    registryEntities(store, 'course'),
    termFacts(store, term),
    reviewFacts(store, 'course'),
  ]);
  const zero = () => ({ offerings: 0, school_run: 0, external: 0, capacity: 0, enrolled: 0, ...zeroStates() });
  const perSchool = offerings.map((o) => {
    const state = reviewState(decided.get(o.offering_id));
    const states = { ...zeroStates(), [state]: 1 };
    if (state === 'voided') return [o.school_id, { ...zero(), ...states }] as const;
    const kind = courses.get(o.course_id)?.kind;
    return [
      o.school_id,
      {
        offerings: 1,
        school_run: kind === 'school' ? 1 : 0,
        external: kind === 'external' ? 1 : 0,
        capacity: o.capacity,
        enrolled: facts.netByOffering.get(o.offering_id) ?? 0,
        ...states,
      },
    ] as const;
  });
  return rollUp(sc, perSchool, zero).map(({ child, schools, counts }) => {
    const { pending, approved, rejected, voided, ...rest } = counts;
    return { child, schools, ...rest, by_state: { pending, approved, rejected, voided } };
  });
}

export interface OfferingDetail {
  offering_id: string;
  course_id: string;
  course_name: string;
  kind: string;
  category: string;
  provider: { provider_id: string; name: string; channel: string; qualified: boolean } | null;
  teachers: { teacher_id: string; name: string; certificate: string }[];
  capacity: number;
  enrolled: number;
  fee_per_student: number;
  weekly_sessions: number;
  description: string;
  decision: LatestDecision | null;
  /** 待审批 / 已通过 / 已驳回 / 已否定 (a voided offering's enrolled and capacity count nowhere). */
  state: ReviewState;
}

/** A school's offerings of the term with course details (查看课程详情). */
export async function schoolOfferings(store: Store, schoolId: string, term: string): Promise<OfferingDetail[]> {
  const offerings = await offeringsOf(store, { kind: 'school', id: schoolId }, term);
  const [courses, teachers, facts, decisions, decided] = await Promise.all([
    registryEntities(store, 'course', [...new Set(offerings.map((o) => o.course_id))]),
    registryEntities(store, 'teacher', [...new Set(offerings.flatMap((o) => o.teacher_ids))]),
    termFacts(store, term),
    latestDecisions(
      store,
      'course',
      offerings.map((o) => o.offering_id),
    ),
    reviewFacts(store, 'course'),
  ]);
  const providerIds = [...new Set([...courses.values()].map((c) => c.provider_id).filter((p) => p !== ''))];
  const providers = await registryEntities(store, 'provider', providerIds);
  return offerings.map((o) => {
    const c = courses.get(o.course_id);
    const p = c?.provider_id ? providers.get(c.provider_id) : undefined;
    return {
      offering_id: o.offering_id,
      course_id: o.course_id,
      course_name: c?.name ?? '',
      kind: c?.kind ?? '',
      category: c?.category ?? '',
      provider: c?.provider_id
        ? {
            provider_id: c.provider_id,
            name: p?.name ?? '',
            channel: p?.channel ?? '',
            qualified: p?.qualified ?? false,
          }
        : null,
      teachers: o.teacher_ids.map((id) => ({
        teacher_id: id,
        name: teachers.get(id)?.name ?? '',
        certificate: teachers.get(id)?.certificate ?? '',
      })),
      capacity: o.capacity,
      enrolled: facts.netByOffering.get(o.offering_id) ?? 0,
      fee_per_student: o.fee_per_student,
      weekly_sessions: o.weekly_sessions,
      description: o.description,
      decision: decisions.get(o.offering_id) ?? null,
      state: reviewState(decided.get(o.offering_id)),
    };
  });
}
