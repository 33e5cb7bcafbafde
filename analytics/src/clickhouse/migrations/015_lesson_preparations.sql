-- (v1.1) 教师备课: `lesson_prepared` events as they arrived (edu.class.v1). Kept apart from
-- class_events because a preparation is read by its session, whatever day it was sent on (a
-- teacher may prepare a week ahead), while class_events is read by the day of the class.
-- Whether a session counts as prepared (a preparation with ts before its planned_start) is
-- decided by the queries (analytics/src/metrics/queries/prepared.ts), never here. `day` is the
-- Shanghai day of ts; `plan_url` is '' when absent. `id` ends the ORDER BY as in 001.
CREATE TABLE IF NOT EXISTS lesson_preparations (
  id String,
  ts_ms Int64,
  ingested_ms Int64,
  day Date,
  school_id String,
  session_id String,
  teacher_id String,
  title String,
  plan_url String
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (session_id, id);
