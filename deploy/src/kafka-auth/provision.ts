#!/usr/bin/env -S npx tsx
// Called by deploy/services/kafka.sh when the broker runs with EDU_KAFKA_AUTH=scram, once it
// answers: as the admin user (a super user; no other user may create topics or grant), creates
// the contract's topics that are missing and grants the ACLs of acls.ts. Both are idempotent, so
// it runs on every start. One Node process instead of one kafka.admin.AclCommand JVM per grant:
// the six JVM starts had cost more CPU than the broker's own start on a 2-core machine.
//
//   EDU_KAFKA_ADMIN_PASSWORD=… provision.ts --bootstrap 127.0.0.1:9092 [--prefix P] [--partitions 3]
//     [--replication-factor 1] [--ingest-group edu-ingest] [--simulator-group edu-simulator-schools]
import { parseArgs } from 'node:util';
import { loggerForProcess } from '@edu/analytics/log';
import { createKafka, ensureTopics } from '@edu/ingest';
import kafkajs, { type AclEntry, type Admin } from 'kafkajs';
import { aclEntries, kafkaGrants, type KafkaAclEntry } from './acls.ts';

// One short line per event on stderr, among kafka.sh's own.
const logger = loggerForProcess({ name: 'kafka-provision', format: 'pretty', level: process.env.EDU_LOG_LEVEL }).child({
  component: 'kafka',
});

// kafkajs is CommonJS: Node's ESM loader sees none of its enums as named exports.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

const OPERATIONS = {
  Read: AclOperationTypes.READ,
  Write: AclOperationTypes.WRITE,
  Describe: AclOperationTypes.DESCRIBE,
} as const;

function toKafkajs(e: KafkaAclEntry): AclEntry {
  return {
    resourceType: e.resource === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
    resourceName: e.name,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: e.principal,
    host: '*',
    operation: OPERATIONS[e.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

const aclKey = (e: AclEntry) =>
  [e.resourceType, e.resourceName, e.resourcePatternType, e.principal, e.host, e.operation, e.permissionType].join('|');

/**
 * Waits until the broker's authorizer holds every entry. CreateAcls answers once the controller
 * has committed them; the broker applies them from its metadata log a moment later, and a
 * client arriving in between (ingest started right after kafka.sh, on a loaded machine) was
 * refused. DescribeAcls is answered from the broker's own authorizer, so it sees what a client
 * would meet.
 */
async function untilEffective(admin: Admin, wanted: AclEntry[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { resources } = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const held = new Set(resources.flatMap((r) => r.acls.map((acl) => aclKey({ ...r, ...acl }))));
    const missing = wanted.filter((e) => !held.has(aclKey(e)));
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${missing.length} ACL entries not in effect after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function count(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: not a count: ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values: a } = parseArgs({
    options: {
      bootstrap: { type: 'string' },
      prefix: { type: 'string', default: '' },
      partitions: { type: 'string', default: '3' },
      'replication-factor': { type: 'string', default: '1' },
      'ingest-group': { type: 'string', default: 'edu-ingest' },
      'simulator-group': { type: 'string', default: 'edu-simulator-schools' },
    },
  });
  // The password comes through the environment, not argv, so that `ps` does not show it.
  const password = process.env.EDU_KAFKA_ADMIN_PASSWORD;
  if (!a.bootstrap || !password) throw new Error('--bootstrap and EDU_KAFKA_ADMIN_PASSWORD are required');
  const partitions = count('partitions', a.partitions);
  const replicationFactor = count('replication-factor', a['replication-factor']);

  const kafka = createKafka({
    brokers: a.bootstrap.split(','),
    clientId: 'edu-kafka-provision',
    sasl: { mechanism: 'scram-sha-512', username: 'admin', password },
    log: logger,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const created = await ensureTopics(admin, { partitions, replicationFactor, prefix: a.prefix });
    if (created.length > 0) logger.info(`created topics ${created.join(', ')}`);
    const entries = aclEntries(
      kafkaGrants({ topicPrefix: a.prefix, ingestGroup: a['ingest-group'], simulatorGroup: a['simulator-group'] }),
    );
    const wanted = entries.map(toKafkajs);
    await admin.createAcls({ acl: wanted });
    await untilEffective(admin, wanted);
    logger.info(`${entries.length} ACL entries granted (deploy/src/kafka-auth/acls.ts)`);
  } finally {
    await admin.disconnect();
  }
}

main().catch((err: unknown) => {
  logger.fatal(`provisioning failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
