// The fault suite's Redis of its own: streamer/src/testing/own-redis.ts (the streamer's tests use it too).
export { OwnRedis } from '@edu/streamer/testing';
