-- Raw contract events, one table per family. Conventions, shared by every table:
--   * `id` is the event id (the idempotency key) and ends every ORDER BY, so a redelivered
--     event is collapsed by ReplacingMergeTree in time. Queries never rely on merges having
--     happened: every metric is written to count a duplicate once (see analytics/src/metrics).
--   * `ts_ms` is the source time in epoch milliseconds, `ingested_ms` when ingest stored it.
--     ClickHouse 18.16 has no DateTime64, so instants are Int64 ms, and the calendar day in
--     Asia/Shanghai is computed once at ingest into a `Date` column.
--   * Optional fields are stored as '' (Nullable costs a column each and 18.16 handles it
--     poorly in keys); the contract never gives '' a meaning of its own.

CREATE TABLE IF NOT EXISTS registry (
  id String,
  ts_ms Int64,
  ingested_ms Int64,
  type String,
  entity_id String,
  name String,
  school_id String,
  zone_id String,
  district_id String,
  stage String,
  students UInt32,
  channel String,
  qualified UInt8,
  certificate String,
  provider_id String,
  kind String,
  category String,
  grade UInt8,
  class_name String
) ENGINE = ReplacingMergeTree(ts_ms)
ORDER BY (type, entity_id);

CREATE TABLE IF NOT EXISTS offerings (
  id String,
  ts_ms Int64,
  ingested_ms Int64,
  school_id String,
  offering_id String,
  term String,
  course_id String,
  teacher_ids Array(String),
  capacity UInt32,
  fee_per_student Int64,
  weekly_sessions UInt16,
  description String
) ENGINE = ReplacingMergeTree(ts_ms)
ORDER BY (school_id, offering_id);

CREATE TABLE IF NOT EXISTS sessions (
  id String,
  ts_ms Int64,
  ingested_ms Int64,
  type String,
  school_id String,
  session_id String,
  offering_id String,
  course_id String,
  teacher_id String,
  room String,
  planned_start_ms Int64,
  planned_end_ms Int64,
  planned_day Date
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(planned_day)
ORDER BY (planned_day, school_id, session_id, id);

CREATE TABLE IF NOT EXISTS enrollments (
  id String,
  ts_ms Int64,
  ingested_ms Int64,
  type String,
  school_id String,
  student_id String,
  offering_id String,
  fee Int64
) ENGINE = ReplacingMergeTree
ORDER BY (school_id, offering_id, student_id, id);

CREATE TABLE IF NOT EXISTS class_events (
  id String,
  ts_ms Int64,
  ingested_ms Int64,
  type String,
  day Date,
  school_id String,
  session_id String,
  teacher_id String,
  summary String,
  report_student_ids Array(String),
  report_performance Array(UInt8),
  report_notes Array(String)
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, school_id, session_id, type, id);

CREATE TABLE IF NOT EXISTS checkins (
  id String,
  ts_ms Int64,
  ingested_ms Int64,
  type String,
  day Date,
  minute UInt16,
  school_id String,
  session_id String,
  person String,
  person_id String,
  method String
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, school_id, session_id, person, person_id, type, id);

CREATE TABLE IF NOT EXISTS settlements (
  id String,
  ts_ms Int64,
  ingested_ms Int64,
  school_id String,
  settlement_id String,
  offering_id String,
  provider_id String,
  amount Int64,
  period String
) ENGINE = ReplacingMergeTree(ts_ms)
ORDER BY (school_id, settlement_id);

CREATE TABLE IF NOT EXISTS feedback (
  id String,
  ts_ms Int64,
  ingested_ms Int64,
  day Date,
  school_id String,
  from_role String,
  target String,
  target_id String,
  score UInt8,
  comment String
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (school_id, target, target_id, id);

CREATE TABLE IF NOT EXISTS materials (
  id String,
  ts_ms Int64,
  ingested_ms Int64,
  school_id String,
  material_id String,
  term String,
  kind String,
  title String,
  file_url String
) ENGINE = ReplacingMergeTree(ts_ms)
ORDER BY (school_id, material_id);

CREATE TABLE IF NOT EXISTS budgets (
  id String,
  ts_ms Int64,
  ingested_ms Int64,
  school_id String,
  budget_id String,
  term String,
  item_category Array(String),
  item_course_id Array(String),
  item_name Array(String),
  item_amount Array(Int64)
) ENGINE = ReplacingMergeTree(ts_ms)
ORDER BY (school_id, budget_id);
