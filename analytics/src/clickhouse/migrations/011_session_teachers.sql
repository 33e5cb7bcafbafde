-- Teachers checked in per session and day, so "was the scheduled teacher there" reads one
-- small row per session instead of scanning three days of check-ins.
CREATE TABLE IF NOT EXISTS session_teachers (
  day Date,
  school_id String,
  session_id String,
  teachers AggregateFunction(groupUniqArray, String)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, school_id, session_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS session_teachers_mv TO session_teachers AS
SELECT day, school_id, session_id, groupUniqArrayState(person_id) AS teachers
FROM checkins
WHERE type = 'checkin' AND person = 'teacher'
GROUP BY day, school_id, session_id;
