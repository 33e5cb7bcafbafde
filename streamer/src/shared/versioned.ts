import { setTimeout as sleep } from 'node:timers/promises';

// Users and wall displays live in ClickHouse (append-only, latest version wins) and in each
// instance's memory. The instance that changes one announces it on a Redis channel; the others
// read it back from ClickHouse. In a cluster each instance reads through its own replica, and
// replication is asynchronous: the writer's insert may not have reached that replica yet, and
// a single read would cache the old version for good (seen in the cluster fault suite: a
// password changed through one streamer left the others refusing the new session with
// "password_change_required"). So the announcement carries the version written, and the
// reader reads again until it has that version.

/** What a writer publishes: the record's id and the version it wrote. */
export interface VersionAnnounced {
  id: string;
  version: number;
}

export function announce(id: string, version: number): string {
  return JSON.stringify({ id, version } satisfies VersionAnnounced);
}

/** A message from an older instance is the bare id: read it once, as it did. */
export function announced(message: string): VersionAnnounced {
  if (message.startsWith('{')) {
    try {
      const m = JSON.parse(message) as Partial<VersionAnnounced>;
      if (typeof m.id === 'string' && typeof m.version === 'number') return { id: m.id, version: m.version };
    } catch {
      // not JSON after all: a bare id that starts with a brace
    }
  }
  return { id: message, version: 0 };
}

/**
 * Reads a record until it has at least `version`, backing off from 50 ms to 2 s, for up to
 * `patienceMs` (a replica that stays behind longer is down or cut off from ZooKeeper; what
 * it has then is the best there is). Returns the last row read (undefined: none).
 */
export async function readVersion<R extends { version: number }>(
  read: () => Promise<R | undefined>,
  version: number,
  patienceMs = 30_000,
): Promise<R | undefined> {
  const until = Date.now() + patienceMs;
  let last: R | undefined;
  for (let wait = 50; ; wait = Math.min(wait * 2, 2_000)) {
    last = (await read().catch(() => undefined)) ?? last;
    if ((last && last.version >= version) || Date.now() + wait > until) return last;
    await sleep(wait);
  }
}
