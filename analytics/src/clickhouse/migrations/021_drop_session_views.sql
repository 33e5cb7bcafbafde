-- session_students (002) and session_teachers (011) have been read by no query since the
-- attendance counts enrolled students only (contract v1.1: session-figures.ts joins each
-- check-in to the enrollments, which a per-session uniqExact state cannot). Their views still ran
-- on every check-in written: at 100M check-ins session_students held 1.0 GiB of states, more
-- than the check-ins themselves (0.9 GiB), and 1M check-ins in 50,000-row inserts took ~10%
-- longer with both views than without (clickhouse-client, 18.16: medians ~3.2 s and ~2.9 s).
DROP TABLE IF EXISTS session_students_mv;
DROP TABLE IF EXISTS session_students;
DROP TABLE IF EXISTS session_teachers_mv;
DROP TABLE IF EXISTS session_teachers;
