import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { Readable } from 'node:stream';

// Where a material's file comes from when the bureau downloads a school's materials as one zip.
// file_url is written by the schools' systems: the streamer fetches only from the file servers
// the bureau named (EDU_MATERIAL_FILE_ORIGINS) and reads its own /files/ from disk
// (EDU_FILES_DIR), so a material cannot make the streamer call into the bureau's network.

export interface FileSources {
  /** Served at /files/ and read directly for URLs on an allowed origin under /files/. */
  dir: string;
  /** Origins (scheme://host[:port]) the streamer may fetch material files from. */
  origins: readonly string[];
}

export const FILE_LIMITS = { maxBytes: 20 * 1024 * 1024, timeoutMs: 15_000 } as const;

export type Opened = { ok: true; body: Readable; ext: string } | { ok: false; reason: string };

const extOf = (path: string) => /\.([A-Za-z0-9]{1,8})$/.exec(path)?.[1]?.toLowerCase() ?? 'bin';

/** Opens one material's file, or says in Chinese why it is not in the zip. */
export async function openMaterialFile(
  url: string,
  sources: FileSources,
  ownOrigin: string,
  fetchImpl: typeof fetch = fetch,
): Promise<Opened> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, reason: '文件地址无效' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, reason: '文件地址无效' };
  const allowed = u.origin === ownOrigin || sources.origins.includes(u.origin);
  if (!allowed) return { ok: false, reason: '文件不在允许的文件服务器上（EDU_MATERIAL_FILE_ORIGINS）' };
  if (sources.dir && u.pathname.startsWith('/files/')) {
    const root = resolve(sources.dir);
    const path = resolve(root, decodeURIComponent(u.pathname.slice('/files/'.length)));
    if (!path.startsWith(root + sep)) return { ok: false, reason: '文件地址无效' };
    const s = await stat(path).catch(() => null);
    if (!s?.isFile()) return { ok: false, reason: '文件不存在' };
    if (s.size > FILE_LIMITS.maxBytes) return { ok: false, reason: '文件过大' };
    return { ok: true, body: createReadStream(path), ext: extOf(path) };
  }
  if (u.origin === ownOrigin) return { ok: false, reason: '文件不存在' };
  try {
    const res = await fetchImpl(u, { redirect: 'error', signal: AbortSignal.timeout(FILE_LIMITS.timeoutMs) });
    if (!res.ok || !res.body) return { ok: false, reason: `文件服务器答复 ${res.status}` };
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > FILE_LIMITS.maxBytes) return { ok: false, reason: '文件过大' };
    const buf = Buffer.from(await res.arrayBuffer());
    if (buf.length > FILE_LIMITS.maxBytes) return { ok: false, reason: '文件过大' };
    return { ok: true, body: Readable.from([buf]), ext: extOf(u.pathname) };
  } catch {
    return { ok: false, reason: '文件服务器无法访问' };
  }
}
