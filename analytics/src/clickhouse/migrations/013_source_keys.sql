-- Source keys of the HTTP intake (contract v1.1 "Sources and the HTTP intake"): who may post
-- events for which schools. Kept beside users, the same way: append-only, a change (a
-- revocation) is a new row with a higher version, and the latest version per key_id is the key.
-- Only the SHA-256 of a key is stored; the key itself is shown once, when it is issued.
CREATE TABLE IF NOT EXISTS source_keys (
  key_id String,
  version UInt64,
  updated_ms Int64,
  updated_by String,
  name String,
  key_hash String,
  key_hint String,
  schools Array(String),
  created_ms Int64,
  created_by String,
  revoked UInt8,
  revoked_ms Int64,
  revoked_by String
) ENGINE = ReplacingMergeTree(version)
ORDER BY key_id;

-- When each key was last used: ingest writes one row per key at most once a minute; the
-- administration page reads max(used_ms). A ReplacingMergeTree keeps it small once merged,
-- but the query never relies on merges.
CREATE TABLE IF NOT EXISTS source_key_uses (
  key_id String,
  used_ms Int64
) ENGINE = ReplacingMergeTree(used_ms)
ORDER BY key_id;
