import { INBOUND_TOPICS } from '../contract/topics.ts';
import { ORPHAN_KINDS, type OrphanKind, type OrphanReport, type OrphanRow } from './orphans.ts';

// The Chinese names the data-quality page and the orphan alert give the sources (the
// school-side systems, one topic each), the event types and the kinds of unknown reference.

export const SOURCE_LABEL: Readonly<Record<string, string>> = {
  [INBOUND_TOPICS.registry]: '基础信息',
  [INBOUND_TOPICS.course]: '开课申报',
  [INBOUND_TOPICS.schedule]: '排课',
  [INBOUND_TOPICS.enrollment]: '报名',
  [INBOUND_TOPICS.class]: '上课',
  [INBOUND_TOPICS.checkin]: '考勤',
  [INBOUND_TOPICS.settlement]: '结算',
  [INBOUND_TOPICS.feedback]: '评议反馈',
  [INBOUND_TOPICS.material]: '公示材料',
  [INBOUND_TOPICS.budget]: '经费预算',
  'edu.rectification.v1': '整改反馈',
};

export const EVENT_TYPE_LABEL: Readonly<Record<string, string>> = {
  operator: '运营方登记',
  teacher: '教师登记',
  course: '课程登记',
  student: '学生登记',
  offering_submitted: '开课申报',
  session_scheduled: '排课',
  session_cancelled: '取消课次',
  enrolled: '报名',
  withdrawn: '退课',
  class_started: '开课',
  class_ended: '下课',
  class_report: '学情汇报',
  lesson_prepared: '教师备课',
  checkin: '签到',
  checkout: '签退',
  settled: '结算',
  feedback: '评议',
  material_published: '材料公示',
  budget_submitted: '预算申报',
};

export const ORPHAN_KIND_LABEL: Readonly<Record<OrphanKind, string>> = {
  school: '未登记学校',
  session: '未排课节次',
  offering: '未申报开课',
  student: '未登记学生',
};

export const sourceLabel = (source: string): string => SOURCE_LABEL[source] ?? source;
export const eventTypeLabel = (type: string): string => EVENT_TYPE_LABEL[type] ?? type;

export interface LabelledOrphanRow extends OrphanRow {
  source_label: string;
  type_label: string;
}

/** The orphan report as the 数据质量 page shows it: every code with its Chinese name. */
export interface OrphanPage extends Omit<OrphanReport, 'rows'> {
  rows: LabelledOrphanRow[];
  kinds: { kind: OrphanKind; label: string }[];
}

export function orphanPage(report: OrphanReport): OrphanPage {
  return {
    ...report,
    rows: report.rows.map((r) => ({ ...r, source_label: sourceLabel(r.source), type_label: eventTypeLabel(r.type) })),
    kinds: ORPHAN_KINDS.map((kind) => ({ kind, label: ORPHAN_KIND_LABEL[kind] })),
  };
}
