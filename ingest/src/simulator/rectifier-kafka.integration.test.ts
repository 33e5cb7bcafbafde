import { SUPERVISION_TOPIC, validateValue, type SupervisionEvent } from '@edu/analytics';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTopics, eventually, removeTestTopics, testKafka, testPrefix } from '../testing/kafka.ts';
import { followSupervision } from './rectifier-kafka.ts';
import { startRectifier } from './rectifier.ts';
import { memorySink } from './sinks.ts';

// The simulator's schools reading the bureau's notices from a real edu.supervision.v1 (the
// full stack's CLI simulator): a notice published there is signed for and answered, a message
// that is not a supervision event is skipped without stopping the feed.

describe("the simulator's schools on Kafka", () => {
  let kafka: Kafka;
  const prefix = testPrefix('rectifier');

  beforeAll(async () => {
    kafka = testKafka();
    await createTestTopics(kafka, prefix, 1);
  });
  afterAll(async () => {
    if (kafka) await removeTestTopics(kafka, prefix);
  });

  it('answers a notice read from edu.supervision.v1, past a malformed message', async () => {
    const sink = memorySink();
    const T0 = Date.parse('2026-11-27T18:00:00+08:00');
    let now = T0;
    const rectifier = startRectifier({ clock: { now: () => now }, sink, seed: 3, tickMs: 50 });
    const skipped: string[] = [];
    const feed = await followSupervision({
      kafka,
      topicPrefix: prefix,
      groupId: `${prefix}schools`,
      fromBeginning: true,
      onEvent: (e) => rectifier.observe(e),
      onSkipped: (r) => skipped.push(r),
    });
    try {
      const notice: SupervisionEvent = {
        type: 'notice_issued',
        notice_id: 'n-kafka-1',
        ts: '2026-11-27T18:00:00+08:00',
        issuer_id: 'u-leader',
        issuer_role: 'leader',
        target_type: 'school',
        target_id: 's1',
        dimension: 'safety',
        subject_id: 'a1',
        decision: 'notice',
        content: '请整改',
      };
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: prefix + SUPERVISION_TOPIC,
        messages: [
          { key: 's1', value: '{"not":"a notice"}' },
          { key: 's1', value: JSON.stringify(notice) },
        ],
      });
      await producer.disconnect();
      await eventually(
        async () => rectifier.pending(),
        (n) => n >= 2,
      );
      now = T0 + 3 * 24 * 3600_000;
      const events = await eventually(
        async () => sink.events,
        (e) => e.some((x) => x.type === 'rectification_submitted'),
      );
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['notice_received', 'rectification_submitted']));
      for (const e of events) expect(validateValue(e, 'edu.rectification.v1', now).ok).toBe(true);
      expect(events.every((e) => 'notice_id' in e && e.notice_id === 'n-kafka-1' && e.school_id === 's1')).toBe(true);
      expect(skipped).toHaveLength(1);
    } finally {
      await feed.stop();
      await rectifier.stop();
    }
  }, 60_000);
});
