import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../api/client.ts';
import { failureText } from './reasons.ts';

const refusal = (status: number, code: string, error: string, extra: Record<string, unknown> = {}) =>
  new ApiFailure(status, code, error, { error, code, ...extra });

describe('failure texts', () => {
  it("gives the server's reason for a refusal in Chinese, by its code", () => {
    expect(
      failureText(refusal(403, 'leader_only', 'only a bureau leader may decide "halted"', { decision: 'halted' })),
    ).toBe('仅局领导可以喊停');
    expect(failureText(refusal(403, 'dimension_not_yours', 'x', { dimension: 'material' }))).toBe(
      '「材料公示」不在您所属部门的监管维度内',
    );
    expect(failureText(refusal(403, 'district_not_yours', 'district d2 is not among your districts'))).toBe(
      '该辖区不在您的权限范围内',
    );
    expect(failureText(refusal(404, 'unknown_scope', 'no place district:d9 in the registry'))).toBe('该监管范围不存在');
  });

  it('never reads the sentence: a reworded or hostile sentence changes nothing', () => {
    // The sentence of one refusal under the code of another: the code wins.
    expect(failureText(refusal(403, 'outside_scope', 'only a bureau leader may decide "halted"'))).toBe(
      '该学校或监管维度不在您的权限范围内',
    );
    expect(failureText(refusal(403, 'forbidden', 'something new'))).toBe('无权执行该操作');
  });

  it('falls back to 操作未完成 with the code, never English', () => {
    expect(failureText(refusal(403, 'brand_new_code', 'a new refusal'))).toBe('操作未完成（代码 brand_new_code）');
    expect(failureText(new TypeError('fetch failed'))).toBe('无法连接服务器');
    expect(failureText(refusal(503, 'unavailable', 'ClickHouse down'))).not.toMatch(/[A-Za-z]/);
  });
});
