// The streamer explains refusals in English (`{error, code}`, docs/api.md) for logs and
// operators; the wall shows Chinese only. The machine code picks the sentence, and the English
// text is never put on screen (it also carries ids and internals a wall should not show).

const BY_CODE: Record<string, string> = {
  bad_request: '提交的内容有误，请检查后重试',
  unauthorized: '登录已失效，请重新登录',
  forbidden: '无权执行该操作',
  password_change_required: '请先修改初始密码',
  not_found: '对象不存在或已被删除',
  notice_exists: '该校本维度已有未办结督办',
  idempotency_in_progress: '上一次提交仍在处理中，请稍后重试',
  throttled: '操作过于频繁，请稍后再试',
  unavailable: '服务暂不可用，请稍后再试',
  too_large: '提交的内容过长',
  bad_response: '服务器返回异常',
};

/** A failed API call (its machine code, when it had one) as a Chinese sentence. */
export function reasonText(code: string | undefined, status?: number): string {
  if (code && BY_CODE[code]) return BY_CODE[code];
  if (status === 413) return BY_CODE.too_large as string;
  if (status !== undefined && status >= 500) return '服务器内部错误，请稍后再试';
  return '请求失败，请稍后再试';
}

/** A refused `join` (its ack error is an English sentence starting with the reason). */
export function refusalText(error: string): string {
  if (error.startsWith('forbidden')) return '无权查看该范围';
  if (error.startsWith('unauthorized')) return '登录已失效，请重新登录';
  if (error.startsWith('bad join request') || /scope/i.test(error)) return '监管范围或日期无效';
  return '暂时无法加入该范围，正在重试';
}
