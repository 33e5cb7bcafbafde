import { createHash, randomBytes } from 'node:crypto';
import type { SharedState } from '../shared/state.ts';

// Opaque random session tokens with a TTL in SharedState. Only a hash of the token is used as
// the key, so a dump of Redis does not hand out sessions.

const keyOf = (token: string) => `session:${createHash('sha256').update(token).digest('hex')}`;

export class Sessions {
  constructor(
    private readonly shared: SharedState,
    private readonly ttlMs: number,
  ) {}

  async create(userId: string): Promise<{ token: string; expires_in: number }> {
    const token = randomBytes(32).toString('base64url');
    await this.shared.set(keyOf(token), userId, this.ttlMs);
    return { token, expires_in: Math.round(this.ttlMs / 1000) };
  }

  /** The user id of a live session, or null. */
  async resolve(token: string): Promise<string | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    return this.shared.get(keyOf(token));
  }

  async revoke(token: string): Promise<void> {
    await this.shared.del(keyOf(token));
  }
}
