-- Wall displays (issue 12): a command-centre wall paired once with a code, then holding a
-- long-lived, read-only credential bound to one scope. Kept beside users and source keys, the
-- same way: append-only, a change (registration, pairing, revocation) is a new row with a higher
-- version, and the latest version per display_id is the display; a revocation is final (the
-- queries take max(revoked)). Only the SHA-256 of the credential is stored ('' before the display
-- is paired); the credential itself is handed to the wall once, when it pairs.
CREATE TABLE IF NOT EXISTS displays (
  display_id String,
  version UInt64,
  updated_ms Int64,
  updated_by String,
  name String,
  scope String,
  rotate UInt8,
  sound UInt8,
  token_hash String,
  paired_ms Int64,
  created_ms Int64,
  created_by String,
  revoked UInt8,
  revoked_ms Int64,
  revoked_by String
) ENGINE = ReplacingMergeTree(version)
ORDER BY display_id;

-- When each display was last seen and the screen build it ran then: written on connect (and at
-- most hourly while connected; the heartbeats in between are in Redis), never a new version of
-- the display itself, so a heartbeat can never undo a revocation. The page reads the latest row.
CREATE TABLE IF NOT EXISTS display_seen (
  display_id String,
  seen_ms Int64,
  build String
) ENGINE = ReplacingMergeTree(seen_ms)
ORDER BY display_id;
