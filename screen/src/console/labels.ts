import { MATERIAL_KIND_LABEL } from '@edu/analytics/labels';
import type { DecisionKind, Dimension, FeedbackTarget, PageId } from './types.ts';

// The Chinese names of the contract's codes, as the manual (../shared/seed) calls them.

export const DIMENSION_LABEL: Record<Dimension, string> = {
  material: '材料公示',
  budget: '经费预算',
  process: '过程监管',
  course: '开课审批',
  safety: '安全监管',
  feedback: '评价反馈',
};

export const PAGE_LABEL: Record<PageId, string> = {
  ...DIMENSION_LABEL,
  charts: '图表',
  notices: '督办',
  pipeline: '流程全景',
};

/** The manual's module names (项目制度 …), shown under each page's title. */
export const MODULE_LABEL: Record<PageId, string> = {
  material: '项目制度',
  budget: '项目审计',
  process: '项目内容',
  course: '项目许可',
  safety: '项目管理',
  feedback: '评价反馈',
  charts: '图表呈现',
  notices: '督办闭环',
  pipeline: '流程监控',
};

export const CHILD_LABEL = { district: '辖区', zone: '学区', school: '学校' } as const;

export const MATERIAL_KIND: Readonly<Record<string, string>> = MATERIAL_KIND_LABEL;

export const DECISION_LABEL: Record<DecisionKind | 'notice' | 'closed' | 'returned', string> = {
  approved: '通过',
  rejected: '驳回',
  halted: '喊停',
  voided: '否定',
  notice: '督办',
  closed: '销号',
  returned: '退回重改',
};

/** An offering's, budget's or material's state (contract v1.1), as 开课审批 and 经费预算 count them. */
export const REVIEW_STATE: Readonly<Record<ReviewStateKey, string>> = {
  pending: '待审批',
  approved: '已通过',
  rejected: '已驳回',
  voided: '已否定',
};

export const REVIEW_STATES = ['pending', 'approved', 'rejected', 'voided'] as const;
export type ReviewStateKey = (typeof REVIEW_STATES)[number];

/** A decision as its status word: 已通过, 已驳回 … */
export const DECISION_STATE: Record<string, string> = {
  approved: '已通过',
  rejected: '已驳回',
  halted: '已喊停',
  voided: '已否定',
};

export const COURSE_KIND: Record<string, string> = { school: '校本课程', external: '校外课程' };

export const COURSE_CATEGORY: Record<string, string> = {
  sports: '体育',
  arts: '艺术',
  science: '科技',
  reading: '阅读',
  labor: '劳动',
  homework: '作业辅导',
  other: '其他',
};

export const PROVIDER_CHANNEL: Record<string, string> = { bid: '招标', recommended: '推荐', self: '自主' };

export const CERTIFICATE: Record<string, string> = {
  teacher: '教师资格证',
  coach: '教练证',
  skill: '技能证书',
  none: '无证书',
};

export const SESSION_STATE: Record<string, string> = {
  cancelled: '已取消',
  scheduled: '未开课',
  started: '上课中',
  completed: '已完课',
};

export const FEEDBACK_TARGET: Record<FeedbackTarget, string> = {
  course: '课程',
  teacher: '上课老师',
  provider: '课程方（机构）',
  operator: '运营方',
};

export const FEEDBACK_SOURCE: Record<string, string> = { school: '学校', teacher: '老师', parent: '家长' };

export const RECIPIENT_LABEL = { school: '学校', provider: '课程方（机构）', operator: '运营方' } as const;

export const CHECKIN_METHOD: Record<string, string> = { face: '人脸', card: '刷卡', manual: '手工' };

/**
 * A code's label. A code the table does not know (a newer contract) is 其他, never the raw
 * code: the screens show Chinese only.
 */
export const labelOf = (table: Record<string, string>, code: string) =>
  (Object.hasOwn(table, code) ? table[code] : undefined) ?? (code ? '其他' : '—');
