// CSV for report downloads (RFC 4180). Cells that a spreadsheet would run as a formula
// (=, +, -, @ first) are prefixed with a quote: a school name must not become a formula.

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
