import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MATERIAL_KIND_LABEL, type InboundEvent } from '@edu/analytics';

// The embedded default's materials are real files: each simulated school's published material
// is written as a small document under EDU_DATA_DIR/files/materials/ and its file_url points at
// the product's own /files/, so 查看 and 批量下载 work on a newcomer's machine (the simulator's
// own addresses name a file server that does not exist).

export function materialFiles(dir: string, baseUrl: string): (e: InboundEvent) => InboundEvent {
  const folder = join(dir, 'materials');
  mkdirSync(folder, { recursive: true });
  return (e) => {
    if (e.type !== 'material_published') return e;
    const name = `${encodeURIComponent(e.material_id)}.txt`;
    writeFileSync(
      join(folder, name),
      [
        e.title,
        '',
        `材料类别：${MATERIAL_KIND_LABEL[e.kind] ?? e.kind}`,
        `学期：${e.term}`,
        `发布时间：${e.ts}`,
        '',
        '本文件由模拟城市生成，用于演示公示材料的查看与批量下载。',
        '',
      ].join('\n'),
    );
    return { ...e, file_url: new URL(`files/materials/${name}`, baseUrl).href };
  };
}

export function* mapEvents<T>(events: Iterable<T>, f: (e: T) => T): Generator<T> {
  for (const e of events) yield f(e);
}
