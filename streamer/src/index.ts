export { createStreamer, type Streamer, type StreamerDeps } from './service.ts';
export { loadConfig, ConfigError, type StreamerConfig } from './config.ts';
export { MemorySharedState } from './shared/memory-state.ts';
export { RedisSharedState, createRedisClient } from './shared/redis-state.ts';
export { RedisChangeSubscriber } from './shared/redis-changes.ts';
export { InProcessSupervisionPublisher, type SupervisionPublisher } from './publish/publisher.ts';
export { createKafkaSupervisionPublisher } from './publish/kafka-publisher.ts';
export { systemClock, ManualClock, type Clock } from './clock.ts';
export type { LiveServer } from './live/hub.ts';
