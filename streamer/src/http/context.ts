import type { MetricsReader, Store } from '@edu/analytics';
import type { AlertBook } from '../alerts/book.ts';
import type { Auditor } from '../audit.ts';
import type { DecisionService } from '../decisions/service.ts';
import type { UserDirectory } from '../auth/directory.ts';
import type { DisplayDirectory } from '../auth/displays.ts';
import type { Sessions } from '../auth/sessions.ts';
import type { LoginThrottle } from '../auth/throttle.ts';
import type { Clock } from '../clock.ts';
import type { StreamerConfig } from '../config.ts';
import type { Geography } from '../geo.ts';
import type { LiveHub } from '../live/hub.ts';
import type { NoticeBook } from '../notices/book.ts';
import type { NoticeService } from '../notices/service.ts';
import type { NoticeLoopService } from '../notices/loop.ts';
import type { StreamerMetrics } from '../observability.ts';
import type { OrphanMonitor } from '../quality/orphans.ts';
import type { SharedState } from '../shared/state.ts';

/** What the HTTP routes work with: the streamer's parts, assembled once in service.ts. */
export interface HttpContext {
  config: StreamerConfig;
  store: Store;
  reader: MetricsReader;
  geo: () => Geography;
  shared: SharedState;
  users: UserDirectory;
  sessions: Sessions;
  /** Wall displays and their credentials (issue 12). */
  displays: DisplayDirectory;
  throttle: LoginThrottle;
  audit: Auditor;
  alerts: AlertBook;
  notices: NoticeBook;
  noticeService: NoticeService;
  decisions: DecisionService;
  /** 销号 / 退回重改 on notices (the 督办 loop). */
  noticeLoop: NoticeLoopService;
  hub: () => LiveHub | null;
  metrics: StreamerMetrics;
  /** The latest orphan report (数据质量), read on a timer. */
  orphans: OrphanMonitor;
  clock: Clock;
  /** Folder of the built screen (served at /), or null. */
  staticDir: string | null;
  log: (msg: string) => void;
}
