import type { Store } from '../clickhouse/store.ts';
import type { ChangeSignal } from '../live/changes.ts';
import { sessionFiguresEffect } from '../live/affects.ts';
import { isDue } from './definitions.ts';
import { momentOf } from './moment.ts';
import { asOfBySchool, newestOf } from './queries/as-of.ts';
import { schoolsMovedBy } from './queries/day-sessions.ts';
import { sessionFigures, type SessionFigures } from './queries/session-figures.ts';
import { formatScope, type Scope } from './scope.ts';

// A day's session figures for the live path, kept exact and cheap. A city's figures are a read
// of the day's million check-ins joined with the term's enrollments (hundreds of ms); a change
// signal names the schools whose rows landed, and the events of a school move only the sessions
// they name. So each (scope, day) keeps its last rows per session, and on the next read asks
// ClickHouse again only for the schools named since, widened by the schools whose sessions
// their events name (schoolsMovedBy: a check-in sent under another school's name), each
// session with exactly the figures a whole-scope read would give.
// A signal of a table whose rows move figures across schools (the schedule, enrollments, the
// registry, decisions: affects.ts) drops the whole entry, and so does a minute's age (fullEveryMs):
// a signal lost on its way is not a figure wrong for the rest of the day.
//
// Time: rows are read at a moment T0 (now). The due flags are recomputed for each read's T
// (isDue); a session's `*_by_t` figures equal its day figures for any T ≥ T0 when every event it
// counts has ts ≤ T0 (`latest_ms`). A session with a later event (a device clock ahead) is
// re-read on every call until T passes it.

export interface DayFigures {
  /** Every scheduled session of the scope, at the moment asked for. */
  figures: SessionFigures[];
  /** The newest source time among the scope's events of the day (asOfBySchool), or null. */
  asOf: number | null;
}

export interface FiguresCacheOptions {
  /** More schools named than this since the last read: the whole scope is read again (one query is cheaper than a long IN list). */
  narrowMax?: number;
  /** Entries (scope and day) kept; the least recently read is dropped first. */
  maxEntries?: number;
  /**
   * A whole-scope read at least this often (wall-clock ms): a change signal lost on its way
   * (Redis down) leaves a school's figures behind for at most this long.
   */
  fullEveryMs?: number;
}

interface Entry {
  scope: Scope;
  day: string;
  /** Rows by session id, with the T they were read at. */
  rows: Map<string, { f: SessionFigures; readAt: number }>;
  asOf: Map<string, number>;
  /** Schools to read again; `all`: the whole scope (also before the first read). */
  dirty: Set<string>;
  all: boolean;
  /** When the last whole-scope read was taken (Date.now()). */
  fullAt: number;
  /** Reads of one entry run one after another, so none uses rows another is replacing. */
  queue: Promise<unknown>;
}

export interface FiguresCache {
  /** The scope's figures on `day` as of `now` (every event stored, as momentOf without `at`). */
  read(scope: Scope, day: string, now: number): Promise<DayFigures>;
  /** A change signal: marks what it moves for the next read. */
  changed(signal: Pick<ChangeSignal, 'tables' | 'schools'>): void;
  /** Drops everything (e.g. the term facts changed). */
  clear(): void;
  /** What the last reads cost, for benchmarks and logs. */
  stats(): { fullReads: number; narrowReads: number; schoolsRead: number };
}

export function createFiguresCache(store: Store, opts: FiguresCacheOptions = {}): FiguresCache {
  const narrowMax = opts.narrowMax ?? 200;
  const maxEntries = opts.maxEntries ?? 64;
  const fullEveryMs = opts.fullEveryMs ?? 60_000;
  const entries = new Map<string, Entry>();
  const stats = { fullReads: 0, narrowReads: 0, schoolsRead: 0 };

  const entryOf = (scope: Scope, day: string): Entry => {
    const key = `${formatScope(scope)}|${day}`;
    let e = entries.get(key);
    if (e) entries.delete(key);
    else {
      e = {
        scope,
        day,
        rows: new Map(),
        asOf: new Map(),
        dirty: new Set(),
        all: true,
        fullAt: 0,
        queue: Promise.resolve(),
      };
    }
    entries.set(key, e); // most recently used last
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    return e;
  };

  async function movedBy(only: readonly string[], day: string): Promise<string[]> {
    const rows = await store.query<{ school_id: string }>(schoolsMovedBy(only, day));
    return [...new Set([...only, ...rows.map((r) => String(r.school_id))])];
  }

  async function refresh(e: Entry, now: number): Promise<DayFigures> {
    const m = momentOf(e.day, now);
    // A session with an event after the moment it was read at, or after this read's moment (a
    // caller's clock behind another's): its *_by_t figures are read again.
    for (const { f, readAt } of e.rows.values()) if (f.latest_ms > Math.min(readAt, m.t)) e.dirty.add(f.school_id);
    // Taken before the read: a signal that lands while it runs marks the entry for the next.
    const full = e.all || e.dirty.size > narrowMax || Date.now() - e.fullAt >= fullEveryMs;
    const only = full ? undefined : [...e.dirty];
    e.all = false;
    e.dirty.clear();
    if (full || only!.length > 0) {
      try {
        // The schools named, and those whose sessions their events name (sent under another's name).
        const schools = full ? undefined : await movedBy(only!, e.day);
        const [figures, asOf] = await Promise.all([
          sessionFigures(store, e.scope, e.day, m, schools),
          asOfBySchool(store, e.scope, e.day, null, schools),
        ]);
        if (full) {
          e.fullAt = Date.now();
          e.rows.clear();
          e.asOf.clear();
          stats.fullReads++;
        } else {
          const named = new Set(schools);
          for (const [id, r] of e.rows) if (named.has(r.f.school_id)) e.rows.delete(id);
          for (const s of named) e.asOf.delete(s);
          stats.narrowReads++;
          stats.schoolsRead += named.size;
        }
        for (const f of figures) e.rows.set(f.session_id, { f, readAt: m.t });
        for (const [s, t] of asOf) e.asOf.set(s, t);
      } catch (err) {
        e.all = true;
        throw err;
      }
    }
    // A row is copied only when its due flags change (twice a day at most while time runs on):
    // a copy of every row on every read was a city's 30,000 objects each time, for the GC.
    const figures: SessionFigures[] = [];
    for (const r of e.rows.values()) {
      const dueStart = isDue(r.f.planned_start_ms, m.t);
      const dueEnd = isDue(r.f.planned_end_ms, m.t);
      if (r.f.due_start !== dueStart || r.f.due_end !== dueEnd) r.f = { ...r.f, due_start: dueStart, due_end: dueEnd };
      figures.push(r.f);
    }
    return { figures, asOf: newestOf(e.asOf) };
  }

  return {
    read(scope, day, now) {
      const e = entryOf(scope, day);
      const next = e.queue.then(() => refresh(e, now));
      e.queue = next.catch(() => undefined);
      return next;
    },
    changed(signal) {
      const effect = sessionFiguresEffect(signal);
      if (effect.kind === 'none') return;
      for (const e of entries.values()) {
        if (effect.kind === 'all') e.all = true;
        else for (const s of effect.schools) e.dirty.add(s);
      }
    },
    clear() {
      for (const e of entries.values()) e.all = true;
    },
    stats: () => ({ ...stats }),
  };
}
