import { describe, expect, it } from 'vitest';
import { maskName } from './mask.ts';

describe('maskName', () => {
  it('keeps the first and last character of a three-character name', () => {
    expect(maskName('张小明')).toBe('张*明');
  });
  it('keeps only the first character of a two-character name', () => {
    expect(maskName('李华')).toBe('李*');
  });
  it('masks every middle character of a longer name', () => {
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('Anna Lee')).toBe('A******e');
  });
  it('never shows a one-character name and returns nothing for an empty one', () => {
    expect(maskName('明')).toBe('*');
    expect(maskName('')).toBe('');
    expect(maskName('  ')).toBe('');
  });
  it('counts characters outside the basic plane as one', () => {
    expect(maskName('𠮷野家')).toBe('𠮷*家');
  });
});
