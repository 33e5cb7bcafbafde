-- What the streamer keeps: users and their permissions, the audit trail of every write, and
-- the alert and notice lifecycles. All append-only: a change is a new row with a higher
-- version, so the history stays readable and two engines (18.16 and chDB) behave alike.

-- Users: the latest version per user_id wins (queries use argMax, never FINAL or merges).
CREATE TABLE IF NOT EXISTS users (
  user_id String,
  version UInt64,
  updated_ms Int64,
  updated_by String,
  phone String,
  name String,
  role String,
  dimensions Array(String),
  districts Array(String),
  password_hash String,
  must_change_password UInt8,
  disabled UInt8
) ENGINE = ReplacingMergeTree(version)
ORDER BY user_id;

-- Every write through the streamer (login, password change, ack, notice, user edit).
-- `detail` is JSON written by the streamer; never a password or a token.
CREATE TABLE IF NOT EXISTS audit_log (
  ts_ms Int64,
  day Date,
  actor_id String,
  actor_role String,
  action String,
  target String,
  ok UInt8,
  ip String,
  detail String
) ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, ts_ms, actor_id);

-- Alert lifecycle: one row per change of an alert; the highest version is its state.
CREATE TABLE IF NOT EXISTS alert_log (
  alert_id String,
  version UInt64,
  ts_ms Int64,
  rule String,
  state String,
  school_id String,
  body String
) ENGINE = ReplacingMergeTree(version)
ORDER BY alert_id;

-- Notice states after issue (overdue, closed); the notice itself is in supervision_log.
CREATE TABLE IF NOT EXISTS notice_state_log (
  notice_id String,
  version UInt64,
  ts_ms Int64,
  state String,
  by_id String
) ENGINE = ReplacingMergeTree(version)
ORDER BY notice_id;
