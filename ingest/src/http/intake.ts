import {
  sourceKeyAllows,
  type AuditEntry,
  type DeadLetter,
  type InboundEvent,
  type RowFor,
  type SourceKeyRow,
} from '@edu/analytics';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { contractMessages, type PartitionSender } from '../kafka/partition-sender.ts';
import type { IngestMetrics } from '../metrics.ts';
import type { BatchWriter } from '../pipeline/batch-writer.ts';
import type { DeadLetterSink } from '../pipeline/dead-letters.ts';
import type { StepResult, MessageSource } from '../pipeline/validate-step.ts';
import type { SourceKeyCache } from './source-keys.ts';

// POST /v1/events: a JSON array of contract events from systems that cannot reach Kafka.
// Each item is validated exactly as a Kafka message is; the answer lists a result per item,
// bad items are dead-lettered (nothing is lost), and the good ones are accepted only once
// they are durable (in Kafka on the full stack, in ClickHouse in the embedded default).
// (v1.1) Every request carries a source key (`Authorization: Bearer <key>`): none, an unknown or
// a revoked one is 401 for the whole request, before the body is read. A valid event whose
// school lies outside the key's schools is refused per item (`forbidden_school`), kept as a
// dead letter like any refused item, and audited with the key as the actor, one entry per
// school per request. Registry events with no school (districts, zones, providers) are
// city-wide master data that no school owns: only an all-schools key may post them.

/** Where accepted events go. */
export interface AcceptedSink {
  accept(events: readonly InboundEvent[], rows: readonly RowFor[]): Promise<void>;
}

/**
 * Full stack: forward to the event's own topic, keyed as the contract says; one send per
 * partition, so that the 200 answered to a school means every event is in Kafka.
 */
export function kafkaAcceptedSink(sender: PartitionSender, prefix = ''): AcceptedSink {
  return {
    accept: (events) => sender.send(contractMessages(events, prefix)),
  };
}

/** Embedded default: straight into the batch writer. */
export function writerAcceptedSink(writer: BatchWriter): AcceptedSink {
  return { accept: (_events, rows) => writer.add(rows) };
}

export interface IntakeDeps {
  step: (value: unknown, from: MessageSource, original?: Buffer) => StepResult;
  accepted: AcceptedSink;
  deadLetters: DeadLetterSink;
  maxBodyBytes: number;
  maxEvents: number;
  metrics?: IngestMetrics;
  keys: SourceKeyCache;
  /** Appends to the audit trail (analytics insertAudit on the store). */
  audit: (entries: readonly AuditEntry[]) => Promise<void>;
  clock?: () => number;
}

declare module 'express-serve-static-core' {
  interface Request {
    sourceKey?: SourceKeyRow;
  }
}

const REVOKED_AUDIT_EVERY_MS = 60_000;

export type ItemResult =
  { index: number; id?: string; ok: true } | { index: number; id?: string; ok: false; code: string; reason: string };

export function intakeRouter(deps: IntakeDeps): Router {
  const router = express.Router();
  const clock = deps.clock ?? Date.now;
  const revokedAudited = new Map<string, number>();
  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    const refuse = (status: number, code: string, error: string) => {
      res.setHeader('WWW-Authenticate', 'Bearer realm="edu-intake"');
      res.status(status).json({ error, code });
    };
    const h = req.headers.authorization;
    const presented = h?.startsWith('Bearer ') ? h.slice(7).trim() : '';
    if (!presented) return refuse(401, 'source_key_required', 'a source key is required: Authorization: Bearer <key>');
    const found = await deps.keys.lookup(presented);
    if (found.kind === 'not_loaded')
      return res.status(503).json({ error: 'source keys not loaded yet, retry shortly', code: 'unavailable' });
    if (found.kind === 'unknown') return refuse(401, 'source_key_unknown', 'the source key is not known');
    if (found.kind === 'revoked') {
      // A revoked key still in use is worth a trace (the system behind it must be reconfigured),
      // once a minute per key so it cannot flood the audit.
      const now = clock();
      if (now - (revokedAudited.get(found.key.key_id) ?? -Infinity) >= REVOKED_AUDIT_EVERY_MS) {
        revokedAudited.set(found.key.key_id, now);
        await deps
          .audit([sourceAudit(found.key, now, 'intake_key_revoked', '', clientIp(req), {})])
          .catch(() => undefined);
      }
      return refuse(401, 'source_key_revoked', 'the source key was revoked');
    }
    req.sourceKey = found.key;
    next();
  };
  router.post(
    '/v1/events',
    (req, res, next) => void authenticate(req, res, next).catch(next),
    express.raw({ type: () => true, limit: deps.maxBodyBytes }),
    async (req: Request, res: Response) => {
      const body = req.body as Buffer | undefined;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        res.status(400).json({ error: 'the body must be a JSON array of events', code: 'bad_request' });
        return;
      }
      let items: unknown;
      try {
        items = JSON.parse(body.toString('utf8'));
      } catch (err) {
        // The whole body is unreadable: keep it as one dead letter, then refuse it.
        await deps.deadLetters.send([letter(body, 'invalid_json', `body is not JSON: ${(err as Error).message}`)]);
        res.status(400).json({ error: `the body is not valid JSON: ${(err as Error).message}`, code: 'invalid_json' });
        return;
      }
      if (!Array.isArray(items)) {
        res.status(400).json({ error: 'the body must be a JSON array of events', code: 'bad_request' });
        return;
      }
      if (items.length > deps.maxEvents) {
        res.status(413).json({
          error: `at most ${deps.maxEvents} events per request, got ${items.length}`,
          code: 'too_many_events',
        });
        return;
      }
      const results: ItemResult[] = [];
      const events: InboundEvent[] = [];
      const rows: RowFor[] = [];
      const dead: DeadLetter[] = [];
      const key = req.sourceKey as SourceKeyRow;
      const forbidden = new Map<string, string[]>();
      items.forEach((item, index) => {
        const r = deps.step(item, { source: 'http' });
        const id = typeof (item as { id?: unknown })?.id === 'string' ? (item as { id: string }).id : undefined;
        const school = r.kind === 'row' ? schoolOf(r.event) : undefined;
        if (r.kind === 'row' && !sourceKeyAllows(key, school)) {
          const reason = school
            ? `the source key "${key.name}" may not post events of school ${school}`
            : `the source key "${key.name}" is bound to schools: a ${r.event.type} without a school needs an all-schools key`;
          dead.push(letter(Buffer.from(JSON.stringify(item)), 'forbidden_school', reason));
          results.push({ index, id, ok: false, code: 'forbidden_school', reason });
          const ids = forbidden.get(school ?? '') ?? [];
          forbidden.set(school ?? '', [...ids, r.event.id]);
        } else if (r.kind === 'row') {
          events.push(r.event);
          rows.push(r.row);
          results.push({ index, id, ok: true });
        } else {
          dead.push(r.letter);
          results.push({ index, id, ok: false, code: r.letter.code, reason: r.letter.reason });
        }
      });
      deps.metrics?.consumed.inc({ topic: 'http' }, items.length);
      try {
        const now = clock();
        const audits = [...forbidden].map(([school, ids]) =>
          sourceAudit(key, now, 'intake_forbidden_school', school, clientIp(req), {
            count: ids.length,
            ids: ids.slice(0, 20),
          }),
        );
        await Promise.all([
          deps.accepted.accept(events, rows),
          deps.deadLetters.send(dead),
          audits.length ? deps.audit(audits) : undefined,
        ]);
      } catch (err) {
        res
          .status(503)
          .json({ error: `events not stored, retry later: ${(err as Error).message}`, code: 'unavailable' });
        return;
      }
      res.status(200).json({ accepted: events.length, rejected: dead.length, results });
    },
  );
  return router;
}

function schoolOf(e: InboundEvent): string | undefined {
  const s = (e as { school_id?: unknown }).school_id;
  return typeof s === 'string' && s !== '' ? s : undefined;
}

const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? '';

/** An audit entry whose actor is a source key: its id, and its name in the detail. */
function sourceAudit(
  key: SourceKeyRow,
  now: number,
  action: string,
  target: string,
  ip: string,
  detail: Record<string, unknown>,
): AuditEntry {
  return {
    ts_ms: now,
    actor_id: key.key_id,
    actor_role: 'source',
    action,
    target,
    ok: false,
    ip,
    detail: { key_name: key.name, ...detail },
  };
}

function letter(original: Buffer, code: DeadLetter['code'], reason: string): DeadLetter {
  return { source: 'http', code, reason, original, receivedAt: new Date().toISOString() };
}
