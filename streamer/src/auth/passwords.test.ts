import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('hashes with a per-user salt and verifies', async () => {
    const a = await hashPassword('123456');
    const b = await hashPassword('123456');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$')).toBe(true);
    expect(a).not.toContain('123456');
    expect(await verifyPassword('123456', a)).toBe(true);
    expect(await verifyPassword('123457', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('refuses weak new passwords', () => {
    expect(passwordProblem('123456')).toMatch(/initial/);
    expect(passwordProblem('abc')).toMatch(/8 to 128/);
    expect(passwordProblem('abcdefgh')).toMatch(/letters and digits/);
    expect(passwordProblem('abcd1234')).toBeNull();
  });
});
