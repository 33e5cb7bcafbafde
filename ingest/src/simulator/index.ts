// The city simulator: a seeded, reproducible city of schools that sends contract events as the
// schools' systems would. Library for the embedded product and the tests; CLI in
// ../bin/simulate.ts.

export {
  createCity,
  DEFAULT_CITY,
  type City,
  type CityOptions,
  type District,
  type Provider,
  type School,
  type Zone,
} from './city.ts';
export { planSchool, type PlanCourse, type PlanOffering, type PlanTeacher, type SchoolPlan } from './school-plan.ts';
export { cityRegistryEvents, registryEvents, registrationDay, setupEvents, termSetupEvents } from './setup.ts';
export { planDay, type DayOptions } from './day-plan.ts';
export { DayPlan } from './day-records.ts';
export {
  ANOMALY_KINDS,
  ANOMALY_RULES,
  AnomalyLedger,
  countAnomalies,
  type Anomaly,
  type AnomalyInput,
  type AnomalyKind,
} from './anomalies.ts';
export { cursorOf, type EventCursor } from './cursor.ts';
export { VirtualClock, type Clock, type VirtualClockOptions } from './clock.ts';
export { play, type PlayOptions, type Player, type Progress } from './player.ts';
export {
  httpSink,
  inProcessSink,
  kafkaSink,
  memorySink,
  type HttpRejection,
  type HttpSinkOptions,
  type HttpSinkStats,
  type KafkaSinkOptions,
  type Sink,
} from './sinks.ts';
export { OFFERINGS_PER_STUDENT, RATES, TIMING, WINDOW } from './rates.ts';
export { addDays, isSchoolDay, nextSchoolDay, setupAnchor, windowOf } from './calendar.ts';
export { sendAll } from './send-all.ts';
export { RECTIFICATION_TIMING, startRectifier, type Rectifier, type RectifierOptions } from './rectifier.ts';
export { followSupervision, type SupervisionFeedOptions } from './rectifier-kafka.ts';
