-- Materialized views for what the live screens read on every update. Both keep exact
-- distinct-count states (uniqExact), so a redelivered check-in changes nothing.

-- Students present per session: the hottest number on the wall. One row per session and
-- day instead of one per check-in, which is what keeps the city-wide overview fast.
CREATE TABLE IF NOT EXISTS session_students (
  day Date,
  school_id String,
  session_id String,
  students AggregateFunction(uniqExact, String)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, school_id, session_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS session_students_mv TO session_students AS
SELECT day, school_id, session_id, uniqExactState(person_id) AS students
FROM checkins
WHERE type = 'checkin' AND person = 'student'
GROUP BY day, school_id, session_id;

-- Check-ins by minute of the day, for the attendance curve; counted by event id.
CREATE TABLE IF NOT EXISTS checkin_minutes (
  day Date,
  school_id String,
  person String,
  minute UInt16,
  events AggregateFunction(uniqExact, String)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, school_id, person, minute);

CREATE MATERIALIZED VIEW IF NOT EXISTS checkin_minutes_mv TO checkin_minutes AS
SELECT day, school_id, person, minute, uniqExactState(id) AS events
FROM checkins
WHERE type = 'checkin'
GROUP BY day, school_id, person, minute;
