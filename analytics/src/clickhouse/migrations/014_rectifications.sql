-- (v1.1) The schools' side of 督办 (edu.rectification.v1): receipts (签收) and rectifications
-- (整改反馈), as they arrived. Nothing here is a state: a notice's state is derived from these
-- rows and the bureau's decisions in supervision_log (analytics/src/supervision/loop.ts), so an
-- event for an unknown notice, or one before its notice, is kept and shown, never dropped.
-- `id` ends the ORDER BY as in 001 (a redelivered event collapses in time; queries count it
-- once); `submission_id` is '' for a receipt. Attachments are two parallel arrays.
CREATE TABLE IF NOT EXISTS rectifications (
  id String,
  ts_ms Int64,
  ingested_ms Int64,
  type String,
  school_id String,
  notice_id String,
  receiver_id String,
  submission_id String,
  content String,
  attachment_names Array(String),
  attachment_urls Array(String)
) ENGINE = ReplacingMergeTree(ts_ms)
ORDER BY (notice_id, id);
