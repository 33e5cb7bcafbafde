import { cellOf, widthOf, type SheetCell } from './cells.ts';

// A console table as an .xlsx workbook, written by exceljs (loaded only when someone exports):
// a title row naming the table, the scope and the term or day; the table's Chinese headers; the
// rows as the page shows them (names, never ids), numbers as numbers; a 合计 row for the columns
// whose header says a sum means something (`data-total="sum"` on the <th>).
// What the page shows is what the file holds: it is read from the rendered table.

export interface SheetMeta {
  /** The table's title, e.g. 经费预算. */
  title: string;
  /** Where and when: e.g. ['全市', '2026年秋季学期'] or ['城东区', '2026-11-30']. */
  context: string[];
}

interface Grid {
  headers: string[];
  sums: boolean[];
  rows: SheetCell[][];
}

const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Group labels over the columns (a first header row with colSpans), one per column. */
function groupsOf(row: Element | undefined, width: number): string[] {
  const out: string[] = [];
  for (const th of row ? [...row.querySelectorAll('th')] : []) {
    const span = Number(th.getAttribute('colspan') ?? 1) || 1;
    for (let i = 0; i < span; i++) out.push(text(th));
  }
  return out.length === width ? out : Array.from({ length: width }, () => '');
}

/**
 * The table's columns and rows; 操作 columns (buttons) and placeholder rows are left out. With two
 * header rows, the columns are the second's, named with their group above (今日·出勤率).
 */
export function gridOf(table: HTMLTableElement): Grid {
  const headRows = [...table.querySelectorAll('thead tr')];
  const ths = [...(headRows.at(-1)?.querySelectorAll('th') ?? [])];
  const groups = groupsOf(headRows.length > 1 ? headRows[0] : undefined, ths.length);
  const keep = ths.map((th) => (th as HTMLElement).dataset.export !== 'no' && text(th) !== '操作' && text(th) !== '');
  const headers = ths.map((th, i) => [groups[i], text(th)].filter(Boolean).join('·')).filter((_, i) => keep[i]);
  const sums = ths.map((th) => (th as HTMLElement).dataset.total === 'sum').filter((_, i) => keep[i]);
  const rows: SheetCell[][] = [];
  for (const tr of table.querySelectorAll('tbody tr')) {
    const tds = [...tr.querySelectorAll('td')];
    // "暂无数据" and similar rows span the table; they are not data.
    if (tds.length !== ths.length) continue;
    rows.push(tds.filter((_, i) => keep[i]).map((td) => cellOf(td.dataset.export ?? text(td), td.dataset.value)));
  }
  return { headers, sums, rows };
}

export async function tableToXlsx(table: HTMLTableElement, meta: SheetMeta, now = new Date()): Promise<Blob> {
  const { default: ExcelJS } = await import('exceljs');
  const grid = gridOf(table);
  const wb = new ExcelJS.Workbook();
  wb.creator = '课后服务监管平台';
  wb.created = now;
  const ws = wb.addWorksheet(meta.title.slice(0, 31) || '数据');
  const cols = Math.max(grid.headers.length, 1);

  const title = ws.addRow([[meta.title, ...meta.context].filter(Boolean).join(' · ')]);
  title.font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, cols);
  const stamp = ws.addRow([`导出时间 ${now.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}`]);
  stamp.font = { color: { argb: 'FF666666' } };
  ws.mergeCells(2, 1, 2, cols);

  const head = ws.addRow(grid.headers);
  head.font = { bold: true };
  head.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    c.border = { bottom: { style: 'thin' } };
  });
  const firstData = ws.rowCount + 1;
  for (const cells of grid.rows) {
    const row = ws.addRow(cells.map((c) => c.value));
    cells.forEach((c, i) => {
      if (c.numFmt) row.getCell(i + 1).numFmt = c.numFmt;
    });
  }
  if (grid.sums.some(Boolean) && grid.rows.length > 0) {
    const last = ws.rowCount;
    const total = ws.addRow(
      grid.headers.map((_, i) => {
        if (i === 0) return '合计';
        if (!grid.sums[i]) return null;
        const col = ws.getColumn(i + 1).letter;
        const sum = grid.rows.reduce((s, r) => s + (typeof r[i]?.value === 'number' ? (r[i]?.value as number) : 0), 0);
        return { formula: `SUM(${col}${firstData}:${col}${last})`, result: sum };
      }),
    );
    total.font = { bold: true };
    grid.sums.forEach((s, i) => {
      const fmt = grid.rows.find((r) => r[i]?.numFmt)?.[i]?.numFmt;
      if (s && fmt) total.getCell(i + 1).numFmt = fmt;
    });
  }
  grid.headers.forEach((h, i) => {
    const widest = Math.max(widthOf(h), ...grid.rows.map((r) => widthOf(String(r[i]?.value ?? ''))));
    ws.getColumn(i + 1).width = Math.min(Math.max(widest + 2, 8), 60);
  });
  ws.views = [{ state: 'frozen', ySplit: 3 }];
  const buffer = await wb.xlsx.writeBuffer();
  return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}

/** A file name a bureau's staff recognise: 经费预算-全市-2026年秋季学期.xlsx. */
export function fileNameOf(meta: SheetMeta): string {
  return `${[meta.title, ...meta.context]
    .filter(Boolean)
    .join('-')
    .replace(/[\\/:*?"<>|\s]+/g, '_')}.xlsx`;
}
