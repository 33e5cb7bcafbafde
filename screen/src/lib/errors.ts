import type { ErrorCode } from '@edu/analytics/errors';
import { DIMENSION_LABEL } from '../console/labels.ts';

// The streamer explains refusals in English (`{error, code}`, docs/api.md) for logs and
// operators; the screens show Chinese only. The machine code picks the sentence — never the
// English text, which may be reworded at any time (and carries ids and internals a screen
// should not show). One table for every code the server can send (analytics' ERROR_CODES:
// the type makes a new code without its Chinese a type error, and errors.test.ts walks the
// list), plus the codes the client makes itself.

/** Codes the screen's own API client gives a failed call (api/client.ts). */
export type ClientCode = 'bad_response' | 'error';

/** The refusal's body: `dimension_not_yours` names the dimension, `leader_only` the decision. */
type Body = Record<string, unknown> | undefined;
type Text = string | ((body: Body) => string);

const dimensionName = (body: Body) => {
  const d = body?.dimension;
  return typeof d === 'string' && Object.hasOwn(DIMENSION_LABEL, d)
    ? `「${DIMENSION_LABEL[d as keyof typeof DIMENSION_LABEL]}」`
    : '该维度';
};
const decisionName = (body: Body) =>
  body?.decision === 'halted' ? '喊停' : body?.decision === 'voided' ? '否定' : '作出该决定';

export const ERROR_TEXT = {
  bad_request: '提交的内容有误，请检查后重试',
  invalid_scope: '监管范围格式有误',
  deadline_past: '办理期限须晚于当前时间',
  invalid_idempotency_key: '提交标识无效，请刷新页面后重试',
  unknown_district: '所选辖区不存在',
  weak_password: '新密码须为8位以上，包含字母和数字，且不能为初始密码',
  unauthorized: '登录已失效，请重新登录',
  wrong_credentials: '手机号或密码错误',
  pairing_code_wrong: '配对码不正确，请核对后重新输入',
  pairing_code_expired: '配对码已过期，请联系系统管理员重新生成',
  pairing_code_used: '该配对码已使用过，请联系系统管理员重新生成',
  forbidden: '无权执行该操作',
  password_change_required: '请先修改初始密码',
  cross_origin: '请求来源不被允许，请从本系统页面操作',
  role_required: '您的角色无权执行该操作',
  leader_only: (b) => `仅局领导可以${decisionName(b)}`,
  admin_not_decider: '系统管理员只管理用户，不作监管决定',
  not_decider: '仅局领导和部门专干可以下发督办',
  dimension_not_yours: (b) => `${dimensionName(b)}不在您所属部门的监管维度内`,
  district_not_yours: '该辖区不在您的权限范围内',
  city_not_for_staff: '专干只能查看本人所属辖区，不能查看全市',
  no_districts: '您尚未分配辖区，请联系系统管理员',
  outside_scope: '该学校或监管维度不在您的权限范围内',
  alert_outside_scope: '该预警不在您的权限范围内',
  account_disabled: '账号已停用',
  wrong_old_password: '原密码错误',
  display_read_only: '大屏终端只能查看，不能操作',
  outside_display_scope: '该范围不在本大屏终端的展示范围内',
  not_found: '对象不存在或已被删除',
  unknown_scope: '该监管范围不存在',
  no_school: '未找到该学校',
  no_material: '该校没有所选的公示材料',
  no_student: '未找到该学生',
  no_teacher: '未找到该教师',
  no_class_report: '该节课暂无学情汇报',
  no_alert: '未找到该预警',
  no_user: '未找到该用户',
  no_subject: '未找到该监管对象',
  no_display: '未找到该大屏终端',
  notice_exists: '该校本维度已有未办结督办',
  notice_state: '该督办的状态已变化，请刷新后重试',
  user_exists: '该手机号已有账号',
  last_admin: '这是最后一位启用的系统管理员，请先任命另一位',
  display_revoked: '该大屏终端已注销',
  idempotency_in_progress: '上一次提交仍在处理中，请稍后重试',
  too_large: '提交的内容过长',
  idempotency_key_reused: '该提交已用于另一条督办，请刷新页面后重新提交',
  throttled: '操作过于频繁，请稍后再试',
  internal: '服务器内部错误，请稍后再试',
  unavailable: '服务暂不可用，请稍后再试',
  bad_response: '服务器返回异常',
  error: '请求失败，请稍后再试',
} satisfies Record<ErrorCode | ClientCode, Text>;

/** A failed API call as a Chinese sentence, chosen by its machine code (and its body's names). */
export function reasonText(code: string | undefined, status?: number, body?: Body): string {
  const text = code && Object.hasOwn(ERROR_TEXT, code) ? ERROR_TEXT[code as keyof typeof ERROR_TEXT] : undefined;
  if (text !== undefined) return typeof text === 'function' ? text(body) : text;
  if (status === 413) return ERROR_TEXT.too_large;
  // A code this screen does not know yet (a newer server): say so with the code, never English.
  if (code) return `操作未完成（代码 ${code}）`;
  if (status !== undefined && status >= 500) return ERROR_TEXT.internal;
  return ERROR_TEXT.error;
}

/** A refused `join`, by the code of its ack. */
export function refusalText(code: string | undefined): string {
  if (code === undefined || code === 'internal' || code === 'unavailable') return '暂时无法加入该范围，正在重试';
  if (code === 'bad_request' || code === 'invalid_scope') return '监管范围或日期无效';
  return reasonText(code);
}
