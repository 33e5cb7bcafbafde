import { migrate, openServerStore, shanghaiDay, toShanghaiRfc3339, toRow, sql, termFacts, termOfDay } from '@edu/analytics';
import { dayCountsByOffering } from '../../analytics/src/metrics/queries/day-by-school.ts';
import { schoolsOf, settledBySchool } from '../../analytics/src/metrics/queries/term-by-school.ts';
import { asOfMs } from '../../analytics/src/metrics/queries/as-of.ts';
import { checkinMinutes } from '../../streamer/src/live/minutes.ts';
import { periodOfDay } from '../../analytics/src/contract/time.ts';

const N = Number(process.env.N ?? 3_000_000);
const database = process.env.DB ?? 'prof_load';
const store = await openServerStore({ url: 'http://127.0.0.1:8123', database });
const now = Date.now();
const day = shanghaiDay(now);
if (process.env.FILL) {
  await migrate(store);
  const SCHOOLS = 400;
  let lines = '';
  let n = 0;
  for (let i = 0; i < N; i++) {
    const school = `ls${i % SCHOOLS}`;
    const ts = now - Math.floor(((N - i) / N) * 600_000);
    const r = toRow({ id: `lat-${i}`, type: 'checkin', ts: toShanghaiRfc3339(ts), school_id: school, session_id: `${school}-se${i % 7}`, person: 'student', person_id: `p${i % 200_000}`, method: 'face' } as never, now);
    lines += JSON.stringify(r.row) + '\n';
    if (++n === 5000) { await store.insertJsonLines('checkins', lines); lines = ''; n = 0; }
  }
  if (lines) await store.insertJsonLines('checkins', lines);
  console.log('filled', N);
}
const city = { kind: 'city' } as const;
const time = async (name: string, f: () => Promise<unknown>) => {
  const ts: number[] = [];
  for (let k = 0; k < 3; k++) { const t = performance.now(); await f(); ts.push(performance.now() - t); }
  console.log(name.padEnd(28), ts.map((x) => x.toFixed(0)).join(' / '), 'ms');
};
const lastMinute = (await checkinMinutes(store, city, day)).at(-1)?.minute ?? 0;
await time('minutes whole day', () => checkinMinutes(store, city, day));
await time('minutes last one', () => checkinMinutes(store, city, day, lastMinute));
await time('asOf', () => asOfMs(store, city, day));
await time('schoolsOf', () => schoolsOf(store, city));
await time('dayCountsByOffering', () => dayCountsByOffering(store, city, day));
await time('settledBySchool', () => settledBySchool(store, city, periodOfDay(day)));
await time('termFacts', () => termFacts(store, termOfDay(day)));
await time('count', () => store.query(sql`SELECT count() FROM checkins`));
await store.close();
