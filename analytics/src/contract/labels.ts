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

/**
 * What each audited action (audit_log.action, written by the streamer) is called on the audit
 * page. An action missing here is shown as 其他操作, never as its code.
 */
export const AUDIT_ACTION_LABEL: Readonly<Record<string, string>> = {
  login: '登录',
  password_change: '修改密码',
  password_reset: '重置密码',
  user_create: '新建用户',
  user_update: '修改用户',
  alert_ack: '确认告警',
  notice_issue: '下发督办',
  notice_closed: '督办销号',
  notice_returned: '督办退回重改',
  decision_notice: '督办通知',
  decision_approved: '审批通过',
  decision_rejected: '驳回',
  decision_halted: '喊停',
  decision_voided: '否定',
  decision_closed: '销号',
  decision_returned: '退回重改',
  source_key_issue: '签发数据源密钥',
  source_key_revoke: '吊销数据源密钥',
  display_register: '登记大屏终端',
  display_code: '生成大屏配对码',
  display_pair: '大屏终端配对',
  display_revoke: '注销大屏终端',
  read_refused: '越权查看（已拒绝）',
  join_refused: '越权订阅大屏（已拒绝）',
  write_refused: '越权操作（已拒绝）',
};

export const auditActionLabel = (action: string): string => AUDIT_ACTION_LABEL[action] ?? '其他操作';
