import type { AddressInfo } from 'node:net';
import { DEADLETTER_TOPIC, DLQ_HEADERS, INBOUND_TOPICS, migrate, openServerStore } from '@edu/analytics';
import { disposeTestStore, storedComments, storedIds, testDatabaseName } from '@edu/analytics/testing';
import { createIngest } from '@edu/ingest';
import { goodCheckin, goodFeedback, hostileMessages, HOSTILE_TEXT } from '@edu/ingest/testing/hostile';
import { issueTestSourceKey, postToIntake } from '@edu/ingest/testing/intake';
import {
  createTestTopics,
  eventually,
  produceRaw,
  readTopic,
  removeTestTopics,
  testIngestConfig,
  testKafka,
  testPrefix,
} from '@edu/ingest/testing/kafka';

// The bad-input suite (issue: a corpus of hostile events and requests, each dead-lettered or
// refused with a reason, good traffic around it untouched, no crash). The corpus
// (ingest/src/testing/hostile.ts) goes through the real Kafka and the HTTP intake of a real
// ingest storing into the ClickHouse server; the table shows what became of each item.
//
//   npx tsx deploy/bench/hostile.ts      (needs deploy/services/up.sh; about 15 s)
// Its reduced form in the test suite: ingest/src/kafka/ingest.integration.test.ts (the same
// corpus, both engines) and ingest/src/http/intake.integration.test.ts.

const kafka = testKafka();
const prefix = testPrefix('hostile');
const database = testDatabaseName('hostile');
await createTestTopics(kafka, prefix);
const store = await openServerStore({ url: process.env.EDU_TEST_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123', database });
await migrate(store);
const ingest = await createIngest({
  config: testIngestConfig(prefix, database, { EDU_INGEST_HTTP_MAX_BODY_BYTES: String(4 * 1024 * 1024) }),
  store,
  kafka,
  log: () => undefined,
});
await ingest.start();
const server = ingest.app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
// The intake wants a source key (contract v1.1); the corpus is posted as the bureau's own system.
const sourceKey = await issueTestSourceKey(store);
const post = async (body: string) => {
  const r = await postToIntake(`${url}/v1/events`, sourceKey, body);
  return { status: r.status, body: (await r.json()) as { code?: string; results?: { code?: string }[] } };
};

const corpus = hostileMessages();
const rows: string[] = [];
let failures = 0;
const verdict = (ok: boolean) => {
  if (!ok) failures++;
  return ok ? 'as required' : '**NOT as required**';
};

// Kafka: good events around the corpus; a feedback whose comment carries HTML and SQL.
const checkins = prefix + INBOUND_TOPICS.checkin;
await produceRaw(kafka, checkins, [
  JSON.stringify(goodCheckin('hz-before')),
  ...corpus.map((m) => m.value),
  JSON.stringify(goodCheckin('hz-after')),
]);
const feedback = goodFeedback('hz-fb', HOSTILE_TEXT);
await produceRaw(kafka, prefix + INBOUND_TOPICS.feedback, [JSON.stringify(feedback)]);
const letters = await readTopic(kafka, prefix + DEADLETTER_TOPIC, corpus.length);

// HTTP: each parseable item of the corpus in one array (per-item answers), then whole-body attacks.
const parseable = corpus.filter((m) => {
  try {
    JSON.parse(m.value.toString());
    return true;
  } catch {
    return false;
  }
});
const perItem = await post(`[${parseable.map((m) => m.value.toString()).join(',')}]`);
const httpCode = new Map(parseable.map((m, i) => [m.name, perItem.body.results?.[i]?.code ?? `${perItem.status}`]));

rows.push('| input | via Kafka | via the HTTP intake | verdict |', '|---|---|---|---|');
corpus.forEach((m, i) => {
  const dlq = letters[i]?.headers[DLQ_HEADERS.code] ?? 'not dead-lettered';
  const http = httpCode.get(m.name) ?? '(whole body: below)';
  const httpOk = !httpCode.has(m.name) || http === (m.httpCode ?? m.code);
  rows.push(`| ${m.name} | dead-lettered: ${dlq} | ${http} | ${verdict(dlq === m.code && httpOk)} |`);
});
const attacks: [string, string, number, string][] = [
  ['body that is not JSON', '[{"id":', 400, 'invalid_json'],
  ['body that is not an array', '{"id":"x"}', 400, 'bad_request'],
  ['10 MB body', JSON.stringify(['x'.repeat(10 * 1024 * 1024)]), 413, ''],
  ['10,001 events in one request', JSON.stringify(Array.from({ length: 10_001 }, () => 0)), 413, 'too_many_events'],
];
for (const [name, body, status, code] of attacks) {
  const r = await post(body);
  rows.push(
    `| ${name} | — | ${r.status} ${r.body.code ?? ''} | ${verdict(r.status === status && (code === '' || r.body.code === code))} |`,
  );
}

// The good around it, stored; the hostile text stored as sent; the intake still answering.
const stored = await eventually(
  async () => ({
    good: await storedIds(store, 'checkins', { ids: ['hz-before', 'hz-after'] }),
    comments: await storedComments(store, ['hz-fb']),
  }),
  (r) => r.good.length + r.comments.size === 3,
);
const text = stored.comments.get('hz-fb');
const health = await fetch(`${url}/healthz`);
console.log(rows.join('\n'));
console.log('');
console.log(
  `good events around the corpus stored: ${stored.good.length}/2; ` +
    `HTML and SQL in a comment stored exactly as sent: ${text === HOSTILE_TEXT}; intake still healthy: ${health.ok}; ` +
    `${failures} item(s) not as required`,
);

server.close();
await ingest.stop();
await removeTestTopics(kafka, prefix);
await disposeTestStore(store);
process.exit(failures === 0 && text === HOSTILE_TEXT && health.ok ? 0 : 1);
