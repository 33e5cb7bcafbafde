import {
  termOfDay,
  toShanghaiRfc3339,
  type BudgetItem,
  type InboundEvent,
  type MaterialKind,
  type Term,
} from '@edu/analytics';
import { addDays, atMinute, compactDay, setupAnchor, termLabel } from './calendar.ts';
import type { City } from './city.ts';
import { ids } from './ids.ts';
import { BUDGET_OTHER_ITEMS, className, personName } from './names.ts';
import { RATES } from './rates.ts';
import { at, Rng, unit } from './rng.ts';
import { planSchool, type SchoolPlan } from './school-plan.ts';

// Master data and term set-up, as lazy generators: the full city is about two million events,
// produced school by school so that only one school's plan is in memory at a time. Their ts
// lie before the simulated day (see calendar.setupAnchor): registration ten days before the
// anchor, then materials and offerings, budgets, enrollments from the seventh day and
// withdrawals from the fifteenth, all at least a week before the day.

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MATERIAL_KINDS: readonly MaterialKind[] = ['implementation_plan', 'bid_notice', 'meeting_minutes', 'safety_plan'];
const MATERIAL_TITLES: Record<MaterialKind, string> = {
  implementation_plan: '课后服务实施方案',
  bid_notice: '课后服务课程方中标公示',
  meeting_minutes: '课后服务领导小组会议纪要',
  safety_plan: '课后服务安全管理及应急预案',
};

/** Registration day of the city's master data for the term of `day`. */
export function registrationDay(day: string): string {
  return addDays(setupAnchor(day), -10);
}

/** A time on `fromDay` + 0…`spanDays`-1 days, 08:00–21:00, fixed by the hashed parts. */
function spread(fromDay: string, spanDays: number, ...parts: (string | number)[]): number {
  const u = unit(...parts);
  const dayOffset = Math.floor(u * spanDays);
  const within = (u * spanDays - dayOffset) * 13 * HOUR_MS;
  return atMinute(fromDay, 8 * 60) + dayOffset * DAY_MS + Math.floor(within);
}

/** Districts, zones and providers: the city-wide master data. */
export function* cityRegistryEvents(city: City, day: string): Generator<InboundEvent> {
  const reg = registrationDay(day);
  const rid = (entity: string) => `${entity}:r${compactDay(reg)}`;
  const ts = (entity: string) => toShanghaiRfc3339(spread(reg, 1, city.seed, entity));
  for (const d of city.districts)
    yield { id: rid(d.id), type: 'district', ts: ts(d.id), entity_id: d.id, name: d.name };
  for (const z of city.zones) {
    const district_id = at(city.districts, z.districtIndex).id;
    yield { id: rid(z.id), type: 'zone', ts: ts(z.id), entity_id: z.id, name: z.name, district_id };
  }
  for (const p of city.providers) {
    yield {
      id: rid(p.id),
      type: 'provider',
      ts: ts(p.id),
      entity_id: p.id,
      name: p.name,
      channel: p.channel,
      qualified: p.qualified,
    };
  }
}

/** One school's master data: the school, its operator, teachers, courses and students. */
export function* schoolRegistryEvents(city: City, plan: SchoolPlan, day: string): Generator<InboundEvent> {
  const { school } = plan;
  const reg = registrationDay(day);
  const rid = (entity: string) => `${entity}:r${compactDay(reg)}`;
  const ts = (entity: string) => toShanghaiRfc3339(spread(reg, 1, city.seed, entity));
  const school_id = school.id;
  yield {
    id: rid(school.id),
    type: 'school',
    ts: ts(school.id),
    school_id,
    entity_id: school.id,
    name: school.name,
    zone_id: at(city.zones, school.zoneIndex).id,
    district_id: at(city.districts, school.districtIndex).id,
    stage: school.stage,
    students: school.students,
  };
  if (plan.operator) {
    const { id, name } = plan.operator;
    yield { id: rid(id), type: 'operator', ts: ts(id), school_id, entity_id: id, name };
  }
  for (const [i, t] of plan.teachers.entries()) {
    yield {
      id: rid(t.id),
      type: 'teacher',
      ts: ts(t.id),
      school_id,
      entity_id: t.id,
      name: personName(Rng.of(city.seed, 'teacher', school.index, i)),
      certificate: t.certificate,
      ...(t.providerId ? { provider_id: t.providerId } : {}),
    };
  }
  for (const c of plan.courses) {
    yield {
      id: rid(c.id),
      type: 'course',
      ts: ts(c.id),
      school_id,
      entity_id: c.id,
      name: c.name,
      kind: c.kind,
      category: c.category,
      ...(c.providerId ? { provider_id: c.providerId } : {}),
    };
  }
  for (let s = 0; s < school.students; s++) {
    const id = ids.student(school.id, s, city.studentWidth);
    const grade = plan.gradeOf(s);
    yield {
      id: rid(id),
      type: 'student',
      ts: ts(id),
      school_id,
      entity_id: id,
      grade,
      class_name: className(grade, plan.classOf(s)),
      name: personName(Rng.of(city.seed, 'student', school.index, s)),
    };
  }
}

/** The course budget: what the school plans to pay for each course at full capacity. */
export function courseBudgets(plan: SchoolPlan): Map<number, number> {
  const byCourse = new Map<number, number>();
  for (const o of plan.offerings) byCourse.set(o.course, (byCourse.get(o.course) ?? 0) + o.fee * o.capacity);
  return byCourse;
}

/** Whether a school submits a budget for the term (not RATES.budgetMissing). */
export function submitsBudget(seed: number, schoolIndex: number, term: Term): boolean {
  return unit(seed, 'budget-missing', schoolIndex, term) >= RATES.budgetMissing;
}

/** One school's term set-up: materials, offerings, budget, enrollments and withdrawals. */
export function* schoolTermEvents(city: City, plan: SchoolPlan, day: string): Generator<InboundEvent> {
  const { school, term } = plan;
  const anchor = setupAnchor(day);
  const school_id = school.id;
  const seed = city.seed;

  for (const kind of MATERIAL_KINDS) {
    if (unit(seed, 'material-missing', school.index, term, kind) < RATES.materialMissing) continue;
    const material_id = ids.material(school.id, term, kind);
    yield {
      id: `${material_id}:pub`,
      type: 'material_published',
      ts: toShanghaiRfc3339(spread(anchor, 6, seed, material_id)),
      school_id,
      material_id,
      term,
      kind,
      title: `${school.name}${termLabel(term)}${MATERIAL_TITLES[kind]}`,
      file_url: `https://files.edu.example/${city.prefix}/materials/${material_id}.pdf`,
    };
  }

  const afterDays = (n: number) => addDays(anchor, n);
  for (const o of plan.offerings) {
    const course = at(plan.courses, o.course);
    yield {
      id: `${o.id}:sub`,
      type: 'offering_submitted',
      ts: toShanghaiRfc3339(spread(afterDays(1), 3, seed, o.id)),
      school_id,
      offering_id: o.id,
      term,
      course_id: course.id,
      teacher_ids: [at(plan.teachers, o.teacher).id],
      capacity: o.capacity,
      fee_per_student: o.fee,
      weekly_sessions: o.weekly,
      description: o.description,
    };
  }

  if (submitsBudget(seed, school.index, term)) {
    const budget_id = ids.budget(school.id, term);
    const items: BudgetItem[] = [];
    let courseTotal = 0;
    for (const [ci, amount] of courseBudgets(plan)) {
      const c = at(plan.courses, ci);
      items.push({ category: 'course', course_id: c.id, name: `${c.name}课时费`, amount });
      courseTotal += amount;
    }
    const rng = Rng.of(seed, 'budget', school.index, term);
    for (const name of BUDGET_OTHER_ITEMS) {
      items.push({
        category: 'other',
        name,
        amount: 100 * Math.round((courseTotal * (0.01 + rng.next() * 0.04)) / 100),
      });
    }
    yield {
      id: `${budget_id}:sub`,
      type: 'budget_submitted',
      ts: toShanghaiRfc3339(spread(afterDays(3), 3, seed, budget_id)),
      school_id,
      budget_id,
      term,
      items,
    };
  }

  for (const o of plan.offerings) {
    for (const [k, s] of o.students.entries()) {
      const student_id = ids.student(school.id, s, city.studentWidth);
      const enrolled = spread(afterDays(7), 8, seed, o.id, s);
      yield {
        id: `${o.id}:enr:${s}`,
        type: 'enrolled',
        ts: toShanghaiRfc3339(enrolled),
        school_id,
        student_id,
        offering_id: o.id,
        fee: o.fee,
      };
      if (o.withdrawn[k]) {
        yield {
          id: `${o.id}:wd:${s}`,
          type: 'withdrawn',
          ts: toShanghaiRfc3339(spread(afterDays(15), 6, seed, o.id, s, 'wd')),
          school_id,
          student_id,
          offering_id: o.id,
          fee: o.fee,
        };
      }
    }
  }
}

/** Master data of the whole city (registry topic only). */
export function* registryEvents(city: City, day: string): Generator<InboundEvent> {
  yield* cityRegistryEvents(city, day);
  for (const school of city.schools)
    yield* schoolRegistryEvents(city, planSchool(city, school.index, termOfDay(day)), day);
}

/** Term set-up of the whole city (materials, offerings, budgets, enrollments). */
export function* termSetupEvents(city: City, day: string): Generator<InboundEvent> {
  for (const school of city.schools) yield* schoolTermEvents(city, planSchool(city, school.index, termOfDay(day)), day);
}

/** Everything before the day: master data then each school's term set-up, planning each school once. */
export function* setupEvents(city: City, day: string): Generator<InboundEvent> {
  yield* cityRegistryEvents(city, day);
  for (const school of city.schools) {
    const plan = planSchool(city, school.index, termOfDay(day));
    yield* schoolRegistryEvents(city, plan, day);
    yield* schoolTermEvents(city, plan, day);
  }
}
