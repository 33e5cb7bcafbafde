import type { JSX } from 'react';
import { ChartBox } from '../charts/EChart.tsx';
import { columnBars, lines } from '../charts/options.ts';
import { count, pct } from '../fmt.ts';
import { CHILD_LABEL } from '../labels.ts';
import type { ParticipationRow, SessionDay } from '../types.ts';

// 过程监管 "图、表多角度": beside the participation table, the same figures drawn — students
// taking part and the participation rate per child place, and the term's sessions per day
// (scheduled, held, completed) as lines. The numbers are the API's; nothing is computed here
// but labels.

export function ProcessCharts({ rows, days }: { rows: readonly ParticipationRow[]; days: readonly SessionDay[] }) {
  const kind = rows[0]?.child.kind ?? 'district';
  const place = CHILD_LABEL[kind];
  const names = rows.map((r) => r.child.name || `未登记${place}`);
  const dayName = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8))}日`;
  return (
    <div className="chart-grid three" data-testid="console-process-charts">
      <ChartBox
        id="students_enrolled"
        title={`各${place}参与学生`}
        option={columnBars(
          names,
          rows.map((r) => r.students_enrolled),
          count,
          '#4ef0ff',
        )}
        testValue={rows.reduce((a, r) => a + r.students_enrolled, 0)}
      />
      <ChartBox
        id="enrollment_rate"
        title={`各${place}参与率`}
        option={
          rows.some((r) => r.enrollment_rate !== null)
            ? columnBars(
                names,
                rows.map((r) => r.enrollment_rate ?? 0),
                pct,
                '#27d17f',
              )
            : null
        }
        testValue={rows.filter((r) => r.enrollment_rate !== null).length}
      />
      <SessionLines days={days} dayName={dayName} />
    </div>
  );
}

function SessionLines({ days, dayName }: { days: readonly SessionDay[]; dayName: (d: string) => string }): JSX.Element {
  return (
    <ChartBox
      id="sessions_by_day"
      title="本学期每日排课、上课、完课节次"
      option={lines(
        days.map((d) => dayName(d.day)),
        [
          { name: '排课', values: days.map((d) => d.scheduled), color: '#4ef0ff' },
          { name: '已上课', values: days.map((d) => d.held), color: '#ffd166' },
          { name: '已完课', values: days.map((d) => d.completed), color: '#27d17f' },
        ],
        count,
      )}
      testValue={days.reduce((a, d) => a + d.scheduled, 0)}
    />
  );
}
