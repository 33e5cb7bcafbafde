// Students are minors: a drill-down that shows one student shows a masked name (contract,
// "Personal data"). Whether the user may see the student at all is the caller's decision.

/**
 * Masks a personal name: the first character stays, and so does the last when the name has
 * three or more characters; everything between (or after, for two) becomes `*`.
 * 张三明 → 张*明, 张三 → 张*, 欧阳娜娜 → 欧**娜. Counts characters, not UTF-16 units.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
