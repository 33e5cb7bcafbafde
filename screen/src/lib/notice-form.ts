import type { Notice } from '../api/types.ts';

// What the wall's and the console's 一键监管 dialogs share: the Idempotency-Key, the
// deadline field in Shanghai time, and the dialog's phases.

/** An Idempotency-Key: crypto.randomUUID needs a secure context (a wall on plain http over the LAN has none), getRandomValues does not. */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** An instant as the value of a datetime-local input, in Asia/Shanghai. */
export const toLocalInput = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
/** A datetime-local value read as Asia/Shanghai time. */
export const fromLocalInput = (v: string) => new Date(Date.parse(`${v}:00+08:00`)).toISOString();

export type NoticePhase =
  | { kind: 'edit' }
  | { kind: 'sending' }
  | { kind: 'exists'; notice: Notice }
  | { kind: 'done'; notice: Notice }
  | { kind: 'error'; message: string };
