import type { MaterialKind } from './events.ts';

// Chinese names of the contract's codes that both the screen and the server's files (exports,
// zips) show. Browser-safe: no imports beyond types (the screen loads it as @edu/analytics/labels).

export const MATERIAL_KIND_LABEL: Readonly<Record<MaterialKind, string>> = {
  implementation_plan: '项目实施方案',
  bid_notice: '中标公示',
  meeting_minutes: '领导小组会议纪要',
  safety_plan: '安全管理及应急预案',
};

/** A term as the bureau writes it: `2026-autumn` → 2026年秋季学期; anything else is never shown raw. */
export function termLabel(term: string | null | undefined): string {
  const m = /^(\d{4})-(autumn|spring)$/.exec(term ?? '');
  if (!m) return term ? '未知学期' : '';
  return `${m[1]}年${m[2] === 'autumn' ? '秋季' : '春季'}学期`;
}
