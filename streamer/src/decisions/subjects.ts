import {
  ADMISSION_SUBJECT_PREFIX,
  courseOfOffering,
  registryEntity,
  schoolsOfCourse,
  schoolsOfFeedbackTarget,
  schoolsOfItem,
  type Dimension,
  type Store,
  type TargetType,
} from '@edu/analytics';
import type { ErrorCode } from '@edu/analytics/errors';
import type { AlertBook } from '../alerts/book.ts';
import { canSeeItem, type User } from '../auth/user.ts';
import { forbidden, HttpError, notFound } from '../errors.ts';
import type { Geography } from '../geo.ts';
import type { NoticeBook } from '../notices/book.ts';

// Every write is checked against where its subject lives (issue 16). A decision or a notice
// names a target (a school, provider or operator) and a subject (an alert, a notice, a
// material, a budget, an offering, a course, a feedback target, or a school's day); the
// subject is resolved to the school(s) it belongs to, the target must match it, and every
// school the write can affect must lie in the writer's districts and dimension. Nothing is
// trusted from the request but the ids: a staff member of district 1 cannot reach a
// district-2 material by naming their own school as the target.
//
// How a subject id is read, by dimension (every reading that matches is kept; an id that is
// an alert and also a material at another school must pass the check for both):
//   any dimension  an alert of that dimension (its school); a notice of that dimension (its
//                  schools); `<dimension>:<school>:<YYYY-MM-DD>` (a school's day)
//   material       a material_id            budget   a budget_id
//   course         an offering_id (and its course's provider); `provider:<id>` (准入审核, a
//                  provider's admission: it may serve any school, so every school of the city
//                  is affected and only a user who sees the whole city may decide it)
//   safety         a course_id (the schools offering it; its provider)
//   feedback       `<course|teacher|provider|operator>:<id>` (the schools whose feedback names it)

export interface SubjectReading {
  kind: 'alert' | 'notice' | 'day' | 'material' | 'budget' | 'offering' | 'course' | 'feedback' | 'admission';
  schools: string[];
  /** The providers / operators the subject concerns (a provider target must be one of them). */
  providers: string[];
  operators: string[];
  /**
   * Whether the write's effect is tied to the subject id itself wherever it lives (a decision
   * shown on every item with that id; an alert moved to "notice issued"): then every school of
   * the reading is checked, not only the one concerned.
   */
  keyed: boolean;
}

export interface WriteRequest {
  target_type: TargetType;
  target_id: string;
  dimension: Dimension;
  subject_id: string;
  /** For a provider or operator target: the school the write concerns (optional). */
  school_id?: string;
}

export interface WritePlace {
  /** The school concerned: the target school, or for a provider/operator the one named or found. */
  school: string | null;
  /** The schools the write is recorded against (who may see it): `[school]`, or all the subject's. */
  schools: string[];
}

export interface SubjectDeps {
  store: Store;
  geo: () => Geography;
  alerts: AlertBook;
  notices: NoticeBook;
}

const DAY_SUBJECT = /^([a-z]+):(.+):(\d{4}-\d{2}-\d{2})$/;
const FEEDBACK_SUBJECT = /^(course|teacher|provider|operator):(.+)$/;

/** Every reading of a subject id in a dimension; empty when the id is nothing known. */
export async function readSubject(d: SubjectDeps, dimension: Dimension, id: string): Promise<SubjectReading[]> {
  const out: SubjectReading[] = [];
  const add = (r: Omit<SubjectReading, 'providers' | 'operators'> & Partial<SubjectReading>) => {
    if (r.schools.length > 0) out.push({ providers: [], operators: [], ...r });
  };
  const alert = d.alerts.get(id);
  if (alert && alert.dimension === dimension) add({ kind: 'alert', schools: [alert.school_id], keyed: true });
  const notice = d.notices.get(id);
  if (notice && notice.dimension === dimension) {
    const schools = d.notices.schoolsOf(id);
    // A notice whose schools are not known (yet) cannot be checked: it is no subject.
    if (schools) add({ kind: 'notice', schools, keyed: true });
  }
  const day = DAY_SUBJECT.exec(id);
  if (day && day[1] === dimension && d.geo().schools.has(day[2] as string))
    add({ kind: 'day', schools: [day[2] as string], keyed: true });

  const provided = async (courseId: string | null) => {
    if (!courseId) return [];
    const course = await registryEntity(d.store, 'course', courseId);
    return course?.provider_id ? [course.provider_id] : [];
  };
  switch (dimension) {
    case 'material':
    case 'budget':
      add({ kind: dimension, schools: await schoolsOfItem(d.store, dimension, id), keyed: true });
      break;
    case 'course': {
      if (id.startsWith(ADMISSION_SUBJECT_PREFIX)) {
        const provider = id.slice(ADMISSION_SUBJECT_PREFIX.length);
        if (await registryEntity(d.store, 'provider', provider))
          add({ kind: 'admission', schools: [...d.geo().schools.keys()], providers: [provider], keyed: true });
        break;
      }
      const schools = await schoolsOfItem(d.store, 'offering', id);
      if (schools.length)
        add({ kind: 'offering', schools, providers: await provided(await courseOfOffering(d.store, id)), keyed: true });
      break;
    }
    case 'safety': {
      const schools = await schoolsOfCourse(d.store, id);
      if (schools.length) add({ kind: 'course', schools, providers: await provided(id), keyed: true });
      break;
    }
    case 'feedback': {
      const m = FEEDBACK_SUBJECT.exec(id);
      if (!m) break;
      const [, target, targetId] = m as unknown as [string, string, string];
      const schools = await schoolsOfFeedbackTarget(d.store, target, targetId);
      if (!schools.length) break;
      let providers: string[] = [];
      if (target === 'provider') providers = [targetId];
      else if (target === 'course') providers = await provided(targetId);
      else if (target === 'teacher') {
        const t = await registryEntity(d.store, 'teacher', targetId);
        providers = t?.provider_id ? [t.provider_id] : [];
      }
      add({
        kind: 'feedback',
        schools,
        providers,
        operators: target === 'operator' ? [targetId] : [],
        // A feedback notice changes nothing keyed by the id: only the school concerned counts.
        keyed: false,
      });
      break;
    }
    default:
      break;
  }
  return out;
}

const refuse403 = (reason: string, code: ErrorCode = 'outside_scope', extra: Record<string, unknown> = {}) =>
  Object.assign(forbidden(reason, code, extra), { refusal: true as const });

/**
 * Checks a decision or a notice against the subject's place and the user's scope; returns the
 * place to record it under, or throws: 404 for an unknown target or subject, or a subject that
 * is not the target's; 403 (with `refusal`) when a school it affects is outside the user's
 * districts or the dimension is not theirs.
 */
export async function placeWrite(
  d: SubjectDeps,
  user: User,
  req: WriteRequest,
  kind: 'decision' | 'notice',
): Promise<WritePlace> {
  const geo = d.geo();
  const district = (school: string) => geo.schools.get(school)?.district_id ?? null;
  const inScope = (school: string) => {
    const dist = district(school);
    return dist !== null && canSeeItem(user, req.dimension, dist);
  };
  if (user.role === 'staff' && !user.dimensions.includes(req.dimension))
    throw refuse403(`dimension ${req.dimension} is not yours`, 'dimension_not_yours', { dimension: req.dimension });

  // The target.
  let concerned: string | null = null;
  if (req.target_type === 'school') {
    if (!geo.schools.has(req.target_id)) throw notFound(`no school ${req.target_id}`, 'no_school');
    if (!inScope(req.target_id)) throw refuse403('this school or dimension is outside your scope');
    if (req.school_id !== undefined && req.school_id !== req.target_id)
      throw notFound(`school_id ${req.school_id} is not the target school ${req.target_id}`, 'no_subject');
    concerned = req.target_id;
  } else {
    const entity = await registryEntity(d.store, req.target_type, req.target_id);
    if (!entity) throw notFound(`no ${req.target_type} ${req.target_id}`, 'no_subject');
    if (req.school_id !== undefined) {
      if (!geo.schools.has(req.school_id)) throw notFound(`no school ${req.school_id}`, 'no_school');
      if (!inScope(req.school_id)) throw refuse403('this school or dimension is outside your scope');
      concerned = req.school_id;
    }
  }

  // The subject, and the target against it.
  const readings = await readSubject(d, req.dimension, req.subject_id);
  if (readings.length === 0) throw notFound(`no ${req.dimension} subject ${req.subject_id}`, 'no_subject');
  const all = [...new Set(readings.flatMap((r) => r.schools))];
  if (concerned === null && all.length === 1) concerned = all[0] as string;
  if (concerned !== null && !all.includes(concerned))
    throw notFound(`${req.dimension} subject ${req.subject_id} is not of school ${concerned}`, 'no_subject');
  if (req.target_type !== 'school') {
    const list = readings.flatMap((r) => (req.target_type === 'provider' ? r.providers : r.operators));
    if (list.length > 0 && !list.includes(req.target_id))
      throw notFound(
        `${req.dimension} subject ${req.subject_id} does not concern ${req.target_type} ${req.target_id}`,
        'no_subject',
      );
  }

  // Every school the write can affect.
  const affected = new Set<string>();
  for (const r of readings) {
    if (kind === 'decision' || r.keyed || concerned === null) for (const s of r.schools) affected.add(s);
  }
  if (concerned !== null) affected.add(concerned);
  for (const s of affected)
    if (!inScope(s)) throw refuse403(`${req.dimension} subject ${req.subject_id} lies outside your districts`);
  return { school: concerned, schools: concerned !== null ? [concerned] : all };
}

/** Whether an error from placeWrite is a scope refusal (to audit as one). */
export const isScopeRefusal = (err: unknown): boolean =>
  err instanceof HttpError && (err as HttpError & { refusal?: boolean }).refusal === true;
