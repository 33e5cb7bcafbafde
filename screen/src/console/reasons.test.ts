import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../api/client.ts';
import { failureText } from './reasons.ts';

const refusal = (status: number, code: string, error: string) => new ApiFailure(status, code, error, { error, code });

describe('failure texts', () => {
  it("gives the server's reason for a refusal, in Chinese", () => {
    expect(failureText(refusal(403, 'forbidden', 'only a bureau leader may decide "halted"'))).toBe('仅局领导可以喊停');
    expect(failureText(refusal(403, 'forbidden', 'only a bureau leader may decide "voided"'))).toBe('仅局领导可以否定');
    expect(failureText(refusal(403, 'forbidden', 'the material dimension is not among yours'))).toBe(
      '「材料公示」不在您所属部门的监管维度内',
    );
    expect(failureText(refusal(403, 'forbidden', 'district d2 is not among your districts'))).toBe(
      '该辖区不在您的权限范围内',
    );
    expect(failureText(refusal(403, 'forbidden', 'this school or dimension is outside your scope'))).toBe(
      '该学校或监管维度不在您的权限范围内',
    );
    expect(failureText(refusal(400, 'bad_request', 'a rejection (驳回) needs a reason in content'))).toBe(
      '驳回须填写驳回原因',
    );
  });

  it('falls back to the sentence of the code, never English', () => {
    const text = failureText(refusal(403, 'forbidden', 'something new'));
    expect(text).toBe('无权执行该操作');
    expect(failureText(new TypeError('fetch failed'))).toBe('无法连接服务器');
    expect(failureText(refusal(503, 'unavailable', 'ClickHouse down'))).not.toMatch(/[A-Za-z]/);
  });
});
