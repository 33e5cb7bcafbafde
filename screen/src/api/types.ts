// The HTTP API's shapes the screen reads (docs/api.md). The live payloads (Snapshot, Alert,
// Notice, …) are imported from the shared protocol, never copied.
export type {
  Alert,
  Notice,
  NoticeRequest,
  PushedSnapshot,
  Snapshot,
  ApiError,
  ChildSummary,
  CurveUpdate,
  MinutePoint,
} from '@edu/analytics/live';

export interface PublicUser {
  user_id: string;
  phone: string;
  name: string;
  role: 'leader' | 'staff' | 'admin';
  dimensions: string[];
  districts: string[];
  scopes: string[];
  must_change_password: boolean;
  disabled?: boolean;
  /** Set when signed in with a wall display's credential (issue 12): read-only, one pinned scope. */
  display?: DisplayOptions;
}

/** A paired wall display: its pinned scope and the wall options the administrator chose. */
export interface DisplayOptions {
  display_id: string;
  scope: string;
  rotate: boolean;
  sound: boolean;
}

export interface LoginResult {
  token: string;
  expires_at: string;
  user: PublicUser;
}

export interface Place {
  id: string;
  name: string;
}

export interface Geo {
  districts: Place[];
  zones: (Place & { district_id: string })[];
  schools: (Place & { zone_id: string; district_id: string })[];
}
