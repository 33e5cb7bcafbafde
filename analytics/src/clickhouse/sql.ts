// The one place where values meet SQL. ClickHouse 18.16 has no query parameters, so every
// value is escaped into a literal here, and nothing else in the code base builds SQL from
// strings: queries are written as sql`…${value}…` and values can only enter through this tag.

const BRAND: unique symbol = Symbol('sql');

/** A fragment of SQL that is safe to send: literal text plus escaped values. */
export interface Sql {
  readonly [BRAND]: true;
  readonly text: string;
}

export type SqlValue = string | number | bigint | boolean | null | Date | Sql | readonly SqlValue[];

function fragment(text: string): Sql {
  return { [BRAND]: true, text };
}

export function isSql(v: unknown): v is Sql {
  return typeof v === 'object' && v !== null && (v as Sql)[BRAND] === true;
}

// Inside a single-quoted ClickHouse literal, a backslash starts an escape sequence, so both
// the quote and the backslash must be escaped; control characters are escaped so a query
// log stays one line per query. NUL is escaped too: it is legal in ClickHouse strings.
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
};

/** Escapes a string as a single-quoted ClickHouse literal. */
export function quoteString(s: string): string {
  return `'${s.replace(/[\\'\n\r\t\0\b\f]/g, (c) => ESCAPES[c] as string)}'`;
}

/** Turns one value into a SQL literal. Throws on values that have no safe literal. */
export function literal(v: SqlValue): string {
  if (isSql(v)) return v.text;
  if (v === null) return 'NULL';
  if (typeof v === 'string') return quoteString(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`cannot put ${v} into SQL`);
    // Integers exactly, however large (toFixed and String switch to exponent form at 1e21).
    return Number.isInteger(v) ? BigInt(v).toString() : String(v);
  }
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new TypeError('cannot put an invalid Date into SQL');
    return v.getTime().toFixed(0);
  }
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  throw new TypeError(`cannot put a ${typeof v} into SQL`);
}

/** Tagged template: sql`SELECT … WHERE school_id = ${id}` escapes every interpolation. */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): Sql {
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    text += literal(values[i] as SqlValue) + (strings[i + 1] ?? '');
  }
  return fragment(text);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A table, column or database name. Only plain identifiers are accepted, never quoted. */
export function ident(name: string): Sql {
  if (!IDENT.test(name)) throw new TypeError(`not a plain identifier: ${JSON.stringify(name)}`);
  return fragment(name);
}

/** `expr IN (a, b, c)`; with no values a condition that is false (ClickHouse has no `IN ()`). */
export function isIn(expr: Sql, values: readonly SqlValue[]): Sql {
  if (values.length === 0) return fragment('0');
  return fragment(`${expr.text} IN (${values.map(literal).join(', ')})`);
}

/** Joins fragments with a separator. */
export function join(parts: readonly Sql[], separator = ', '): Sql {
  return fragment(parts.map((p) => p.text).join(separator));
}

/** Trusted SQL text written in this code base (DDL files), never user input. */
export function trusted(text: string): Sql {
  return fragment(text);
}

export const empty: Sql = fragment('');
