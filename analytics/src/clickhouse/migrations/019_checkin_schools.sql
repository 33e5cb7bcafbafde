-- For each day and session, the schools its check-ins were sent under (almost always the
-- session's own). `checkins` is keyed (day, school_id, session_id, …), so a read for some
-- schools' sessions that filtered check-ins by session id alone read every school's check-ins
-- of the three-day window: 3M rows at 1M a day, twice per read of ten changed schools. With
-- this table such a read narrows by school too and stays exact: every check-in naming one of
-- those sessions carries one of the schools listed for it here.
CREATE TABLE IF NOT EXISTS checkin_schools (
  day Date,
  session_id String,
  school_id String
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, session_id, school_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS checkin_schools_mv TO checkin_schools AS
SELECT day, session_id, school_id
FROM checkins
GROUP BY day, session_id, school_id;

-- The check-ins stored before the view existed (a pair listed twice only widens a filter).
INSERT INTO checkin_schools (day, session_id, school_id)
SELECT day, session_id, school_id
FROM checkins
GROUP BY day, session_id, school_id;
