-- The enrollments again, keyed by offering. A day's attendance counts a check-in only for a
-- student enrolled in the session's offering, so every figures read merges the latest
-- enrollment state of its sessions' offerings; `enrollments` is keyed (school_id, offering_id,
-- …) and an enrollment's school is not guaranteed to be its offering's, so that merge filtered
-- by offering alone read the whole term's enrollments: ~45 ms of a city read re-reading ten
-- changed schools at 100M check-ins. Keyed by offering, it reads those offerings' granules.
CREATE TABLE IF NOT EXISTS enrollments_by_offering (
  id String,
  ts_ms Int64,
  ingested_ms Int64,
  type String,
  school_id String,
  student_id String,
  offering_id String,
  fee Int64
) ENGINE = ReplacingMergeTree
ORDER BY (offering_id, student_id, id);

CREATE MATERIALIZED VIEW IF NOT EXISTS enrollments_by_offering_mv TO enrollments_by_offering AS
SELECT id, ts_ms, ingested_ms, type, school_id, student_id, offering_id, fee
FROM enrollments;

-- The rows stored before the view existed. One stored meanwhile arrives twice: the same id and
-- version, so every argMax reads the same state (and a merge keeps one of them).
INSERT INTO enrollments_by_offering (id, ts_ms, ingested_ms, type, school_id, student_id, offering_id, fee)
SELECT id, ts_ms, ingested_ms, type, school_id, student_id, offering_id, fee
FROM enrollments;
