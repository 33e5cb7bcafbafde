import { describe, expect, it } from 'vitest';
import { chartPixelRatio } from '../state/ui.ts';
import { reasonText, refusalText } from './errors.ts';

describe('reasonText', () => {
  it('turns the server codes into Chinese, never its English text', () => {
    expect(reasonText('throttled', 429)).toBe('操作过于频繁，请稍后再试');
    expect(reasonText('unavailable', 503)).toBe('服务暂不可用，请稍后再试');
    expect(reasonText('internal', 500)).toBe('服务器内部错误，请稍后再试');
    expect(reasonText(undefined, 413)).toBe('提交的内容过长');
    expect(reasonText('something_new', 418)).toBe('请求失败，请稍后再试');
  });
  it('explains a refused join without the server sentence', () => {
    expect(refusalText('forbidden: district D02 is outside your districts')).toBe('无权查看该范围');
    expect(refusalText('scope must be city, district:<id>, zone:<id> or school:<id>, not "x"')).toBe(
      '监管范围或日期无效',
    );
    expect(refusalText('internal error')).toBe('暂时无法加入该范围，正在重试');
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
