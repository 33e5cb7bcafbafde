-- Every version of every alert, kept. alert_log is a ReplacingMergeTree(version): a background
-- merge keeps only an alert's newest version, which is what the live alert book loads, but
-- replay (contract v1.1 `at`) needs the versions between: an alert that was 已下发督办 at 17:20
-- and resolved at 17:40 must replay as 已下发督办 at 17:30. Append-only, beside alert_log;
-- replay reads both (versions written before this table existed survive only in alert_log).
CREATE TABLE IF NOT EXISTS alert_history (
  alert_id String,
  version UInt64,
  ts_ms Int64,
  rule String,
  state String,
  school_id String,
  body String
) ENGINE = MergeTree
ORDER BY (alert_id, version);
