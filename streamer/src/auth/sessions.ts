import { createHash, randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../clock.ts';
import type { SharedState } from '../shared/state.ts';

// Opaque random session tokens with a TTL in SharedState. Only a hash of the token is used as
// the key, so a dump of Redis does not hand out sessions.
//
// Each user has a session epoch (a random value in SharedState): a session records the epoch
// it was issued under and is valid only while that is still the user's epoch. Ending all of a
// user's sessions — password change, disable, role or scope change — is one write of a new
// epoch, on every instance at once, and nothing brings the old sessions back (re-enabling a
// user does not restore the epoch). A session issued while the user was still on the initial
// password is marked `initial`: it may only change the password (http/auth.ts), and the change
// ends it with the others.
// Ended sessions are announced on SESSIONS_CHANNEL so every instance cuts their sockets.

export const SESSIONS_CHANNEL = 'sessions:ended';

/** Epochs outlive every session (at most 30 days); they are not meant to expire at all. */
const EPOCH_TTL_MS = 10 * 365 * 86_400_000;

export interface Session {
  userId: string;
  /** Issued under the initial password: may only change it. */
  initial: boolean;
  /** The hash of the token: the session's key, safe to keep with a socket. */
  key: string;
}

interface Stored {
  u: string;
  e: string;
  i: 0 | 1;
}

/** What SESSIONS_CHANNEL carries: one session of a user ended (`key`), or all of them. */
export interface SessionsEnded {
  user: string;
  key?: string;
}

export const keyOfToken = (token: string) => createHash('sha256').update(token).digest('hex');
const sessionKey = (key: string) => `session:${key}`;
const epochKey = (userId: string) => `session:epoch:${userId}`;

export class Sessions {
  /**
   * `clock` is the real clock: a session's `expires_at` is a moment of the real world even
   * when the city runs on a simulated clock (the embedded default).
   */
  constructor(
    private readonly shared: SharedState,
    private readonly ttlMs: number,
    private readonly clock: Clock = systemClock,
  ) {}

  private async epoch(userId: string): Promise<string> {
    const cur = await this.shared.get(epochKey(userId));
    if (cur) return cur;
    const fresh = randomBytes(12).toString('base64url');
    if (await this.shared.setIfAbsent(epochKey(userId), fresh, EPOCH_TTL_MS)) return fresh;
    return (await this.shared.get(epochKey(userId))) ?? fresh;
  }

  async create(
    userId: string,
    opts: { initial?: boolean } = {},
  ): Promise<{ token: string; expires_in: number; expires_at: string }> {
    const token = randomBytes(32).toString('base64url');
    const stored: Stored = { u: userId, e: await this.epoch(userId), i: opts.initial ? 1 : 0 };
    await this.shared.set(sessionKey(keyOfToken(token)), JSON.stringify(stored), this.ttlMs);
    return {
      token,
      expires_in: Math.round(this.ttlMs / 1000),
      expires_at: new Date(this.clock.now() + this.ttlMs).toISOString(),
    };
  }

  /** The live session of a token, or null. */
  async resolve(token: string): Promise<Session | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    return this.resolveKey(keyOfToken(token));
  }

  /** The live session under a token hash (a socket keeps the hash, never the token). */
  async resolveKey(key: string): Promise<Session | null> {
    const raw = await this.shared.get(sessionKey(key));
    if (!raw) return null;
    let s: Stored;
    try {
      s = JSON.parse(raw) as Stored;
    } catch {
      return null; // a session of an older format: sign in again
    }
    if (typeof s?.u !== 'string' || typeof s.e !== 'string') return null;
    const epoch = await this.shared.get(epochKey(s.u));
    if (epoch !== s.e) return null;
    return { userId: s.u, initial: s.i === 1, key };
  }

  /** Ends one session (logout). */
  async revoke(token: string): Promise<void> {
    const key = keyOfToken(token);
    const raw = await this.shared.get(sessionKey(key));
    await this.shared.del(sessionKey(key));
    let user: string | null = null;
    try {
      user = raw ? ((JSON.parse(raw) as Partial<Stored>).u ?? null) : null;
    } catch {
      /* an older format: nothing to announce */
    }
    if (user) await this.announce({ user, key });
  }

  /** Ends every session of a user, on every instance: a new epoch. */
  async endAll(userId: string): Promise<void> {
    await this.shared.set(epochKey(userId), randomBytes(12).toString('base64url'), EPOCH_TTL_MS);
    await this.announce({ user: userId });
  }

  private announce(msg: SessionsEnded): Promise<void> {
    return this.shared.publish(SESSIONS_CHANNEL, JSON.stringify(msg));
  }

  /** Calls `listener` whenever sessions end (here or on another instance). */
  onEnded(listener: (msg: SessionsEnded) => void): Promise<() => Promise<void>> {
    return this.shared.subscribe(SESSIONS_CHANNEL, (raw) => {
      try {
        listener(JSON.parse(raw) as SessionsEnded);
      } catch {
        /* not ours */
      }
    });
  }
}
