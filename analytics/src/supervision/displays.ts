import { sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';

// Wall displays (issue 12; migration 016): registered by an administrator with a name, a pinned
// scope and the wall's rotation and sound options, paired once with a short code, then holding a
// read-only credential of which only the SHA-256 is stored here. Versioned like users: the latest
// version per display_id is the display.

export interface DisplayRow {
  display_id: string;
  version: number;
  updated_ms: number;
  updated_by: string;
  name: string;
  /** The pinned scope: city, district:<id>, zone:<id> or school:<id>. */
  scope: string;
  rotate: boolean;
  sound: boolean;
  /** SHA-256 (hex) of the current credential; '' until paired. */
  token_hash: string;
  paired_ms: number;
  created_ms: number;
  created_by: string;
  revoked: boolean;
  revoked_ms: number;
  revoked_by: string;
}

/** When a display was last seen, and the screen build it reported then. */
export interface DisplaySeen {
  ms: number;
  build: string;
}

export async function insertDisplayVersion(store: Store, d: DisplayRow): Promise<void> {
  await store.insert('displays', [
    { ...d, rotate: d.rotate ? 1 : 0, sound: d.sound ? 1 : 0, revoked: d.revoked ? 1 : 0 },
  ]);
}

/**
 * Latest version of every display (or of one), revoked ones included. A revocation is final:
 * a later version (a pairing racing the revocation) cannot bring the display back.
 */
export async function loadDisplays(store: Store, displayId?: string): Promise<DisplayRow[]> {
  const where = displayId === undefined ? sql`1` : sql`display_id = ${displayId}`;
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT display_id, v, l_updated_ms, l_updated_by, l_name, l_scope, l_rotate, l_sound, l_hash, l_paired_ms,
           l_created_ms, l_created_by, l_revoked, l_revoked_ms, l_revoked_by
    FROM (
      SELECT display_id, max(version) AS v,
             argMax(updated_ms, version) AS l_updated_ms, argMax(updated_by, version) AS l_updated_by,
             argMax(name, version) AS l_name, argMax(scope, version) AS l_scope,
             argMax(rotate, version) AS l_rotate, argMax(sound, version) AS l_sound,
             argMax(token_hash, version) AS l_hash, argMax(paired_ms, version) AS l_paired_ms,
             argMax(created_ms, version) AS l_created_ms, argMax(created_by, version) AS l_created_by,
             max(revoked) AS l_revoked, max(revoked_ms) AS l_revoked_ms,
             argMax(revoked_by, revoked_ms) AS l_revoked_by
      FROM displays WHERE ${where} GROUP BY display_id
    ) ORDER BY l_created_ms, display_id`);
  return rows.map((r) => ({
    display_id: String(r.display_id),
    version: num(r.v),
    updated_ms: num(r.l_updated_ms),
    updated_by: String(r.l_updated_by),
    name: String(r.l_name),
    scope: String(r.l_scope),
    rotate: num(r.l_rotate) === 1,
    sound: num(r.l_sound) === 1,
    token_hash: String(r.l_hash),
    paired_ms: num(r.l_paired_ms),
    created_ms: num(r.l_created_ms),
    created_by: String(r.l_created_by),
    revoked: num(r.l_revoked) === 1,
    revoked_ms: num(r.l_revoked_ms),
    revoked_by: String(r.l_revoked_by),
  }));
}

/** Records that a display was seen, running this screen build. */
export async function recordDisplaySeen(store: Store, displayId: string, seen: DisplaySeen): Promise<void> {
  await store.insert('display_seen', [{ display_id: displayId, seen_ms: seen.ms, build: seen.build }]);
}

/** When each display was last seen, and its build then (displays never seen are absent). */
export async function displaysLastSeen(store: Store): Promise<Map<string, DisplaySeen>> {
  const rows = await store.query<{ display_id: string; last: unknown; build: string }>(
    sql`SELECT display_id, max(seen_ms) AS last, argMax(build, seen_ms) AS build FROM display_seen GROUP BY display_id`,
  );
  return new Map(rows.map((r) => [String(r.display_id), { ms: num(r.last), build: String(r.build) }]));
}
