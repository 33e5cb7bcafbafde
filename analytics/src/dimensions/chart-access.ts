import type { Dimension } from '../contract/supervision.ts';

// Which supervision dimensions each chart group of the chart module (manual §7) draws on, so
// that department staff see only charts of their own department's work (manual §2.1: "只能查看
// 到与所属部门工作相关的数据以及报表"). A chart is shown to staff when every dimension it draws on
// is theirs; leaders and administrators see all.

export const CHART_GROUPS = [
  'totals',
  'registry',
  'selection',
  'scheduling',
  'enrollment',
  'attendance',
  'settlement',
] as const;
export type ChartGroup = (typeof CHART_GROUPS)[number];

export const CHART_DIMENSIONS: Record<ChartGroup, readonly Dimension[]> = {
  // 统计: 资源 (admitted providers, teachers, courses) and 选课 are 开课审批's, 交付 is
  // 过程监管's (sessions held), 结算 is 项目审计's (money).
  totals: ['course', 'process', 'budget'],
  // 入库: the admitted providers, teachers and courses (准入 / 开课审批).
  registry: ['course'],
  // 选课: offerings chosen and their fees.
  selection: ['course'],
  // 排课 and 报名: sessions scheduled and students enrolled (过程监管's participation).
  scheduling: ['process'],
  enrollment: ['process'],
  // 上课: teacher and student attendance (安全监管's check-ins).
  attendance: ['safety'],
  // 结算: settled money.
  settlement: ['budget'],
};

/** The chart groups someone holding these dimensions may see. */
export const chartsFor = (dimensions: readonly Dimension[]): ChartGroup[] =>
  CHART_GROUPS.filter((c) => CHART_DIMENSIONS[c].every((d) => dimensions.includes(d)));
