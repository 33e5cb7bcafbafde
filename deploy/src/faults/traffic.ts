import { setTimeout as sleep } from 'node:timers/promises';
import { INBOUND_TOPICS, toShanghaiRfc3339, type InboundEvent } from '@edu/analytics';
import { PartitionSender } from '@edu/ingest';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';

// The fault suite's traffic: a small city with today's sessions, and check-ins at a steady
// rate into Kafka. Each check-in has an id of its own (a sequence number; a retried send reuses
// its ids) and a new student, in a session of its own school: every one is one more distinct
// check-in id on the attendance curve, which is what the suite counts through the API. The
// students are enrolled nowhere (enrolling an unbounded stream of them up front is not worth
// it), so they count nowhere in students_present (contract v1.1).

const SCHOOLS = 12;
const SESSIONS = 48;
const id = (seq: number) => `flt-${String(seq).padStart(10, '0')}`;

/** Registry and today's sessions: what the API needs to count the check-ins. */
export function fixture(day: string): InboundEvent[] {
  const ts = toShanghaiRfc3339(Date.now() - 3_600_000);
  const at = (h: number) => toShanghaiRfc3339(Date.parse(`${day}T00:00:00+08:00`) + h * 3_600_000);
  const out: InboundEvent[] = [{ id: 'flt-d0', type: 'district', ts, entity_id: 'fd0', name: '故障区' }];
  out.push({ id: 'flt-z0', type: 'zone', ts, entity_id: 'fz0', name: '故障学区', district_id: 'fd0' });
  for (let s = 0; s < SCHOOLS; s++) {
    out.push({
      id: `flt-s${s}`,
      type: 'school',
      ts,
      school_id: `fs${s}`,
      entity_id: `fs${s}`,
      name: `故障学校${s}`,
      zone_id: 'fz0',
      district_id: 'fd0',
      stage: 'primary',
      students: 100_000,
    });
  }
  for (let i = 0; i < SESSIONS; i++) {
    out.push({
      id: `flt-se${i}`,
      type: 'session_scheduled',
      ts,
      school_id: `fs${i % SCHOOLS}`,
      session_id: `fse${i}`,
      offering_id: `fo${i}`,
      course_id: 'fc',
      teacher_id: `ft${i}`,
      room: '1',
      planned_start: at(0),
      planned_end: at(23.9),
    });
  }
  return out;
}

/**
 * Check-ins at a steady rate, each a new student in a session of today. A send that fails (the
 * broker is down) is retried with the same ids until acknowledged: "produced" means
 * acknowledged, and a retried send that had in fact landed is a duplicate the metrics absorb.
 */
export class SteadyLoad {
  acked = 0;
  /** (time, acked) once per tick: how far the producer had got at a moment. */
  private readonly history: [number, number][] = [];

  ackedAt(ms: number): number {
    let n = 0;
    for (const [t, a] of this.history) if (t <= ms) n = a;
    return n;
  }

  private seq = 0;
  private running = false;
  private loop?: Promise<void>;
  private readonly producer: Producer;
  private readonly sender: PartitionSender;
  constructor(
    kafka: Kafka,
    private readonly prefix: string,
    private readonly rate: number,
    private readonly day: string,
  ) {
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    // The product's own way to produce (ingest's intake and the simulator send through it): the
    // cluster suite's leader SIGKILL is its test.
    this.sender = PartitionSender.of(kafka, this.producer);
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.sender.close();
    await this.producer.disconnect().catch(() => undefined);
  }

  private async run(): Promise<void> {
    const tickMs = 100;
    const perTick = Math.max(1, Math.round((this.rate * tickMs) / 1000));
    const topic = this.prefix + INBOUND_TOPICS.checkin;
    while (this.running) {
      const tick = Date.now();
      const ts = toShanghaiRfc3339(Math.min(tick, Date.parse(`${this.day}T23:50:00+08:00`)));
      const messages = Array.from({ length: perTick }, () => {
        const seq = this.seq++;
        const school = `fs${seq % SCHOOLS}`;
        const value: InboundEvent = {
          id: id(seq),
          type: 'checkin',
          ts,
          school_id: school,
          session_id: `fse${seq % SESSIONS}`,
          person: 'student',
          person_id: `fp${seq}`,
          method: 'face',
        };
        return { key: school, value: JSON.stringify(value) };
      });
      for (;;) {
        try {
          await this.sender.send([{ topic, messages }]);
          break;
        } catch {
          await sleep(500); // a broker is down: the same messages again, until they all land
        }
      }
      this.acked += messages.length;
      this.history.push([Date.now(), this.acked]);
      const spent = Date.now() - tick;
      if (spent < tickMs) await sleep(tickMs - spent);
    }
  }
}
