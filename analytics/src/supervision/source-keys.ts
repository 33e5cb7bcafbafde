import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';

// Source keys of the HTTP intake (contract v1.1; migration 013): an administrator issues a key
// for a system that posts events, bound to the schools it may speak for or to all of them
// ("*": the bureau's own systems, the simulator). Only the key's SHA-256 is stored — a key is
// 256 random bits, so a plain hash cannot be reversed or guessed and is cheap to check per
// request — and the key itself is handed out once, at issue. Versioned like users: a
// revocation is a new version, the latest version per key_id is the key.

/** Bound to every school, registry entities without a school included. */
export const ALL_SCHOOLS = '*';

const KEY_PREFIX = 'edu_sk_';

export interface SourceKeyRow {
  key_id: string;
  version: number;
  updated_ms: number;
  updated_by: string;
  /** What the key is for, e.g. "一中闸机系统". */
  name: string;
  /** SHA-256 of the key, hex. */
  key_hash: string;
  /** The key's first characters, so an administrator can tell keys apart; never enough to use. */
  key_hint: string;
  /** School ids, or [ALL_SCHOOLS]. */
  schools: string[];
  created_ms: number;
  created_by: string;
  revoked: boolean;
  revoked_ms: number;
  revoked_by: string;
}

export const hashSourceKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** Equal hashes, compared in constant time (both are 64 hex characters). */
export function sameKeyHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Whether a key may post an event of this school. An event with no school (registry districts,
 * zones, providers: city-wide master data no school owns) is for an all-schools key only.
 */
export function sourceKeyAllows(key: Pick<SourceKeyRow, 'schools'>, schoolId: string | undefined): boolean {
  if (key.schools.includes(ALL_SCHOOLS)) return true;
  return schoolId !== undefined && schoolId !== '' && key.schools.includes(schoolId);
}

export interface IssuedSourceKey {
  /** The key in clear: shown once, stored nowhere. */
  key: string;
  row: SourceKeyRow;
}

export async function issueSourceKey(
  store: Store,
  o: { name: string; schools: readonly string[]; by: string; now: number },
): Promise<IssuedSourceKey> {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  const schools = o.schools.includes(ALL_SCHOOLS) ? [ALL_SCHOOLS] : [...new Set(o.schools)].sort();
  const row: SourceKeyRow = {
    key_id: `sk-${randomBytes(8).toString('hex')}`,
    version: 1,
    updated_ms: o.now,
    updated_by: o.by,
    name: o.name,
    key_hash: hashSourceKey(key),
    key_hint: key.slice(0, KEY_PREFIX.length + 4),
    schools,
    created_ms: o.now,
    created_by: o.by,
    revoked: false,
    revoked_ms: 0,
    revoked_by: '',
  };
  await insertSourceKeyVersion(store, row);
  return { key, row };
}

/** Revokes a key (a new version); null for an unknown key, the row as it was for one already revoked. */
export async function revokeSourceKey(
  store: Store,
  keyId: string,
  o: { by: string; now: number },
): Promise<SourceKeyRow | null> {
  const [cur] = await loadSourceKeys(store, keyId);
  if (!cur) return null;
  if (cur.revoked) return cur;
  const next: SourceKeyRow = {
    ...cur,
    version: cur.version + 1,
    updated_ms: o.now,
    updated_by: o.by,
    revoked: true,
    revoked_ms: o.now,
    revoked_by: o.by,
  };
  await insertSourceKeyVersion(store, next);
  return next;
}

async function insertSourceKeyVersion(store: Store, r: SourceKeyRow): Promise<void> {
  await store.insert('source_keys', [{ ...r, revoked: r.revoked ? 1 : 0 }]);
}

/** Latest version of every key (or of one), revoked ones included. */
export async function loadSourceKeys(store: Store, keyId?: string): Promise<SourceKeyRow[]> {
  const where = keyId === undefined ? sql`1` : sql`key_id = ${keyId}`;
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT key_id, v, l_updated_ms, l_updated_by, l_name, l_hash, l_hint, l_schools, l_created_ms, l_created_by,
           l_revoked, l_revoked_ms, l_revoked_by
    FROM (
      SELECT key_id, max(version) AS v,
             argMax(updated_ms, version) AS l_updated_ms, argMax(updated_by, version) AS l_updated_by,
             argMax(name, version) AS l_name, argMax(key_hash, version) AS l_hash,
             argMax(key_hint, version) AS l_hint, argMax(schools, version) AS l_schools,
             argMax(created_ms, version) AS l_created_ms, argMax(created_by, version) AS l_created_by,
             argMax(revoked, version) AS l_revoked, argMax(revoked_ms, version) AS l_revoked_ms,
             argMax(revoked_by, version) AS l_revoked_by
      FROM source_keys WHERE ${where} GROUP BY key_id
    ) ORDER BY l_created_ms, key_id`);
  return rows.map((r) => ({
    key_id: String(r.key_id),
    version: num(r.v),
    updated_ms: num(r.l_updated_ms),
    updated_by: String(r.l_updated_by),
    name: String(r.l_name),
    key_hash: String(r.l_hash),
    key_hint: String(r.l_hint),
    schools: (r.l_schools as unknown[]).map(String),
    created_ms: num(r.l_created_ms),
    created_by: String(r.l_created_by),
    revoked: num(r.l_revoked) === 1,
    revoked_ms: num(r.l_revoked_ms),
    revoked_by: String(r.l_revoked_by),
  }));
}

/** Records that keys were used (ingest calls it at most once a minute per key). */
export async function recordSourceKeyUses(store: Store, uses: ReadonlyMap<string, number>): Promise<void> {
  if (uses.size === 0) return;
  await store.insert(
    'source_key_uses',
    [...uses].map(([key_id, used_ms]) => ({ key_id, used_ms })),
  );
}

/** When each key was last used (keys never used are absent). */
export async function sourceKeyLastUses(store: Store): Promise<Map<string, number>> {
  const rows = await store.query<{ key_id: string; last: unknown }>(
    sql`SELECT key_id, max(used_ms) AS last FROM source_key_uses GROUP BY key_id`,
  );
  return new Map(rows.map((r) => [String(r.key_id), num(r.last)]));
}
