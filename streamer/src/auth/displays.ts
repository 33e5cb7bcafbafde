import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import {
  DIMENSIONS,
  displaysLastSeen,
  insertDisplayVersion,
  loadDisplays,
  parseScope,
  recordDisplaySeen,
  type DisplayRow,
  type DisplaySeen,
  type Store,
} from '@edu/analytics';
import { systemClock, type Clock } from '../clock.ts';
import type { Refusal } from '../errors.ts';
import type { Geography } from '../geo.ts';
import type { SharedState } from '../shared/state.ts';
import { announce, announced, readVersion, type VersionAnnounced } from '../shared/versioned.ts';
import { keyOfToken, SESSIONS_CHANNEL, type SessionsEnded } from './sessions.ts';
import type { User } from './user.ts';

// Wall displays (issue 12), after Grafana's kiosk mode and TV pairing codes. An administrator
// registers a display (name, pinned scope, rotation, sound) and gets a short pairing code; the
// wall posts the code (no login) and gets a long-lived, read-only credential bound to that
// scope. The credential is 256 random bits of which only the SHA-256 is stored (ClickHouse,
// migration 016), so it survives restarts of the streamer and of Redis; every instance keeps the
// displays in memory and reloads one when another instance announces a change on
// DISPLAYS_CHANNEL. It never expires; revoking it is a new version, and the revocation is also
// announced on SESSIONS_CHANNEL as `display:<id>`, so every instance cuts the display's open
// socket with the sessions' own mechanism (live/hub.ts).
//
// Codes live in SharedState only (they are worth nothing after 15 minutes): the record, keyed by
// the code's hash, says which display, until when, and is kept a day longer than it is valid
// so that an expired or used code is refused as such, not as a wrong one. A code is used once:
// SET NX on its `used` key decides between two walls posting it at once.

export const DISPLAYS_CHANNEL = 'displays:changed';

/** No 0/O, 1/I/L: a code read across a room and typed on a wall's keyboard. */
export const PAIRING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const PAIRING_CODE_LENGTH = 6;
export const PAIRING_CODE_TTL_MS = 15 * 60_000;
/** How long an expired or used code is still recognised (to say so) before it is forgotten. */
const CODE_MEMORY_MS = 24 * 3_600_000;
/** Heartbeats (the socket sweep) are kept in SharedState; ClickHouse gets a row on a new build or hourly. */
const SEEN_TTL_MS = 90 * 86_400_000;
const SEEN_STORE_EVERY_MS = 3_600_000;
/** A display credential, told apart from a session token by its prefix. */
const TOKEN_PREFIX = 'edu_dsp_';

/** The user id a display's sockets and audit entries carry. */
export const displayPrincipal = (displayId: string) => `display:${displayId}`;

/**
 * A display as the routes and the hub see a signed-in principal: it reads like a leader, but only
 * its pinned scope and what lies within it (user.ts `scopeRefusal`, `canSeeItem`), and it can
 * never write (http/auth.ts `displayReadOnly`, `isDecider`).
 */
export function displayUser(d: DisplayRow, geo: Geography): User {
  const pinned = parseScope(d.scope);
  const district = 'error' in pinned ? null : geo.districtOf(pinned);
  return {
    user_id: displayPrincipal(d.display_id),
    phone: '',
    name: d.name,
    role: 'leader',
    dimensions: [...DIMENSIONS],
    districts: district ? [district] : [],
    must_change_password: false,
    disabled: d.revoked,
    version: d.version,
    display: { display_id: d.display_id, scope: d.scope, district, rotate: d.rotate, sound: d.sound },
  };
}

export type DisplayState = 'pending' | 'paired' | 'revoked';

export const displayState = (d: DisplayRow): DisplayState =>
  d.revoked ? 'revoked' : d.token_hash === '' ? 'pending' : 'paired';

export interface DisplayInput {
  name: string;
  scope: string;
  rotate: boolean;
  sound: boolean;
}

interface CodeRecord {
  d: string;
  /** Valid until (ms). */
  x: number;
}

const codeHash = (code: string) => createHash('sha256').update(`pair:${code}`).digest('hex');

export function newPairingCode(): string {
  let s = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) s += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
  return s;
}

/** A typed code as the server compares it: upper case, spaces and dashes dropped. */
export const normalizeCode = (raw: string) => raw.toUpperCase().replace(/[\s-]/g, '');

export class DisplayDirectory {
  private readonly byId = new Map<string, DisplayRow>();
  /** Last seen as this instance knows it from ClickHouse (loaded at start) and its own writes. */
  private readonly stored = new Map<string, DisplaySeen>();
  private unsubscribe: (() => Promise<void>) | null = null;
  private readonly listeners = new Set<(d: DisplayRow) => void>();

  constructor(
    private readonly store: Store,
    private readonly shared: SharedState,
    private readonly clock: Clock = systemClock,
  ) {}

  async start(): Promise<void> {
    for (const d of await loadDisplays(this.store)) this.byId.set(d.display_id, d);
    for (const [id, seen] of await displaysLastSeen(this.store)) this.stored.set(id, seen);
    this.unsubscribe = await this.shared.subscribe(DISPLAYS_CHANNEL, (m) => void this.reload(announced(m)));
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
  }

  onChange(listener: (d: DisplayRow) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async reload({ id, version }: VersionAnnounced): Promise<void> {
    // Until this instance's replica has the version written (shared/versioned.ts).
    const row = await readVersion(async () => (await loadDisplays(this.store, id))[0], version);
    if (!row) return;
    const cur = this.byId.get(id);
    if (cur && cur.version > row.version) return;
    this.byId.set(id, row);
    for (const l of this.listeners) l(row);
  }

  get(id: string): DisplayRow | null {
    return this.byId.get(id) ?? null;
  }

  list(): DisplayRow[] {
    return [...this.byId.values()].sort((a, b) => a.created_ms - b.created_ms || a.name.localeCompare(b.name));
  }

  /** The paired, unrevoked display a credential's hash belongs to, or null. */
  byKey(key: string): DisplayRow | null {
    for (const d of this.byId.values()) if (!d.revoked && d.token_hash !== '' && d.token_hash === key) return d;
    return null;
  }

  /** The display of a credential, or null (a session token, an unknown or revoked credential). */
  resolve(token: string): DisplayRow | null {
    if (!token.startsWith(TOKEN_PREFIX) || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    return this.byKey(keyOfToken(token));
  }

  private async write(row: DisplayRow): Promise<DisplayRow> {
    await insertDisplayVersion(this.store, row);
    this.byId.set(row.display_id, row);
    for (const l of this.listeners) l(row);
    await this.shared.publish(DISPLAYS_CHANNEL, announce(row.display_id, row.version));
    return row;
  }

  private next(cur: DisplayRow, by: string): DisplayRow {
    const now = this.clock.now();
    return { ...cur, version: Math.max(cur.version + 1, now), updated_ms: now, updated_by: by };
  }

  /** Registers a display; the answer carries its first pairing code. */
  async register(input: DisplayInput, by: string): Promise<{ display: DisplayRow; code: string; expires_ms: number }> {
    const now = this.clock.now();
    const row: DisplayRow = {
      display_id: `dsp-${randomUUID().slice(0, 8)}`,
      version: now,
      updated_ms: now,
      updated_by: by,
      ...input,
      token_hash: '',
      paired_ms: 0,
      created_ms: now,
      created_by: by,
      revoked: false,
      revoked_ms: 0,
      revoked_by: '',
    };
    await this.write(row);
    return { display: row, ...(await this.issueCode(row.display_id)) };
  }

  /**
   * A new pairing code for a display (the wall PC was replaced, or the first code expired).
   * Any earlier code of the display stops working; its credential, if paired, stays valid
   * until the new code is used.
   */
  async issueCode(id: string): Promise<{ code: string; expires_ms: number }> {
    const code = newPairingCode();
    const expires = this.clock.now() + PAIRING_CODE_TTL_MS;
    const previous = await this.shared.get(`display:code-of:${id}`);
    if (previous) await this.shared.del(`display:code:${previous}`);
    const rec: CodeRecord = { d: id, x: expires };
    await this.shared.set(`display:code:${codeHash(code)}`, JSON.stringify(rec), CODE_MEMORY_MS);
    await this.shared.set(`display:code-of:${id}`, codeHash(code), CODE_MEMORY_MS);
    return { code, expires_ms: expires };
  }

  /**
   * Pairs with a code: the display's new credential (in clear, this once), or why not. A display
   * paired again (a new code) gets a new credential, and the old one's sockets are cut.
   */
  async pair(raw: string): Promise<{ token: string; display: DisplayRow } | Refusal> {
    const code = normalizeCode(raw);
    const hash = codeHash(code);
    const stored = await this.shared.get(`display:code:${hash}`);
    let rec: CodeRecord | null = null;
    try {
      rec = stored ? (JSON.parse(stored) as CodeRecord) : null;
    } catch {
      rec = null;
    }
    const cur = rec ? this.byId.get(rec.d) : undefined;
    if (!rec || !cur) return { code: 'pairing_code_wrong', message: 'no such pairing code' };
    if (cur.revoked) return { code: 'display_revoked', message: 'the display was revoked' };
    if (await this.shared.get(`display:code-used:${hash}`))
      return { code: 'pairing_code_used', message: 'the pairing code was used already' };
    if (this.clock.now() > rec.x) return { code: 'pairing_code_expired', message: 'the pairing code expired' };
    if (!(await this.shared.setIfAbsent(`display:code-used:${hash}`, '1', CODE_MEMORY_MS)))
      return { code: 'pairing_code_used', message: 'the pairing code was used already' };
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const wasPaired = cur.token_hash !== '';
    const display = await this.write({
      ...this.next(cur, cur.display_id),
      token_hash: keyOfToken(token),
      paired_ms: now,
    });
    if (wasPaired) await this.announceEnded(cur.display_id);
    return { token, display };
  }

  /** Revokes a display: its credential stops working and its sockets are cut on every instance. */
  async revoke(id: string, by: string): Promise<DisplayRow | null> {
    const cur = this.byId.get(id);
    if (!cur) return null;
    if (cur.revoked) return cur;
    const now = this.clock.now();
    const row = await this.write({ ...this.next(cur, by), revoked: true, revoked_ms: now, revoked_by: by });
    const codeOf = await this.shared.get(`display:code-of:${id}`);
    if (codeOf) await this.shared.del(`display:code:${codeOf}`);
    await this.announceEnded(id);
    return row;
  }

  /** The sockets of a display are cut wherever they are (the sessions' channel, hub.ts). */
  private announceEnded(id: string): Promise<void> {
    const msg: SessionsEnded = { user: displayPrincipal(id) };
    return this.shared.publish(SESSIONS_CHANNEL, JSON.stringify(msg));
  }

  /**
   * The display is connected (with the screen build it runs): a heartbeat in SharedState, and a
   * row in ClickHouse (display_seen, never a version of the display: a heartbeat cannot undo a
   * revocation) when the build changed or none was written for an hour.
   */
  async seen(id: string, build: string | null): Promise<void> {
    const cur = this.byId.get(id);
    if (!cur || cur.revoked) return;
    const now = this.clock.now();
    const last = this.stored.get(id);
    const seen: DisplaySeen = { ms: now, build: build ?? last?.build ?? '' };
    await this.shared.set(`display:seen:${id}`, JSON.stringify(seen), SEEN_TTL_MS);
    if (!last || last.build !== seen.build || now - last.ms > SEEN_STORE_EVERY_MS) {
      this.stored.set(id, seen);
      await recordDisplaySeen(this.store, id, seen);
    }
  }

  /** Last seen and build: the later of the heartbeat (SharedState) and what ClickHouse had. */
  async lastSeen(d: DisplayRow): Promise<DisplaySeen> {
    let beat: DisplaySeen | null = null;
    try {
      const raw = await this.shared.get(`display:seen:${d.display_id}`);
      beat = raw ? (JSON.parse(raw) as DisplaySeen) : null;
    } catch {
      beat = null; // Redis down or a stray value: what ClickHouse has
    }
    const stored = this.stored.get(d.display_id) ?? { ms: 0, build: '' };
    return beat && beat.ms > stored.ms ? beat : stored;
  }
}
