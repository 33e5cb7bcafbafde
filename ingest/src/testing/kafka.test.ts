import { KafkaJSProtocolError, type Admin, type Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { groupProgress } from './child.ts';

// The Kafka tests and benches poll offsets while a broker is busy: a retriable answer is asked
// again, anything else is reported at once.

// The error kafkajs builds from the broker's code 6 (its typings take only a message).
const notLeader = () =>
  new KafkaJSProtocolError({
    type: 'NOT_LEADER_FOR_PARTITION',
    code: 6,
    retriable: true,
    message: 'This server is not the leader for that topic-partition',
  } as unknown as Error);

function fakeAdmin(failures: Error[]): { admin: Admin; calls: () => number } {
  let calls = 0;
  const admin = {
    fetchOffsets: async () => [{ topic: 't', partitions: [{ partition: 0, offset: '7' }] }],
    fetchTopicOffsets: async () => {
      calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return [{ partition: 0, offset: '9', high: '9', low: '0' }];
    },
  } as unknown as Admin;
  return { admin, calls: () => calls };
}

const kafka = {} as Kafka;

describe('groupProgress', () => {
  it('asks again after a retriable answer', async () => {
    const { admin, calls } = fakeAdmin([notLeader(), notLeader()]);
    expect(await groupProgress(kafka, 'g', ['t'], admin)).toEqual({ committed: 7, end: 9 });
    expect(calls()).toBe(3);
  });

  it('reports an error that is not retriable at once', async () => {
    const { admin, calls } = fakeAdmin([new Error('boom')]);
    await expect(groupProgress(kafka, 'g', ['t'], admin)).rejects.toThrow('boom');
    expect(calls()).toBe(1);
  });

  it('gives up after a bounded number of attempts', async () => {
    const { admin, calls } = fakeAdmin(Array.from({ length: 10 }, notLeader));
    await expect(groupProgress(kafka, 'g', ['t'], admin)).rejects.toThrow('not the leader');
    expect(calls()).toBe(5);
  });
});
