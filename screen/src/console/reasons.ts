import { ApiFailure } from '../api/client.ts';
import { reasonText } from '../lib/errors.ts';
import { DIMENSION_LABEL } from './labels.ts';

// The console shows the server's reason for a refusal (a 403 says *why*: not a leader, not
// your district, not your dimension), but in Chinese: the streamer writes its reasons in
// English for logs, and the screens show Chinese only. Known reasons are recognised by their
// wording; anything else falls back to the sentence of its machine code (lib/errors.ts).

const dimensionName = (d: string | undefined) =>
  d && d in DIMENSION_LABEL ? DIMENSION_LABEL[d as keyof typeof DIMENSION_LABEL] : '该';

const REASONS: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /only a bureau leader may decide "(\w+)"/,
    (m) => `仅局领导可以${m[1] === 'halted' ? '喊停' : m[1] === 'voided' ? '否定' : '作出该决定'}`,
  ],
  [/the (\w+) dimension is not among yours/, (m) => `「${dimensionName(m[1])}」不在您所属部门的监管维度内`],
  [/dimension (\w+) is not yours/, (m) => `「${dimensionName(m[1])}」不在您所属部门的监管维度内`],
  [/this school or dimension is outside your scope/, () => '该学校或监管维度不在您的权限范围内'],
  [/staff may only see their own districts/, () => '专干只能查看本人所属辖区，不能查看全市'],
  [/district \S+ is not among your districts/, () => '该辖区不在您的权限范围内'],
  [/this student is not of that school/, () => '该学生不属于此学校'],
  [/administrators manage users/, () => '系统管理员只管理用户，不作监管决定'],
  [/only leaders and department staff issue notices/, () => '仅局领导和部门专干可以下发督办'],
  [/this alert is outside your dimensions or districts/, () => '该预警不在您的权限范围内'],
  [/account disabled/, () => '账号已停用'],
  [/a rejection .* needs a reason/, () => '驳回须填写驳回原因'],
  [/deadline must be in the future/, () => '办理期限须晚于当前时间'],
  [/no class report/, () => '该节课暂无学情汇报'],
  [/no student /, () => '未找到该学生'],
  [/no school /, () => '未找到该学校'],
];

/** A failed call as one Chinese sentence, the server's reason when it gave a known one. */
export function failureText(e: unknown): string {
  if (!(e instanceof ApiFailure)) return '无法连接服务器';
  for (const [re, text] of REASONS) {
    const m = re.exec(e.message);
    if (m) return text(m);
  }
  return reasonText(e.code, e.status);
}
