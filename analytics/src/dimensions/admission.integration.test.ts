import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../clickhouse/store.ts';
import type { SupervisionEvent } from '../contract/supervision.ts';
import { insertSupervision } from '../supervision/notices.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { admissionSubject, providerAdmission } from './admission.ts';
import { openDimensionStore } from './fixture-store.ts';

// Hand computation from fixtureDimensionEvents() (latest registry version of each entity):
//   p1 星火体育 bid, qualified: teacher t2 王芳 coach (s1); course c-o1
//   p2 墨香书院 recommended (re-registered from self), qualified: teacher t4 陈静 skill (s3); course c-o4
//   p3 未来科技 self, not qualified: no teacher; course c-o3 (s2)
//   p4 绿茵足球 bid, qualified: no teacher; course c-x1 (s4)
// Decisions: p1 通过; p2 驳回 then 通过 (the later wins); p3 驳回; p4 none of its own (a decision
// on subject "p4" without the provider: prefix is an offering's, not an admission)
//   → 已通过 2, 已驳回 1, 待审核 1. District d2 {s3, s4}: p2 and p4 only.

const decision = (n: number, provider: string, subject: string, d: 'approved' | 'rejected'): SupervisionEvent => ({
  type: 'decision',
  notice_id: `n-adm-${n}`,
  ts: `2026-09-2${n}T10:00:00+08:00`,
  issuer_id: 'u1',
  issuer_role: 'leader',
  target_type: 'provider',
  target_id: provider,
  dimension: 'course',
  subject_id: subject,
  decision: d,
  content: d === 'approved' ? '资质齐全' : '缺少办学许可',
});

describe.each(TEST_ENGINES)('provider admission on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'dim_admission');
    for (const e of [
      decision(1, 'p1', admissionSubject('p1'), 'approved'),
      decision(2, 'p2', admissionSubject('p2'), 'rejected'),
      decision(3, 'p2', admissionSubject('p2'), 'approved'),
      decision(4, 'p3', admissionSubject('p3'), 'rejected'),
      decision(5, 'p4', 'p4', 'approved'),
    ])
      await insertSupervision(store, e);
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('lists every provider of the city with its teachers and the latest decision', async () => {
    const a = await providerAdmission(store, { kind: 'city' });
    expect(a.states).toEqual({ pending: 1, approved: 2, rejected: 1 });
    expect(a.rows.map((r) => [r.provider_id, r.name, r.channel, r.qualified, r.courses, r.state])).toEqual([
      ['p1', '星火体育', 'bid', true, 1, 'approved'],
      ['p2', '墨香书院', 'recommended', true, 1, 'approved'],
      ['p3', '未来科技', 'self', false, 1, 'rejected'],
      ['p4', '绿茵足球', 'bid', true, 1, 'pending'],
    ]);
    expect(a.rows[0]?.teachers).toEqual([{ teacher_id: 't2', name: '王芳', certificate: 'coach', school_id: 's1' }]);
    expect(a.rows[1]?.teachers.map((t) => [t.name, t.certificate])).toEqual([['陈静', 'skill']]);
    expect(a.rows[1]?.decision?.notice_id).toBe('n-adm-3');
    expect(a.rows[2]?.decision?.content).toBe('缺少办学许可');
    expect(a.rows[3]?.decision).toBeNull();
  });

  it('narrows to the providers working in a district', async () => {
    const a = await providerAdmission(store, { kind: 'district', id: 'd2' });
    expect(a.rows.map((r) => [r.provider_id, r.teachers.length, r.courses, r.state])).toEqual([
      ['p2', 1, 1, 'approved'],
      ['p4', 0, 1, 'pending'],
    ]);
    expect(a.states).toEqual({ pending: 1, approved: 1, rejected: 0 });
  });
});
