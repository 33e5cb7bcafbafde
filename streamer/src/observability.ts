import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Prometheus metrics, one registry per streamer (tests run several in one process).

export interface StreamerMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  socketsConnected: Gauge;
  snapshotDuration: Histogram<'scope_kind'>;
  snapshotsPushed: Counter;
  alertsOpen: Gauge<'severity'>;
  /** Stored events about what the registry does not know, per source (topic) and type (quality/orphans.ts). */
  orphanEvents: Gauge<'source' | 'type'>;
  orphanEventsRecent: Gauge<'source' | 'type'>;
}

export function createMetrics(defaults = false): StreamerMetrics {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'edu_http_request_duration_seconds',
      help: 'Read API latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    socketsConnected: new Gauge({
      name: 'edu_sockets_connected',
      help: 'Screens connected to this instance',
      registers: [registry],
    }),
    snapshotDuration: new Histogram({
      name: 'edu_snapshot_recompute_seconds',
      help: 'Time to recompute one scope snapshot',
      labelNames: ['scope_kind'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    snapshotsPushed: new Counter({
      name: 'edu_snapshots_pushed_total',
      help: 'Snapshots and updates sent to sockets',
      registers: [registry],
    }),
    alertsOpen: new Gauge({
      name: 'edu_alerts_open',
      help: 'Alerts not resolved, by severity',
      labelNames: ['severity'],
      registers: [registry],
    }),
    // Set from the orphan report, which is read on a timer (not per scrape): its window is
    // today and the 7 days before; see analytics/src/quality/orphans.ts.
    orphanEvents: new Gauge({
      name: 'edu_orphan_events',
      help: 'Stored events of the last days about a school, session, offering or student the registry does not know',
      labelNames: ['source', 'type'],
      registers: [registry],
    }),
    orphanEventsRecent: new Gauge({
      name: 'edu_orphan_events_recent',
      help: 'Of edu_orphan_events, those stored within the last hour',
      labelNames: ['source', 'type'],
      registers: [registry],
    }),
  };
}
