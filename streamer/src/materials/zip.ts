import archiver from 'archiver';
import type { Writable } from 'node:stream';
import { openMaterialFile, type FileSources } from './files.ts';

// 批量下载公示材料 as one zip: each material's file under a name a person reads
// (项目实施方案-第1小学2026年秋季学期项目实施方案.pdf), and a 未能打包的文件.txt naming those that could
// not be fetched and why, so nothing is silently missing.

export interface ZipMaterial {
  material_id: string;
  kindLabel: string;
  title: string;
  file_url: string;
}

const clean = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80);

export async function writeMaterialsZip(
  out: Writable,
  materials: readonly ZipMaterial[],
  sources: FileSources,
  ownOrigin: string,
): Promise<{ files: number; missing: number }> {
  const zip = archiver('zip', { zlib: { level: 6 } });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve).on('close', resolve).on('error', reject);
    zip.on('error', reject);
  });
  zip.pipe(out);
  const used = new Set<string>();
  const missing: string[] = [];
  let files = 0;
  // One at a time: a zip is written in order, and a school has a handful of materials.
  for (const m of materials) {
    const opened = await openMaterialFile(m.file_url, sources, ownOrigin);
    if (!opened.ok) {
      missing.push(`${m.kindLabel}\t${m.title}\t${m.file_url}\t${opened.reason}`);
      continue;
    }
    let name = `${clean(m.kindLabel)}-${clean(m.title)}.${opened.ext}`;
    for (let i = 2; used.has(name); i++) name = `${clean(m.kindLabel)}-${clean(m.title)}-${i}.${opened.ext}`;
    used.add(name);
    zip.append(opened.body, { name });
    files += 1;
  }
  if (missing.length) {
    zip.append(`材料类别\t标题\t文件地址\t原因\n${missing.join('\n')}\n`, { name: '未能打包的文件.txt' });
  }
  await zip.finalize();
  await done;
  return { files, missing: missing.length };
}
