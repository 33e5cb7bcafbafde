import { DEADLETTER_TOPIC, INBOUND_TOPICS, SUPERVISION_TOPIC } from '@edu/analytics';

// Who may do what on a broker run with SASL/SCRAM and ACLs (deploy/services/kafka.sh with
// EDU_KAFKA_AUTH=scram). The topic names come from the contract, so a new inbound topic is
// covered the day it is added. Grants are literal (exact names, topic prefix included): a
// prefixed grant on `edu.` would also open every future edu.* topic, e.g. to a school.

/** The SCRAM users kafka.sh creates. `admin` is a super user (topic creation, the broker's own login). */
export const KAFKA_USERS = ['admin', 'ingest', 'streamer', 'simulator', 'school'] as const;
export type KafkaUser = (typeof KAFKA_USERS)[number];

export type KafkaOperation = 'Read' | 'Write' | 'Describe';

export interface KafkaGrant {
  principals: readonly KafkaUser[];
  operation: KafkaOperation;
  topics: readonly string[];
  /** Consumer groups; only for Read. */
  groups: readonly string[];
  /** Why the grant exists, for the README and for the next reader of a denial in the broker log. */
  why: string;
}

export interface KafkaAclOptions {
  /** Prepended to every contract topic, as ingest's topic prefix setting. */
  topicPrefix?: string;
  /** Ingest's consumer group. */
  ingestGroup: string;
  /** The simulator's consumer group for edu.supervision.v1 (the 督办 loop: schools answer notices). */
  simulatorGroup: string;
}

export function kafkaGrants(o: KafkaAclOptions): KafkaGrant[] {
  const p = o.topicPrefix ?? '';
  const inbound = Object.values(INBOUND_TOPICS).map((t) => p + t);
  const supervision = p + SUPERVISION_TOPIC;
  return [
    {
      principals: ['school', 'simulator', 'ingest'],
      operation: 'Write',
      topics: inbound,
      groups: [],
      why: "school systems publish their events; the simulator plays them; ingest's HTTP intake forwards what it accepts",
    },
    {
      principals: ['ingest'],
      operation: 'Read',
      topics: inbound,
      groups: [o.ingestGroup],
      why: "ingest's consumer group reads every inbound topic",
    },
    {
      principals: ['ingest'],
      operation: 'Write',
      topics: [p + DEADLETTER_TOPIC],
      groups: [],
      why: 'bad input goes to the dead-letter topic',
    },
    {
      principals: ['ingest'],
      operation: 'Describe',
      topics: [supervision],
      groups: [],
      // listTopics only names the topics a user may describe; without this, ingest's start-up
      // would take edu.supervision.v1 for missing and try (and fail) to create it.
      why: 'ingest checks at start-up that every contract topic exists',
    },
    {
      principals: ['streamer'],
      operation: 'Write',
      topics: [supervision],
      groups: [],
      why: '一键监管 notices are published to the schools',
    },
    {
      principals: ['simulator'],
      operation: 'Read',
      topics: [supervision],
      groups: [o.simulatorGroup],
      why: 'the simulated schools read the notices addressed to them and answer them',
    },
  ];
}

export interface KafkaAclEntry {
  resource: 'topic' | 'group';
  name: string;
  principal: `User:${KafkaUser}`;
  operation: KafkaOperation;
}

/** The grants as the broker stores them: one literal ALLOW entry per principal and resource. */
export function aclEntries(grants: readonly KafkaGrant[]): KafkaAclEntry[] {
  return grants.flatMap((g) =>
    g.principals.flatMap((u) => [
      ...g.topics.map((name) => ({
        resource: 'topic' as const,
        name,
        principal: `User:${u}` as const,
        operation: g.operation,
      })),
      ...g.groups.map((name) => ({
        resource: 'group' as const,
        name,
        principal: `User:${u}` as const,
        operation: g.operation,
      })),
    ]),
  );
}

/**
 * Whether `user` may do `operation` on `topic` under these grants, as the broker's
 * StandardAuthorizer decides: admin is a super user, Read and Write imply Describe, no match is
 * a denial.
 */
export function mayOnTopic(grants: readonly KafkaGrant[], user: KafkaUser, operation: KafkaOperation, topic: string) {
  if (user === 'admin') return true;
  return grants.some(
    (g) =>
      g.principals.includes(user) &&
      g.topics.includes(topic) &&
      (g.operation === operation || (operation === 'Describe' && g.operation !== 'Describe')),
  );
}
