import type { CourseCategory, CourseKind, SchoolStage, TeacherCertificate, Term } from '@edu/analytics';
import type { City, School } from './city.ts';
import { ids } from './ids.ts';
import { bandLabel, COURSE_NAMES, offeringDescription, operatorName, ROOMS } from './names.ts';
import { OFFERINGS_PER_STUDENT, RATES, TIMING } from './rates.ts';
import { allocate, at, Rng } from './rng.ts';

// Everything inside one school for one term: its teachers, courses, offerings with their
// weekly timetable, and which students enrolled in what. Derived from the school's own seed,
// so any school can be planned alone, in any order, as often as needed (set-up and each day
// plan it again rather than keeping 1,200 schools in memory).

export interface PlanTeacher {
  id: string;
  certificate: TeacherCertificate;
  providerId?: string;
}
export interface PlanCourse {
  id: string;
  name: string;
  kind: CourseKind;
  category: CourseCategory;
  providerId?: string;
  /** Parents dislike it: its feedback runs low (RATES.lowFeedbackCourse). */
  lowFeedback: boolean;
}
export interface Slot {
  /** Weekdays as bits: Monday = 1, Tuesday = 2, … Friday = 16. */
  days: number;
  startMinute: number;
  endMinute: number;
}
export interface PlanOffering extends Slot {
  index: number;
  id: string;
  course: number;
  teacher: number;
  capacity: number;
  fee: number;
  weekly: number;
  room: string;
  gradeMin: number;
  gradeMax: number;
  description: string;
  /** Its settlements exceed its course's budget (RATES.overBudget). */
  overBudget: boolean;
  /** Enrolled students (indexes within the school), in enrollment order. */
  students: number[];
  /** Parallel to `students`: withdrawn later in the term. */
  withdrawn: boolean[];
}
export interface SchoolPlan {
  school: School;
  term: Term;
  operator?: { id: string; name: string };
  teachers: PlanTeacher[];
  courses: PlanCourse[];
  offerings: PlanOffering[];
  gradeOf(student: number): number;
  classOf(student: number): number;
}

const GRADES: Record<SchoolStage, readonly number[]> = {
  primary: [1, 2, 3, 4, 5, 6],
  junior: [7, 8, 9],
  nine_year: [1, 2, 3, 4, 5, 6, 7, 8, 9],
};
const BANDS: Record<SchoolStage, readonly (readonly [number, number])[]> = {
  primary: [
    [1, 2],
    [3, 4],
    [5, 6],
  ],
  junior: [
    [7, 7],
    [8, 8],
    [9, 9],
  ],
  nine_year: [
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 7],
    [8, 8],
    [9, 9],
  ],
};
const CATEGORIES: readonly (readonly [CourseCategory, number])[] = [
  ['sports', 0.28],
  ['arts', 0.24],
  ['science', 0.18],
  ['reading', 0.12],
  ['labor', 0.07],
  ['homework', 0.04],
  ['other', 0.07],
];
const CLASS_SIZE = 45;
/** Offerings are planned with this much more capacity than the expected demand. */
const CAPACITY_SLACK = 1.25;
const MEAN_CHOICES = OFFERINGS_PER_STUDENT.reduce((s, [k, w]) => s + k * w, 0);
const LAST_END_MINUTE = 18 * 60;
const ALL_WEEKDAYS = 0b11111;

export function overlaps(a: Slot, b: Slot): boolean {
  return (a.days & b.days) !== 0 && a.startMinute < b.endMinute && b.startMinute < a.endMinute;
}

function certificateFor(rng: Rng, category: CourseCategory, external: boolean): TeacherCertificate {
  if (!external) return rng.chance(RATES.schoolTeacherUncertified) ? 'none' : 'teacher';
  if (rng.chance(RATES.externalTeacherUncertified)) return 'none';
  if (category === 'sports') return rng.chance(0.7) ? 'coach' : 'teacher';
  if (category === 'arts' || category === 'science') return rng.chance(0.6) ? 'skill' : 'teacher';
  return rng.chance(0.6) ? 'teacher' : 'skill';
}

function pickDays(rng: Rng, weekly: number): number {
  if (weekly >= 5) return ALL_WEEKDAYS;
  const order = rng.shuffle([0, 1, 2, 3, 4]);
  let days = 0;
  for (let i = 0; i < weekly; i++) days |= 1 << at(order, i);
  return days;
}

/** The plan of one school for one term. */
export function planSchool(city: City, schoolIndex: number, term: Term): SchoolPlan {
  const school = at(city.schools, schoolIndex);
  const rng = Rng.of(city.seed, 'school', schoolIndex, term);
  const grades = GRADES[school.stage];
  const perGrade = allocate(
    school.students,
    grades.map(() => 1),
  );
  const firstOfGrade: number[] = [];
  perGrade.reduce((first, n) => (firstOfGrade.push(first), first + n), 0);
  const gradePos = (student: number) => {
    let g = grades.length - 1;
    while (g > 0 && at(firstOfGrade, g) > student) g--;
    return g;
  };
  const gradeOf = (student: number) => at(grades, gradePos(student));
  const classOf = (student: number) => {
    const g = gradePos(student);
    const n = at(perGrade, g);
    const classes = Math.max(1, Math.round(n / CLASS_SIZE));
    return Math.floor(((student - at(firstOfGrade, g)) * classes) / n) + 1;
  };

  const operator = rng.chance(RATES.schoolOperator)
    ? { id: ids.operator(school.id), name: operatorName(Rng.of(city.seed, 'operator', schoolIndex)) }
    : undefined;

  const teachers: PlanTeacher[] = [];
  const teacherSlots: Slot[][] = [];
  const courses: PlanCourse[] = [];
  const courseNames = new Set<string>();
  const offerings: PlanOffering[] = [];

  const newCourse = (category: CourseCategory): number => {
    const pool = COURSE_NAMES[category].filter((n) => !courseNames.has(n));
    const name = pool.length > 0 ? rng.pick(pool) : `${rng.pick(COURSE_NAMES[category])}（${courses.length + 1}）`;
    courseNames.add(name);
    const external = category !== 'homework' && rng.chance(RATES.externalCourse);
    const providers = city.providersByCategory.get(category) ?? city.providers;
    courses.push({
      id: ids.course(school.id, courses.length),
      name,
      kind: external ? 'external' : 'school',
      category,
      ...(external ? { providerId: rng.pick(providers).id } : {}),
      lowFeedback: rng.chance(RATES.lowFeedbackCourse),
    });
    return courses.length - 1;
  };

  // A teacher of the course's side (the school's own, or the provider's) free at that slot.
  const teacherFor = (course: PlanCourse, slot: Slot): number => {
    if (rng.chance(0.5)) {
      const free = teachers
        .map((t, i) => i)
        .filter(
          (i) =>
            at(teachers, i).providerId === course.providerId && !at(teacherSlots, i).some((s) => overlaps(s, slot)),
        );
      if (free.length > 0) {
        const i = rng.pick(free);
        at(teacherSlots, i).push(slot);
        return i;
      }
    }
    teachers.push({
      id: ids.teacher(school.id, teachers.length),
      certificate: certificateFor(rng, course.category, course.kind === 'external'),
      ...(course.providerId ? { providerId: course.providerId } : {}),
    });
    teacherSlots.push([slot]);
    return teachers.length - 1;
  };

  const addOffering = (band: readonly [number, number], category: CourseCategory, usedInBand: Set<number>) => {
    const reusable = courses.map((c, i) => i).filter((i) => at(courses, i).category === category && !usedInBand.has(i));
    const course = reusable.length > 0 && rng.chance(0.35) ? rng.pick(reusable) : newCourse(category);
    usedInBand.add(course);
    const c = at(courses, course);
    const homework = category === 'homework';
    const weekly = homework
      ? 5
      : rng.weighted<number>([
          [1, 0.35],
          [2, 0.45],
          [3, 0.2],
        ]);
    const startMinute = homework ? TIMING.firstStartMinute : TIMING.firstStartMinute + 10 * rng.int(7);
    let duration = homework ? 60 : rng.pick(TIMING.durations);
    while (startMinute + duration > LAST_END_MINUTE) duration -= 15;
    const slot: Slot = { days: pickDays(rng, weekly), startMinute, endMinute: startMinute + duration };
    const external = c.kind === 'external';
    const rooms = ROOMS[category];
    const label = bandLabel(band[0], band[1]);
    offerings.push({
      index: offerings.length,
      id: ids.offering(school.id, term, offerings.length),
      course,
      teacher: teacherFor(c, slot),
      ...slot,
      weekly,
      capacity: homework ? rng.between(40, 50) : rng.between(20, 40),
      fee: external ? 5000 * rng.between(8, 30) : 1000 * (homework ? rng.between(20, 40) : rng.between(10, 30)),
      room: rooms.length > 0 && rng.chance(0.8) ? rng.pick(rooms) : `${rng.between(1, 5)}0${rng.between(1, 9)}教室`,
      gradeMin: band[0],
      gradeMax: band[1],
      description: offeringDescription(rng, c.name, category, label, weekly),
      overBudget: rng.chance(RATES.overBudget),
      students: [],
      withdrawn: [],
    });
  };

  // Offerings per grade band: homework help first, then interest courses until the band's
  // capacity covers the expected demand with some slack.
  const bandStudents = new Map<string, number[]>();
  for (const band of BANDS[school.stage]) {
    const members: number[] = [];
    grades.forEach((g, pos) => {
      if (g < band[0] || g > band[1]) return;
      for (let s = at(firstOfGrade, pos); s < at(firstOfGrade, pos) + at(perGrade, pos); s++) members.push(s);
    });
    if (members.length === 0) continue;
    bandStudents.set(band.join('-'), members);
    const demand = members.length * (1 - RATES.studentNotEnrolled) * MEAN_CHOICES * CAPACITY_SLACK;
    const used = new Set<number>();
    const first = offerings.length;
    addOffering(band, 'homework', used);
    let capacity = at(offerings, first).capacity;
    while (capacity < demand) {
      addOffering(band, rng.weighted(CATEGORIES), used);
      capacity += at(offerings, offerings.length - 1).capacity;
    }
  }

  // Enrollment: students of each band, in a shuffled order, choose 1–3 offerings of their
  // band that have room and do not clash with what they already chose.
  for (const band of BANDS[school.stage]) {
    const members = bandStudents.get(band.join('-'));
    if (!members) continue;
    const choices = offerings.filter((o) => o.gradeMin === band[0] && o.gradeMax === band[1]);
    for (const student of rng.shuffle([...members])) {
      if (rng.chance(RATES.studentNotEnrolled)) continue;
      const want = rng.weighted(OFFERINGS_PER_STUDENT);
      const mine: PlanOffering[] = [];
      for (let attempt = 0; attempt < want * 4 && mine.length < want; attempt++) {
        const o = rng.pick(choices);
        if (o.students.length >= o.capacity || mine.includes(o) || mine.some((m) => overlaps(m, o))) continue;
        mine.push(o);
        o.students.push(student);
        o.withdrawn.push(rng.chance(RATES.withdrawal));
      }
    }
  }

  return { school, term, operator, teachers, courses, offerings, gradeOf, classOf };
}
