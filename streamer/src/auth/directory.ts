import { randomUUID } from 'node:crypto';
import { DIMENSIONS, type Dimension, type Role, type Store } from '@edu/analytics';
import { insertUserVersion, loadUsers, type UserRow } from '@edu/analytics';
import type { Clock } from '../clock.ts';
import type { SharedState } from '../shared/state.ts';
import { announce, announced, readVersion, type VersionAnnounced } from '../shared/versioned.ts';
import { hashPassword, INITIAL_PASSWORD } from './passwords.ts';
import type { User } from './user.ts';

// Users, persisted in ClickHouse (append-only, latest version wins) and cached in memory.
// Any instance that changes a user publishes its id on USERS_CHANNEL; every instance then
// reloads that user and re-checks its open sockets (see live/hub.ts).

export const USERS_CHANNEL = 'users:changed';

export interface UserChange {
  role?: Role;
  name?: string;
  dimensions?: Dimension[];
  districts?: string[];
  disabled?: boolean;
}

export class UserDirectory {
  private readonly byId = new Map<string, UserRow>();
  private readonly listeners = new Set<(u: User) => void>();
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly store: Store,
    private readonly shared: SharedState,
    private readonly clock: Clock,
  ) {}

  async start(): Promise<void> {
    for (const u of await loadUsers(this.store)) this.byId.set(u.user_id, u);
    this.unsubscribe = await this.shared.subscribe(USERS_CHANNEL, (m) => void this.reload(announced(m)));
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
  }

  /** Called after any change to a user: here or on another instance. */
  onChange(listener: (u: User) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async reload({ id, version }: VersionAnnounced): Promise<void> {
    // Until this instance's replica has the version written (shared/versioned.ts).
    const row = await readVersion(async () => (await loadUsers(this.store, id))[0], version);
    if (!row) return;
    const cur = this.byId.get(id);
    if (cur && cur.version > row.version) return;
    this.byId.set(id, row);
    for (const l of this.listeners) l(toUser(row));
  }

  get(id: string): User | null {
    const r = this.byId.get(id);
    return r ? toUser(r) : null;
  }

  /** Includes the password hash: for the login check only. */
  credentialsByPhone(phone: string): UserRow | null {
    for (const r of this.byId.values()) if (r.phone === phone) return r;
    return null;
  }

  list(): User[] {
    return [...this.byId.values()].map(toUser);
  }

  private async write(row: UserRow): Promise<User> {
    await insertUserVersion(this.store, row);
    this.byId.set(row.user_id, row);
    for (const l of this.listeners) l(toUser(row));
    await this.shared.publish(USERS_CHANNEL, announce(row.user_id, row.version));
    return toUser(row);
  }

  private next(cur: UserRow, by: string): UserRow {
    // Versions are time-based so two instances editing one user still order their writes.
    const version = Math.max(cur.version + 1, this.clock.now());
    return { ...cur, version, updated_ms: this.clock.now(), updated_by: by };
  }

  async create(
    input: { phone: string; name: string; role: Role; dimensions: Dimension[]; districts: string[]; user_id?: string },
    by: string,
  ): Promise<User> {
    const row: UserRow = {
      user_id: input.user_id ?? `u-${randomUUID().slice(0, 8)}`,
      version: this.clock.now(),
      updated_ms: this.clock.now(),
      updated_by: by,
      phone: input.phone,
      name: input.name,
      role: input.role,
      dimensions: input.dimensions,
      districts: input.districts,
      password_hash: await hashPassword(INITIAL_PASSWORD),
      must_change_password: true,
      disabled: false,
    };
    return this.write(row);
  }

  async update(id: string, change: UserChange, by: string): Promise<User | null> {
    const cur = this.byId.get(id);
    if (!cur) return null;
    const next = this.next(cur, by);
    if (change.role !== undefined) next.role = change.role;
    if (change.name !== undefined) next.name = change.name;
    if (change.dimensions !== undefined) next.dimensions = change.dimensions;
    if (change.districts !== undefined) next.districts = change.districts;
    if (change.disabled !== undefined) next.disabled = change.disabled;
    return this.write(next);
  }

  async setPassword(id: string, passwordHash: string): Promise<User | null> {
    const cur = this.byId.get(id);
    if (!cur) return null;
    return this.write({ ...this.next(cur, id), password_hash: passwordHash, must_change_password: false });
  }

  /** Back to the initial password, to be changed at the next login (an administrator's reset). */
  async resetPassword(id: string, by: string): Promise<User | null> {
    const cur = this.byId.get(id);
    if (!cur) return null;
    const hash = await hashPassword(INITIAL_PASSWORD);
    return this.write({ ...this.next(cur, by), password_hash: hash, must_change_password: true });
  }

  /**
   * Demo users at first start: a leader (13800000001), an admin (13800000000) and one staff
   * member per district known to the registry (13900000001, …). Idempotent: an existing user
   * (by id) is never overwritten, so later starts add staff only for new districts.
   */
  async seed(districts: readonly { id: string; name: string }[]): Promise<number> {
    const wanted: { user_id: string; phone: string; name: string; role: Role; districts: string[] }[] = [
      { user_id: 'seed-leader', phone: '13800000001', name: '局领导', role: 'leader', districts: [] },
      { user_id: 'seed-admin', phone: '13800000000', name: '系统管理员', role: 'admin', districts: [] },
    ];
    const phones = new Set([...this.byId.values()].map((u) => u.phone));
    let n = 1;
    for (const { id: d, name } of [...districts].sort((a, b) => a.id.localeCompare(b.id))) {
      let phone: string;
      do phone = `139${String(n++).padStart(8, '0')}`;
      while (phones.has(phone) && !this.byId.has(`seed-staff-${d}`));
      // Named after the district (东城区专干), as a reader knows it, never its id.
      wanted.push({ user_id: `seed-staff-${d}`, phone, name: `${name || '辖区'}专干`, role: 'staff', districts: [d] });
    }
    let created = 0;
    for (const w of wanted) {
      if (this.byId.has(w.user_id)) continue;
      if ([...this.byId.values()].some((u) => u.phone === w.phone)) continue;
      await this.create({ ...w, dimensions: [...DIMENSIONS] }, 'seed');
      created++;
    }
    return created;
  }
}

function toUser(r: UserRow): User {
  return {
    user_id: r.user_id,
    phone: r.phone,
    name: r.name,
    role: r.role,
    dimensions: r.dimensions,
    districts: r.districts,
    must_change_password: r.must_change_password,
    disabled: r.disabled,
    version: r.version,
  };
}
