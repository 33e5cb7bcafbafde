import { createServer, type Server } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InboundEvent, Store } from '@edu/analytics';
import {
  disposeTestStore,
  FIXTURE_DAY,
  fixtureCityEvents,
  fixtureDimensionEvents,
  openTestStore,
  TEST_ENGINES,
} from '@edu/analytics/testing';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { ApiClient, startTestStreamer, storeEvents, type TestStreamer } from '../testing/harness.ts';

// 批量下载公示材料 as one zip: files on the product's own /files/ are read from disk, files on an
// allowed file server are fetched, anything else is listed inside the zip with the reason,
// never fetched (a material's address is written by a school's system).

const TERM = '2026-autumn';
const NOW = Date.parse(`${FIXTURE_DAY}T16:00:00+08:00`);

const material = (material_id: string, title: string, file_url: string): InboundEvent => ({
  id: `${material_id}:zip-test`,
  type: 'material_published',
  ts: `${FIXTURE_DAY}T09:00:00+08:00`,
  school_id: 's1',
  material_id,
  term: TERM,
  kind: 'safety_plan',
  title,
  file_url,
});

describe.each(TEST_ENGINES)('the materials zip on %s', (engine) => {
  let store: Store;
  let t: TestStreamer;
  let leader: ApiClient;
  let fileServer: Server;
  let fileOrigin: string;
  const dir = mkdtempSync(join(tmpdir(), 'edu-files-'));

  const zipOf = async (path: string) => {
    const res = await fetch(t.url + path, { headers: { authorization: `Bearer ${leader.token}` } });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/zip']);
    return JSZip.loadAsync(await res.arrayBuffer());
  };

  beforeAll(async () => {
    mkdirSync(join(dir, 'materials'), { recursive: true });
    writeFileSync(join(dir, 'materials', 'own.txt'), '第1小学安全管理及应急预案（本地）');
    fileServer = createServer((req, res) => {
      if (req.url === '/plans/remote.pdf') res.end('%PDF-1.4 remote plan');
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => fileServer.listen(0, '127.0.0.1', r));
    const a = fileServer.address();
    fileOrigin = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;

    store = await openTestStore(engine, 'zip');
    await storeEvents(store, [...fixtureCityEvents(), ...fixtureDimensionEvents()]);
    t = await startTestStreamer(store, {
      clock: new ManualClock(NOW),
      config: { files: { dir, origins: [fileOrigin] } },
    });
    await storeEvents(store, [
      material('mz-own', '本地预案', `${t.url}/files/materials/own.txt`),
      material('mz-remote', '远程预案', `${fileOrigin}/plans/remote.pdf`),
      material('mz-gone', '缺失预案', `${fileOrigin}/plans/gone.pdf`),
      material('mz-elsewhere', '外站预案', 'http://169.254.169.254/latest/meta-data'),
      material('mz-escape', '越界预案', `${t.url}/files/..%2F..%2Fetc%2Fpasswd`),
    ]);
    leader = await new ApiClient(t.url).login('13800000001');
  });
  afterAll(async () => {
    await t?.close();
    fileServer?.close();
    if (store) await disposeTestStore(store);
    rmSync(dir, { recursive: true, force: true });
  });

  it('packs the chosen materials under readable names, and lists those it did not fetch with why', async () => {
    const ids = 'mz-own,mz-remote,mz-gone,mz-elsewhere,mz-escape';
    const zip = await zipOf(`/api/v1/dimensions/material/schools/s1/files.zip?ids=${ids}&term=${TERM}`);
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(['安全管理及应急预案-本地预案.txt', '安全管理及应急预案-远程预案.pdf', '未能打包的文件.txt']);
    expect(await zip.file('安全管理及应急预案-本地预案.txt')?.async('string')).toBe(
      '第1小学安全管理及应急预案（本地）',
    );
    expect(await zip.file('安全管理及应急预案-远程预案.pdf')?.async('string')).toBe('%PDF-1.4 remote plan');
    const missing = (await zip.file('未能打包的文件.txt')?.async('string')) ?? '';
    expect(missing).toMatch(/缺失预案\t.*gone\.pdf\t文件服务器答复 404/);
    expect(missing).toMatch(/外站预案\t.*169\.254\.169\.254.*\t文件不在允许的文件服务器上/);
    expect(missing).toMatch(/越界预案\t.*\t(文件地址无效|文件不存在)/);
  });

  it('serves its own files read-only, nothing outside the folder', async () => {
    expect((await fetch(`${t.url}/files/materials/own.txt`)).status).toBe(200);
    expect((await fetch(`${t.url}/files/materials/none.txt`)).status).toBe(404);
    expect((await fetch(`${t.url}/files/..%2F..%2Fetc%2Fpasswd`)).status).not.toBe(200);
  });

  it('answers 404 for materials the school did not publish, 400 for a bad id list', async () => {
    expect((await leader.get('/api/v1/dimensions/material/schools/s1/files.zip?ids=m7')).body).toMatchObject({
      code: 'no_material',
    });
    expect((await leader.get('/api/v1/dimensions/material/schools/s1/files.zip?ids=,,')).status).toBe(400);
  });
});
