import { describe, expect, it } from 'vitest';
import { CERTIFICATE, labelOf, MATERIAL_KIND } from './labels.ts';

describe('labelOf', () => {
  it('names a known code in Chinese', () => {
    expect(labelOf(MATERIAL_KIND, 'safety_plan')).toBe('安全管理及应急预案');
    expect(labelOf(CERTIFICATE, 'none')).toBe('无证书');
  });
  it('never shows a code it does not know, nor an inherited property', () => {
    expect(labelOf(MATERIAL_KIND, 'annual_report')).toBe('其他');
    expect(labelOf(MATERIAL_KIND, 'toString')).toBe('其他');
    expect(labelOf(MATERIAL_KIND, '')).toBe('—');
  });
});
