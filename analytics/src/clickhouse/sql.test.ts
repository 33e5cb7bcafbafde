import { describe, expect, it } from 'vitest';
import { ident, isIn, join, literal, quoteString, sql } from './sql.ts';

describe('sql tag', () => {
  it('escapes quotes and backslashes so a value cannot end its literal', () => {
    expect(quoteString("x' OR 1=1 --")).toBe("'x\\' OR 1=1 --'");
    expect(quoteString('\\')).toBe("'\\\\'");
    expect(quoteString("\\'")).toBe("'\\\\\\''");
  });

  it('escapes control characters and NUL', () => {
    expect(quoteString('a\nb\rc\td\0e\bf\fg')).toBe("'a\\nb\\rc\\td\\0e\\bf\\fg'");
  });

  it('leaves non-ASCII text alone', () => {
    expect(quoteString('实验小学 <img onerror=alert(1)>')).toBe("'实验小学 <img onerror=alert(1)>'");
  });

  it('interpolates values as literals and fragments as SQL', () => {
    const school = "s1'; DROP TABLE checkins; --";
    const q = sql`SELECT count() FROM checkins WHERE school_id = ${school} AND ${sql`day = toDate(${'2026-11-27'})`}`;
    expect(q.text).toBe(
      "SELECT count() FROM checkins WHERE school_id = 's1\\'; DROP TABLE checkins; --' AND day = toDate('2026-11-27')",
    );
  });

  it('writes numbers, booleans, bigints, nulls, dates and arrays', () => {
    expect(literal(42)).toBe('42');
    expect(literal(-1.5)).toBe('-1.5');
    expect(literal(1e21)).toBe('1000000000000000000000');
    expect(literal(true)).toBe('1');
    expect(literal(12345678901234567890n)).toBe('12345678901234567890');
    expect(literal(null)).toBe('NULL');
    expect(literal(new Date(1_700_000_000_000))).toBe('1700000000000');
    expect(literal(['a', "b'", 3])).toBe("['a', 'b\\'', 3]");
  });

  it('refuses values that have no safe literal', () => {
    expect(() => literal(Number.NaN)).toThrow(TypeError);
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(() => literal(new Date(Number.NaN))).toThrow(TypeError);
    expect(() => literal({} as never)).toThrow(TypeError);
    expect(() => literal((() => 1) as never)).toThrow(TypeError);
  });

  it('accepts only plain identifiers', () => {
    expect(ident('edu_test_1').text).toBe('edu_test_1');
    expect(() => ident('edu; DROP')).toThrow(TypeError);
    expect(() => ident('`x`')).toThrow(TypeError);
    expect(() => ident('1abc')).toThrow(TypeError);
  });

  it('turns an empty IN list into a false condition', () => {
    expect(isIn(sql`school_id`, []).text).toBe('0');
    expect(isIn(sql`school_id`, ['a', "b'"]).text).toBe("school_id IN ('a', 'b\\'')");
    expect(join([sql`a`, sql`b`], ' AND ').text).toBe('a AND b');
  });
});
