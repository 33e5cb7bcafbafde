import { shanghaiDay, type RowFor, type Table } from '@edu/analytics';

// Rows travel from validation to the batch writer already encoded as the JSONEachRow text
// ClickHouse reads, with the little the change signal needs summarised beside them. Encoding
// where rows are made lets a validation worker thread do it, and the main thread never holds
// the row objects at all.

export interface EncodedRows {
  /** Per table: its rows as JSON lines (each ending in a newline) and how many there are. */
  tables: Partial<Record<Table, { lines: string; count: number }>>;
  count: number;
  /** What the streamers are told changed (see ChangePublisher). */
  schools: string[];
  days: string[];
  maxTsMs: number;
}

export const NO_ROWS: EncodedRows = { tables: {}, count: 0, schools: [], days: [], maxTsMs: 0 };

export function encodeRows(rows: readonly RowFor[]): EncodedRows {
  if (rows.length === 0) return NO_ROWS;
  const tables: EncodedRows['tables'] = {};
  const schools = new Set<string>();
  const days = new Set<string>();
  let maxTsMs = 0;
  for (const { table, row } of rows) {
    const t = (tables[table] ??= { lines: '', count: 0 });
    t.lines += JSON.stringify(row) + '\n';
    t.count++;
    schools.add(typeof row.school_id === 'string' ? row.school_id : '');
    const ts = row.ts_ms as number;
    if (ts > maxTsMs) maxTsMs = ts;
    const day = (row.planned_day ?? row.day) as string | undefined;
    days.add(day ?? shanghaiDay(ts));
  }
  return { tables, count: rows.length, schools: [...schools], days: [...days], maxTsMs };
}

/** Several encoded parts as one: what one batch write stores. */
export function mergeEncoded(parts: readonly EncodedRows[]): EncodedRows {
  if (parts.length === 1) return parts[0] ?? NO_ROWS;
  const tables: EncodedRows['tables'] = {};
  const schools = new Set<string>();
  const days = new Set<string>();
  let count = 0;
  let maxTsMs = 0;
  for (const p of parts) {
    for (const [table, t] of Object.entries(p.tables) as [Table, { lines: string; count: number }][]) {
      const m = (tables[table] ??= { lines: '', count: 0 });
      m.lines += t.lines;
      m.count += t.count;
    }
    for (const s of p.schools) schools.add(s);
    for (const d of p.days) days.add(d);
    count += p.count;
    if (p.maxTsMs > maxTsMs) maxTsMs = p.maxTsMs;
  }
  return { tables, count, schools: [...schools], days: [...days], maxTsMs };
}
