import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { INBOUND_TOPICS, SUPERVISION_TOPIC, type Store } from '@edu/analytics';
import { disposeTestStore, openTestStore, storedIds } from '@edu/analytics/testing';
import { createIngest, createKafka, metricTotal, type Ingest, type KafkaSasl } from '@edu/ingest';
import { goodCheckin } from '@edu/ingest/testing/hostile';
import { eventually, testIngestConfig } from '@edu/ingest/testing/kafka';
import { createKafkaSupervisionPublisher } from '@edu/streamer';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaUser } from './acls.ts';

// A second broker of its own (never the shared one on 9092), started by deploy/services/kafka.sh
// exactly as a deployment runs it with EDU_KAFKA_AUTH=scram: SCRAM users, the contract's topics
// created by the admin, the ACLs of acls.ts. Then the principals as the product uses them.

const root = fileURLToPath(new URL('../../..', import.meta.url));
const PORT = 19092;
const brokers = [`127.0.0.1:${PORT}`];
const stateDir = mkdtempSync(join(tmpdir(), 'edu-kafka-scram-'));
const prefix = `test.scram.${randomBytes(3).toString('hex')}.`;
const group = `${prefix}ingest`;
const passwords: Record<KafkaUser, string> = {
  admin: randomBytes(12).toString('hex'),
  ingest: randomBytes(12).toString('hex'),
  streamer: randomBytes(12).toString('hex'),
  simulator: randomBytes(12).toString('hex'),
  school: randomBytes(12).toString('hex'),
};
const sasl = (user: KafkaUser, password = passwords[user]): KafkaSasl => ({
  mechanism: 'scram-sha-512',
  username: user,
  password,
});
const client = (user: KafkaUser, password?: string): Kafka =>
  createKafka({ brokers, clientId: `scram-test-${user}`, sasl: sasl(user, password), log: () => undefined });

/** kafka.sh with this test's broker: own ports and state, the jars of the ordinary cache. */
async function kafkaSh(command: 'start' | 'stop'): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EDU_STATE_DIR: stateDir,
    KAFKA_LIBS_DIR: join(process.env.EDU_STATE_DIR ?? join(root, '.cache'), 'kafka-libs'),
    KAFKA_PORT: String(PORT),
    KAFKA_CONTROLLER_PORT: String(PORT + 1),
    EDU_KAFKA_AUTH: 'scram',
    EDU_KAFKA_TOPIC_PREFIX: prefix,
    EDU_INGEST_GROUP_ID: group,
    EDU_RESET: '',
  };
  for (const [u, p] of Object.entries(passwords)) env[`EDU_KAFKA_${u.toUpperCase()}_PASSWORD`] = p;
  const { stdout } = await promisify(execFile)('bash', [join(root, 'deploy/services/kafka.sh'), command], {
    env,
    timeout: 110_000,
  });
  return stdout;
}

/** kafkajs reports an authorisation failure either bare or wrapped, depending on the stage. */
const errorType = (e: unknown) => {
  const err = e as { type?: string; cause?: { type?: string } };
  return err.type ?? err.cause?.type;
};

describe('Kafka with SASL/SCRAM and ACLs (EDU_KAFKA_AUTH=scram)', () => {
  let store: Store;
  let ingest: Ingest | undefined;

  beforeAll(async () => {
    const [started, opened] = await Promise.all([kafkaSh('start'), openTestStore('server', 'scram')]);
    store = opened;
    expect(started).toContain(`127.0.0.1:${PORT} (SASL_PLAINTEXT SCRAM`);
  });

  afterAll(async () => {
    await ingest?.stop();
    if (store) await disposeTestStore(store);
    if (existsSync(join(stateDir, 'run/kafka/kafka.pid'))) await kafkaSh('stop');
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('ingest, logged in as ingest, consumes a school’s events, stores the good one and dead-letters the bad one', async () => {
    ingest = await createIngest({
      config: testIngestConfig(prefix, store.database, {
        EDU_KAFKA_BROKERS: brokers.join(','),
        EDU_INGEST_GROUP_ID: group,
      }),
      store,
      kafka: client('ingest'),
      log: () => undefined,
    });
    // Its start-up checks every contract topic (the admin created them; it may create none).
    await ingest.start();
    const producer = client('school').producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({
        topic: prefix + INBOUND_TOPICS.checkin,
        acks: -1,
        messages: [
          { key: 's1', value: JSON.stringify(goodCheckin('scram-good-1')) },
          { key: 's1', value: 'not json at all' },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    expect(
      await eventually(
        () => storedIds(store, 'checkins', { ids: ['scram-good-1'] }),
        (ids) => ids.length === 1,
      ),
    ).toEqual(['scram-good-1']);
    // Counted only once the dead-letter topic acknowledged it: ingest may write there.
    const deadLettered = () => metricTotal(ingest!.metrics.deadLettered);
    expect(await eventually(deadLettered, (n) => n === 1)).toBe(1);
  });

  it.each(['school', 'ingest'] as const)(
    'refuses %s writing the supervision topic (TOPIC_AUTHORIZATION_FAILED)',
    async (user) => {
      const producer = client(user).producer({ allowAutoTopicCreation: false });
      await producer.connect();
      try {
        const sent = producer.send({
          topic: prefix + SUPERVISION_TOPIC,
          acks: -1,
          messages: [{ key: 's1', value: '{"type":"notice_issued","forged":true}' }],
        });
        await expect(sent).rejects.toSatisfy((e) => errorType(e) === 'TOPIC_AUTHORIZATION_FAILED');
      } finally {
        await producer.disconnect();
      }
    },
  );

  it('lets the streamer, logged in as streamer, publish a supervision notice', async () => {
    const publisher = await createKafkaSupervisionPublisher({
      brokers,
      clientId: 'scram-test-streamer',
      topic: prefix + SUPERVISION_TOPIC,
      sasl: sasl('streamer'),
    });
    try {
      await publisher.publish({
        type: 'notice_issued',
        notice_id: 'scram-notice-1',
        ts: '2026-11-27T16:00:00.000+08:00',
        issuer_id: 'u-leader',
        issuer_role: 'leader',
        target_type: 'school',
        target_id: 's1',
        dimension: 'safety',
        subject_id: 'alert-1',
        decision: 'notice',
        content: '请于三日内整改',
      });
    } finally {
      await publisher.close();
    }
  });

  it('refuses a wrong password at authentication', async () => {
    const producer = client('school', `${passwords.school}x`).producer();
    await expect(producer.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
  });
});
