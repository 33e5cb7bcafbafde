import { describe, expect, it } from 'vitest';
import { chartPixelRatio } from '../state/ui.ts';
import { ERROR_CODES } from '@edu/analytics/errors';
import { reasonText, refusalText } from './errors.ts';

describe('reasonText', () => {
  it('has Chinese for every code the server can send, and no English in it', () => {
    // ERROR_CODES is the streamer's one list (HttpError takes nothing else): a code added
    // there without its sentence here fails this test.
    for (const code of ERROR_CODES) {
      const text = reasonText(code, 400, { dimension: 'material', decision: 'halted' });
      expect([code, text]).toEqual([code, expect.stringMatching(/\p{Script=Han}/u)]);
      expect([code, text]).toEqual([code, expect.not.stringMatching(/[A-Za-z]/)]);
      expect(text).not.toContain('操作未完成');
    }
  });
  it('turns the server codes into Chinese, never its English text', () => {
    expect(reasonText('throttled', 429)).toBe('操作过于频繁，请稍后再试');
    expect(reasonText('unavailable', 503)).toBe('服务暂不可用，请稍后再试');
    expect(reasonText('internal', 500)).toBe('服务器内部错误，请稍后再试');
    expect(reasonText(undefined, 413)).toBe('提交的内容过长');
    expect(reasonText(undefined, 502)).toBe('服务器内部错误，请稍后再试');
  });
  it('names the refused dimension and decision from the body', () => {
    expect(reasonText('dimension_not_yours', 403, { dimension: 'material' })).toBe(
      '「材料公示」不在您所属部门的监管维度内',
    );
    expect(reasonText('dimension_not_yours', 403, { dimension: 'toString' })).toBe('该维度不在您所属部门的监管维度内');
    expect(reasonText('leader_only', 403, { decision: 'voided' })).toBe('仅局领导可以否定');
    expect(reasonText('leader_only', 403, {})).toBe('仅局领导可以作出该决定');
  });
  it('says 操作未完成 with the code for a code it does not know', () => {
    expect(reasonText('something_new', 418)).toBe('操作未完成（代码 something_new）');
    expect(reasonText('constructor', 400)).toBe('操作未完成（代码 constructor）');
  });
  it('explains a refused join by its code', () => {
    expect(refusalText('district_not_yours')).toBe('该辖区不在您的权限范围内');
    expect(refusalText('city_not_for_staff')).toBe('专干只能查看本人所属辖区，不能查看全市');
    expect(refusalText('unauthorized')).toBe('登录已失效，请重新登录');
    expect(refusalText('invalid_scope')).toBe('监管范围或日期无效');
    expect(refusalText('internal')).toBe('暂时无法加入该范围，正在重试');
    expect(refusalText(undefined)).toBe('暂时无法加入该范围，正在重试');
  });
});

describe('chartPixelRatio', () => {
  it('draws charts at one backing pixel per physical pixel, in quarter steps', () => {
    expect(chartPixelRatio(1, 1)).toBe(1); // 1080p
    expect(chartPixelRatio(2, 1)).toBe(2); // 4K wall at 100%: the canvas is scaled ×2
    expect(chartPixelRatio(0.8, 1.25)).toBe(1); // 1080p panel at 125% OS scaling
    expect(chartPixelRatio(1.001, 1)).toBe(1); // a few pixels of resize: no rebuild
    expect(chartPixelRatio(4, 2)).toBe(3); // bounded
    expect(chartPixelRatio(0, 1)).toBe(0.5);
  });
});
