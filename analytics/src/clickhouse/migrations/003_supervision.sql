-- The audit trail of the bureau's decisions: append-only, never updated. What was published
-- to edu.supervision.v1 is exactly what is recorded here.
CREATE TABLE IF NOT EXISTS supervision_log (
  notice_id String,
  ts_ms Int64,
  type String,
  issuer_id String,
  issuer_role String,
  target_type String,
  target_id String,
  dimension String,
  subject_id String,
  decision String,
  content String,
  deadline_ms Int64
) ENGINE = MergeTree
ORDER BY (target_id, dimension, ts_ms, notice_id);
