import { ALL_TOPICS, DEADLETTER_TOPIC, INBOUND_TOPICS, SUPERVISION_TOPIC } from '@edu/analytics';
import { describe, expect, it } from 'vitest';
import { aclEntries, kafkaGrants, mayOnTopic, type KafkaUser } from './acls.ts';

const grants = kafkaGrants({ topicPrefix: '', ingestGroup: 'edu-ingest', simulatorGroup: 'edu-simulator-schools' });
const inbound = Object.values(INBOUND_TOPICS);

describe('Kafka ACL plan', () => {
  it('lets school systems write their inbound topics and nothing else', () => {
    for (const t of inbound) expect([t, mayOnTopic(grants, 'school', 'Write', t)]).toEqual([t, true]);
    for (const t of [SUPERVISION_TOPIC, DEADLETTER_TOPIC]) {
      for (const op of ['Write', 'Read', 'Describe'] as const) expect(mayOnTopic(grants, 'school', op, t)).toBe(false);
    }
    for (const t of inbound) expect(mayOnTopic(grants, 'school', 'Read', t)).toBe(false);
  });

  it('lets ingest read and forward the inbound topics and write dead letters, never supervision notices', () => {
    for (const t of inbound) {
      expect(mayOnTopic(grants, 'ingest', 'Read', t)).toBe(true);
      expect(mayOnTopic(grants, 'ingest', 'Write', t)).toBe(true);
    }
    expect(mayOnTopic(grants, 'ingest', 'Write', DEADLETTER_TOPIC)).toBe(true);
    expect(mayOnTopic(grants, 'ingest', 'Write', SUPERVISION_TOPIC)).toBe(false);
    expect(mayOnTopic(grants, 'ingest', 'Read', SUPERVISION_TOPIC)).toBe(false);
    // Every contract topic is visible to it, so its start-up creates none of them.
    for (const t of ALL_TOPICS) expect([t, mayOnTopic(grants, 'ingest', 'Describe', t)]).toEqual([t, true]);
  });

  it('lets only the streamer write supervision notices; the simulator may read them', () => {
    const writers = (['ingest', 'streamer', 'simulator', 'school'] as KafkaUser[]).filter((u) =>
      mayOnTopic(grants, u, 'Write', SUPERVISION_TOPIC),
    );
    expect(writers).toEqual(['streamer']);
    expect(mayOnTopic(grants, 'streamer', 'Write', INBOUND_TOPICS.checkin)).toBe(false);
    expect(mayOnTopic(grants, 'simulator', 'Read', SUPERVISION_TOPIC)).toBe(true);
    expect(mayOnTopic(grants, 'simulator', 'Read', INBOUND_TOPICS.checkin)).toBe(false);
  });

  it('names prefixed topics and the configured groups in the entries the broker stores', () => {
    const entries = aclEntries(kafkaGrants({ topicPrefix: 'test.x.', ingestGroup: 'g-in', simulatorGroup: 'g-sim' }));
    const topics = new Set(entries.filter((e) => e.resource === 'topic').map((e) => e.name));
    expect(topics).toEqual(new Set(ALL_TOPICS.map((t) => `test.x.${t}`)));
    expect(entries.filter((e) => e.resource === 'group')).toEqual([
      { resource: 'group', name: 'g-in', principal: 'User:ingest', operation: 'Read' },
      { resource: 'group', name: 'g-sim', principal: 'User:simulator', operation: 'Read' },
    ]);
    expect(entries).toContainEqual({
      resource: 'topic',
      name: `test.x.${SUPERVISION_TOPIC}`,
      principal: 'User:streamer',
      operation: 'Write',
    });
    expect(entries.filter((e) => e.principal === 'User:school').map((e) => e.operation)).toEqual(
      inbound.map(() => 'Write'),
    );
  });
});
