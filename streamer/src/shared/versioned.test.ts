import { describe, expect, it } from 'vitest';
import { announce, announced, readVersion } from './versioned.ts';

describe('versioned reads after a change announced by another instance', () => {
  it('reads again until the replica has the version announced', async () => {
    // A replica that fetches the writer's insert only on the third read.
    const versions = [1, 1, 2];
    let reads = 0;
    const row = await readVersion(async () => ({ id: 'u1', version: versions[Math.min(reads++, 2)] as number }), 2);
    expect(row?.version).toBe(2);
    expect(reads).toBe(3);
  });

  it('gives up after its patience with the newest row it read, and survives failed reads', async () => {
    let reads = 0;
    const t0 = Date.now();
    const row = await readVersion(
      async () => {
        reads++;
        if (reads === 2) throw new Error('replica unreachable');
        return reads > 2 ? undefined : { version: 1 };
      },
      5,
      300,
    );
    expect(row?.version).toBe(1);
    expect(reads).toBeGreaterThan(2);
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('carries id and version, and takes an older instance’s bare id as version 0', () => {
    expect(announced(announce('u-1', 1796180000000))).toEqual({ id: 'u-1', version: 1796180000000 });
    expect(announced('u-1')).toEqual({ id: 'u-1', version: 0 });
    expect(announced('{not json')).toEqual({ id: '{not json', version: 0 });
  });
});
