import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cellOf, widthOf } from './cells.ts';
import { fileNameOf, gridOf, tableToXlsx } from './table-xlsx.ts';

function table(html: string): HTMLTableElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div.querySelector('table') as HTMLTableElement;
}

const BUDGETS = `<table>
  <thead><tr><th>学校</th><th>课程</th><th data-total="sum">预算</th><th>执行率</th><th data-total="sum">人数</th><th>联系电话</th><th>操作</th></tr></thead>
  <tbody>
    <tr><td>实验小学</td><td>少儿围棋</td><td>¥12,000.50</td><td>85.3%</td><td>1,204</td><td>13800000001</td><td><button>否定</button></td></tr>
    <tr><td>城东中学</td><td>编程</td><td>¥8,000</td><td>40%</td><td>96</td><td>13800000002</td><td><button>否定</button></td></tr>
    <tr><td colspan="7">暂无更多</td></tr>
  </tbody>
</table>`;

describe('cells', () => {
  it('are numbers where the page shows numbers, text where it shows names or ids', () => {
    expect(cellOf('1,204')).toEqual({ value: 1204, numFmt: '#,##0' });
    expect(cellOf('85.3%')).toEqual({ value: 0.853, numFmt: '0.0%' });
    expect(cellOf('¥12,000.50')).toEqual({ value: 12000.5, numFmt: '"¥"#,##0.00' });
    expect(cellOf('3.25')).toEqual({ value: 3.25, numFmt: '#,##0.00' });
    expect(cellOf('13800000001')).toEqual({ value: '13800000001' });
    expect(cellOf('007')).toEqual({ value: '007' });
    expect(cellOf('2026-11-30')).toEqual({ value: '2026-11-30' });
    expect(cellOf('12 / 30', '0.4')).toEqual({ value: 0.4 });
    expect(cellOf('实验小学')).toEqual({ value: '实验小学' });
  });

  it('measure Chinese as two columns', () => {
    expect(widthOf('实验a')).toBe(5);
  });
});

describe('an exported table', () => {
  it('leaves out the 操作 column and rows that are not data', () => {
    const g = gridOf(table(BUDGETS));
    expect(g.headers).toEqual(['学校', '课程', '预算', '执行率', '人数', '联系电话']);
    expect(g.rows).toHaveLength(2);
  });

  it('reads back with a title row, Chinese headers, numbers as numbers and a 合计 row', async () => {
    const meta = { title: '经费预算', context: ['全市', '2026年秋季学期'] };
    const blob = await tableToXlsx(table(BUDGETS), meta, new Date('2026-11-30T08:00:00Z'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await new Response(blob).arrayBuffer());
    const ws = wb.getWorksheet('经费预算');
    expect(ws).toBeDefined();
    if (!ws) return;
    expect(ws.getCell('A1').value).toBe('经费预算 · 全市 · 2026年秋季学期');
    expect(String(ws.getCell('A2').value)).toMatch(/^导出时间 2026\/11\/30 16:00/);
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual(['学校', '课程', '预算', '执行率', '人数', '联系电话']);
    expect((ws.getRow(4).values as unknown[]).slice(1)).toEqual([
      '实验小学',
      '少儿围棋',
      12000.5,
      0.853,
      1204,
      '13800000001',
    ]);
    expect(ws.getCell('D4').numFmt).toBe('0.0%');
    const total = ws.getRow(6);
    expect(total.getCell(1).value).toBe('合计');
    expect(total.getCell(3).value).toMatchObject({ formula: 'SUM(C4:C5)', result: 20000.5 });
    expect(total.getCell(5).value).toMatchObject({ formula: 'SUM(E4:E5)', result: 1300 });
    expect(total.getCell(4).value).toBeNull();
    expect(fileNameOf(meta)).toBe('经费预算-全市-2026年秋季学期.xlsx');
  });
});

describe('a table with grouped columns', () => {
  it('names each column with its group', () => {
    const g = gridOf(
      table(`<table><thead>
        <tr><th colspan="2"></th><th colspan="2">今日</th><th>截至此刻</th><th></th></tr>
        <tr><th>学区</th><th>学校数</th><th>出勤率</th><th>签到人次</th><th>出勤率</th><th>操作</th></tr>
      </thead><tbody><tr><td>城东学区</td><td data-value="12">12</td><td data-value="0.9">90.0%</td><td>300</td><td data-value="0.95">95.0%</td><td></td></tr></tbody></table>`),
    );
    expect(g.headers).toEqual(['学区', '学校数', '今日·出勤率', '今日·签到人次', '截至此刻·出勤率']);
    expect(g.rows[0]?.map((c) => c.value)).toEqual(['城东学区', 12, 0.9, 300, 0.95]);
  });
});
