import { sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import type { Dimension, Role } from '../contract/supervision.ts';

// Users of the bureau's system, append-only (migration 004): each change is a new row with a
// higher version; the latest version per user is the user.

export interface UserRow {
  user_id: string;
  version: number;
  updated_ms: number;
  updated_by: string;
  phone: string;
  name: string;
  role: Role;
  dimensions: Dimension[];
  districts: string[];
  password_hash: string;
  must_change_password: boolean;
  disabled: boolean;
}

export async function insertUserVersion(store: Store, u: UserRow): Promise<void> {
  await store.insert('users', [
    { ...u, must_change_password: u.must_change_password ? 1 : 0, disabled: u.disabled ? 1 : 0 },
  ]);
}

/** Latest version of every user (or of one). */
export async function loadUsers(store: Store, userId?: string): Promise<UserRow[]> {
  const where = userId === undefined ? sql`1` : sql`user_id = ${userId}`;
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT user_id, v AS version, l_updated_ms AS updated_ms, l_updated_by AS updated_by, l_phone AS phone,
           l_name AS name, l_role AS role, l_dimensions AS dimensions, l_districts AS districts,
           l_hash AS password_hash, l_must AS must_change_password, l_disabled AS disabled
    FROM (
      SELECT user_id, max(version) AS v,
             argMax(updated_ms, version) AS l_updated_ms, argMax(updated_by, version) AS l_updated_by,
             argMax(phone, version) AS l_phone, argMax(name, version) AS l_name,
             argMax(role, version) AS l_role, argMax(dimensions, version) AS l_dimensions,
             argMax(districts, version) AS l_districts, argMax(password_hash, version) AS l_hash,
             argMax(must_change_password, version) AS l_must, argMax(disabled, version) AS l_disabled
      FROM users WHERE ${where} GROUP BY user_id
    ) ORDER BY user_id`);
  return rows.map((r) => ({
    user_id: String(r.user_id),
    version: num(r.version),
    updated_ms: num(r.updated_ms),
    updated_by: String(r.updated_by),
    phone: String(r.phone),
    name: String(r.name),
    role: String(r.role) as Role,
    dimensions: r.dimensions as string[] as Dimension[],
    districts: r.districts as string[],
    password_hash: String(r.password_hash),
    must_change_password: num(r.must_change_password) === 1,
    disabled: num(r.disabled) === 1,
  }));
}
