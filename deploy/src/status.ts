import { shanghaiDay, toShanghaiRfc3339 } from '@edu/analytics';
import type { Product } from './product.ts';

// One line of live figures for the terminal of the embedded default, read through the same
// metrics reader the wall uses.

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

export async function statusLine(p: Product, now: number, sent: number): Promise<string> {
  const day = shanghaiDay(now);
  const { overview } = await p.streamer.reader.overview({ kind: 'city' }, day, now);
  const m = overview.metrics;
  const due = overview.due;
  const alerts = p.streamer.alerts.all().filter((a) => a.state !== 'resolved');
  const critical = alerts.filter((a) => a.severity === 'critical').length;
  // The rates due so far, as the wall shows them during the day, with the whole day's beside.
  const both = (d: number | null, whole: number | null) => `${pct(d)}（全天 ${pct(whole)}）`;
  return (
    `[${toShanghaiRfc3339(now).slice(0, 16).replace('T', ' ')}] ${sent.toLocaleString()} events played · ` +
    `课节 ${m.sessions_started}/${m.sessions_scheduled}（应开 ${due.sessions_due}） · ` +
    `学生出勤率 ${both(due.attendance_rate, m.attendance_rate)} · 教师出勤率 ${both(due.teacher_attendance_rate, m.teacher_attendance_rate)} · ` +
    `完课率 ${both(due.completion_rate, m.completion_rate)} · 报名率 ${pct(m.enrollment_rate)} · 预警 ${alerts.length} (紧急 ${critical})`
  );
}
