import { shanghaiDay, type RowFor, type Table } from '@edu/analytics';

// Rows travel from validation to the batch writer already encoded as the JSONEachRow bytes
// ClickHouse reads, with the little the change signal needs summarised beside them. Encoding
// where rows are made lets a validation worker thread do it, and the main thread never holds
// the row objects at all. Bytes, not text: the UTF-8 encoding of the text was the largest
// self time left on ingest's main thread (a CPU profile of 1M check-ins: ~0.5 s of ~8.7 s).

export interface EncodedRows {
  /** Per table: its rows as UTF-8 JSON lines (each ending in a newline) and how many there are. */
  tables: Partial<Record<Table, EncodedTable>>;
  count: number;
  /** What the streamers are told changed (see ChangePublisher). */
  schools: string[];
  days: string[];
  maxTsMs: number;
  /** Per Shanghai day, the earliest minute of a check-in (the streamer redraws from there). */
  checkinFrom: Record<string, number>;
}

export interface EncodedTable {
  /** Consecutive chunks of the lines (a merge of parts lists theirs: no copy). */
  lines: readonly Uint8Array[];
  count: number;
}

export const NO_ROWS: EncodedRows = { tables: {}, count: 0, schools: [], days: [], maxTsMs: 0, checkinFrom: {} };

function earliest(into: Record<string, number>, day: string, minute: number): void {
  const seen = into[day];
  if (seen === undefined || minute < seen) into[day] = minute;
}

export function encodeRows(rows: readonly RowFor[]): EncodedRows {
  if (rows.length === 0) return NO_ROWS;
  const text: Partial<Record<Table, { lines: string; count: number }>> = {};
  const schools = new Set<string>();
  const days = new Set<string>();
  let maxTsMs = 0;
  const checkinFrom: Record<string, number> = {};
  for (const { table, row } of rows) {
    const t = (text[table] ??= { lines: '', count: 0 });
    t.lines += JSON.stringify(row) + '\n';
    t.count++;
    schools.add(typeof row.school_id === 'string' ? row.school_id : '');
    const ts = row.ts_ms as number;
    if (ts > maxTsMs) maxTsMs = ts;
    const day = (row.planned_day ?? row.day) as string | undefined;
    days.add(day ?? shanghaiDay(ts));
    if (table === 'checkins' && row.type === 'checkin') earliest(checkinFrom, row.day as string, row.minute as number);
  }
  const tables: EncodedRows['tables'] = {};
  for (const [table, t] of Object.entries(text) as [Table, { lines: string; count: number }][]) {
    tables[table] = { lines: [utf8.encode(t.lines)], count: t.count };
  }
  return { tables, count: rows.length, schools: [...schools], days: [...days], maxTsMs, checkinFrom };
}

const utf8 = new TextEncoder();

/** Several encoded parts as one: what one batch write stores. */
export function mergeEncoded(parts: readonly EncodedRows[]): EncodedRows {
  if (parts.length === 1) return parts[0] ?? NO_ROWS;
  const byTable: Partial<Record<Table, EncodedTable[]>> = {};
  const schools = new Set<string>();
  const days = new Set<string>();
  let count = 0;
  let maxTsMs = 0;
  const checkinFrom: Record<string, number> = {};
  for (const p of parts) {
    for (const [table, t] of Object.entries(p.tables) as [Table, EncodedTable][]) (byTable[table] ??= []).push(t);
    for (const s of p.schools) schools.add(s);
    for (const d of p.days) days.add(d);
    count += p.count;
    if (p.maxTsMs > maxTsMs) maxTsMs = p.maxTsMs;
    for (const [day, minute] of Object.entries(p.checkinFrom)) earliest(checkinFrom, day, minute);
  }
  const tables: EncodedRows['tables'] = {};
  for (const [table, ts] of Object.entries(byTable) as [Table, EncodedTable[]][]) {
    tables[table] = {
      lines: ts.flatMap((t) => t.lines),
      count: ts.reduce((n, t) => n + t.count, 0),
    };
  }
  return { tables, count, schools: [...schools], days: [...days], maxTsMs, checkinFrom };
}
