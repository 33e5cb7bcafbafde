import type { Store } from '@edu/analytics';
import { insertAudit, type AuditEntry } from '@edu/analytics';
import type { Clock } from './clock.ts';

// Every write (login, password change, ack, notice, user edit) goes to the audit_log table.
// Callers pass details that are safe to keep: never a password or a token.

export type AuditInput = Omit<AuditEntry, 'ts_ms'>;

export class Auditor {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async record(entry: AuditInput): Promise<void> {
    await insertAudit(this.store, [{ ...entry, ts_ms: this.clock.now() }]);
  }
}
