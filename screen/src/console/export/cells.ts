// What a table cell on a console page becomes in a spreadsheet: numbers as numbers (a count, an
// amount, a rate as a percentage the spreadsheet can sum and chart), everything else as the text
// the page shows. A cell may say exactly what it holds with `data-value` (a number) when its
// text is not plain, e.g. "12 / 30".

export interface SheetCell {
  value: string | number;
  /** Excel number format, e.g. '0.0%' for rates, '#,##0' for counts. */
  numFmt?: string;
}

const INTEGER = /^-?\d{1,3}(,\d{3})*$|^-?\d+$/;
const DECIMAL = /^-?\d{1,3}(,\d{3})*\.\d+$|^-?\d+\.\d+$/;
const PERCENT = /^(-?\d+(?:\.\d+)?)\s*%$/;
const MONEY = /^[¥￥]\s?(-?[\d,]+(?:\.\d+)?)$/;

export function cellOf(text: string, dataValue?: string): SheetCell {
  const t = text.replace(/\s+/g, ' ').trim();
  if (dataValue !== undefined && dataValue !== '' && Number.isFinite(Number(dataValue))) {
    const n = Number(dataValue);
    return PERCENT.test(t) ? { value: n, numFmt: '0.0%' } : { value: n };
  }
  // Identifiers that look like numbers stay text: phone numbers, codes with leading zeros.
  const digits = t.replace(/[,-]/g, '');
  if (/^\d{8,}$/.test(digits) || /^0\d/.test(t)) return { value: t };
  if (INTEGER.test(t)) return { value: Number(t.replaceAll(',', '')), numFmt: '#,##0' };
  if (DECIMAL.test(t)) return { value: Number(t.replaceAll(',', '')), numFmt: '#,##0.00' };
  const pct = PERCENT.exec(t);
  if (pct) return { value: Number(pct[1]) / 100, numFmt: '0.0%' };
  const money = MONEY.exec(t);
  if (money) return { value: Number((money[1] as string).replaceAll(',', '')), numFmt: '"¥"#,##0.00' };
  return { value: t };
}

/** Display width of a text in spreadsheet columns: a CJK character is about two. */
export function widthOf(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u2E80-\uFFEF]/.test(ch) ? 2 : 1;
  return w;
}
