import { randomUUID } from 'node:crypto';
import {
  alertOfDay,
  insertAlertVersions,
  loadAlerts,
  toShanghaiRfc3339,
  type Alert,
  type AlertCounts,
  type Candidate,
  type Store,
} from '@edu/analytics';
import type { Clock } from '../clock.ts';
import type { Geography } from '../geo.ts';
import type { SharedState } from '../shared/state.ts';

// The alerts and their lifecycle: open → acknowledged → notice_issued → resolved, and, for a
// rule that goes to its school first (学生未签退), escalated to the bureau's wall after its
// minutes (`escalated_at`). Candidates come from analytics' rules (@edu/analytics alerts), only
// once their pending period is over (evaluator.ts). Every change
// is a new version: appended to ClickHouse (alert_log), the full active set kept in
// SharedState as the hot copy, and announced on ALERTS_CHANNEL so every instance's book (and
// its screens) follows. A restarted instance reloads from the hot copy, else from ClickHouse.

export const ALERTS_CHANNEL = 'alerts:changed';
const HOT_KEY = 'alerts:hot';
const KEEP_RESOLVED_MS = 24 * 3600_000;

interface Entry {
  alert: Alert;
  version: number;
}

export type AlertListener = (alert: Alert, origin: 'local' | 'remote') => void;

export class AlertBook {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<AlertListener>();
  private readonly instance = randomUUID();
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly store: Store,
    private readonly shared: SharedState,
    private readonly clock: Clock,
    private readonly geo: () => Geography,
  ) {}

  async start(): Promise<void> {
    const hot = await this.shared.get(HOT_KEY);
    const list: Entry[] = hot
      ? (JSON.parse(hot) as Entry[])
      : (await loadAlerts(this.store, this.clock.now() - KEEP_RESOLVED_MS)).map((v) => ({
          alert: v.alert,
          version: v.version,
        }));
    for (const e of list) this.entries.set(e.alert.id, e);
    this.unsubscribe = await this.shared.subscribe(ALERTS_CHANNEL, (raw) => {
      const msg = JSON.parse(raw) as { from: string; entries: Entry[] };
      if (msg.from === this.instance) return;
      for (const e of msg.entries) {
        const cur = this.entries.get(e.alert.id);
        if (cur && cur.version >= e.version) continue;
        this.entries.set(e.alert.id, e);
        for (const l of this.listeners) l(e.alert, 'remote');
      }
    });
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
  }

  onChange(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string): Alert | null {
    return this.entries.get(id)?.alert ?? null;
  }

  all(): Alert[] {
    return [...this.entries.values()].map((e) => e.alert);
  }

  private async commit(changed: Alert[]): Promise<void> {
    if (changed.length === 0) return;
    const now = this.clock.now();
    const entries = changed.map((alert) => {
      const version = Math.max((this.entries.get(alert.id)?.version ?? 0) + 1, now);
      return { alert, version };
    });
    await insertAlertVersions(
      this.store,
      entries.map((e) => ({ ...e, ts_ms: now })),
    );
    for (const e of entries) this.entries.set(e.alert.id, e);
    this.prune(now);
    await this.shared.set(HOT_KEY, JSON.stringify([...this.entries.values()]));
    await this.shared.publish(ALERTS_CHANNEL, JSON.stringify({ from: this.instance, entries }));
    for (const e of entries) for (const l of this.listeners) l(e.alert, 'local');
  }

  private prune(now: number): void {
    for (const [id, e] of this.entries) {
      if (
        e.alert.state === 'resolved' &&
        Date.parse(e.alert.resolved_at ?? e.alert.updated_at) < now - KEEP_RESOLVED_MS
      )
        this.entries.delete(id);
    }
  }

  /**
   * Reconciles one evaluation with the book: new conditions open alerts (a resolved alert that
   * fires again reopens), gone conditions resolve theirs. Only alerts of the evaluated day (for
   * the timetable rules) are resolved: yesterday's unaccounted child does not vanish at midnight.
   */
  async reconcile(day: string, candidates: readonly Candidate[]): Promise<Alert[]> {
    const now = toShanghaiRfc3339(this.clock.now());
    const firing = new Map(candidates.map((c) => [c.id, c]));
    const changed: Alert[] = [];
    for (const c of candidates) {
      const cur = this.entries.get(c.id)?.alert;
      if (!cur || cur.state === 'resolved') {
        const geo = this.geo();
        const place = geo.placeOfSchool(c.school_id);
        changed.push({
          id: c.id,
          rule: c.rule,
          severity: c.severity,
          state: 'open',
          dimension: c.dimension,
          school_id: c.school_id,
          school_name: place.name,
          zone_id: place.zone_id,
          district_id: place.district_id,
          district_name: geo.districts.get(place.district_id)?.name ?? '',
          subject_id: c.subject_id,
          title: c.title,
          detail: c.detail,
          opened_at: now,
          updated_at: now,
        });
      } else if (cur.detail !== c.detail || cur.title !== c.title) {
        changed.push({ ...cur, title: c.title, detail: c.detail, updated_at: now });
      }
    }
    for (const { alert } of this.entries.values()) {
      if (alert.state === 'resolved' || firing.has(alert.id)) continue;
      if (!alertOfDay(alert.rule, alert.id, day)) continue;
      changed.push({ ...alert, state: 'resolved', resolved_at: now, updated_at: now });
    }
    await this.commit(changed);
    return changed;
  }

  /** Marks alerts as escalated to the bureau's wall (those still active and not yet escalated). */
  async escalate(ids: readonly string[]): Promise<Alert[]> {
    const now = toShanghaiRfc3339(this.clock.now());
    const changed: Alert[] = [];
    for (const id of ids) {
      const cur = this.get(id);
      if (!cur || cur.state === 'resolved' || cur.escalated_at !== undefined) continue;
      changed.push({ ...cur, escalated_at: now, updated_at: now });
    }
    await this.commit(changed);
    return changed;
  }

  async acknowledge(id: string, by: string, comment: string): Promise<Alert | null> {
    const cur = this.get(id);
    if (!cur) return null;
    const now = toShanghaiRfc3339(this.clock.now());
    const next: Alert = {
      ...cur,
      state: cur.state === 'open' ? 'acknowledged' : cur.state,
      ack: { by, at: now, comment },
      updated_at: now,
    };
    await this.commit([next]);
    return next;
  }

  async noticeIssued(id: string, noticeId: string): Promise<Alert | null> {
    const cur = this.get(id);
    if (!cur || cur.state === 'resolved') return cur;
    const next: Alert = {
      ...cur,
      state: 'notice_issued',
      notice_id: noticeId,
      updated_at: toShanghaiRfc3339(this.clock.now()),
    };
    await this.commit([next]);
    return next;
  }
}

export function countAlerts(alerts: readonly Alert[]): AlertCounts {
  const c: AlertCounts = { critical: 0, warning: 0, info: 0, open: 0 };
  for (const a of alerts) {
    if (a.state === 'resolved') continue;
    c[a.severity]++;
    if (a.state === 'open') c.open++;
  }
  return c;
}
