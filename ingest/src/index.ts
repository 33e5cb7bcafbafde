export * from './config.ts';
export * from './service.ts';
export * from './metrics.ts';
export { BatchWriter, StoppedError } from './pipeline/batch-writer.ts';
export { createKafka, deleteTestTopics, ensureTopics, type KafkaSasl } from './kafka/client.ts';
export { PartitionSender, type TopicMessages } from './kafka/partition-sender.ts';
export { redisChangePublisher } from './redis-changes.ts';
