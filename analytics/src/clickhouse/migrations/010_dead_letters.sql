-- Bad input kept where there is no Kafka dead-letter topic (the embedded default), with the
-- original bytes so nothing is lost and a fixed message can be replayed.
CREATE TABLE IF NOT EXISTS dead_letters (
  received_ms Int64,
  code String,
  reason String,
  source String,
  topic String,
  partition Int32,
  offset String,
  original_base64 String
) ENGINE = MergeTree
ORDER BY received_ms;
