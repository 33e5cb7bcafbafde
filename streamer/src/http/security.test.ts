import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, inlineScriptHashes, screenScriptHashes } from './security.ts';

// The CSP allows the built screen's inline scripts (the legacy bundle's loader) by hash.

describe('inlineScriptHashes', () => {
  it('hashes inline scripts as browsers do (the CSP specification example)', () => {
    expect(inlineScriptHashes(`<script>alert('Hello, world.');</script>`)).toEqual([
      'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng=',
    ]);
  });

  it('skips scripts with a src (data-src is not one) and empty ones, and lists each body once', () => {
    const html = [
      '<script type="module" crossorigin src="./assets/index-x.js"></script>',
      `<script nomodule crossorigin id="vite-legacy-entry" data-src="./assets/index-legacy-x.js">alert('Hello, world.');</script>`,
      '<SCRIPT type="module"></SCRIPT>',
      `<script type="module">alert('Hello, world.');</script >`,
    ].join('\n');
    expect(inlineScriptHashes(html)).toEqual(['sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng=']);
  });

  it('hashes the bytes of non-ASCII text (UTF-8)', () => {
    // The same script with 课 instead of an ASCII letter must differ, and be stable.
    const [a] = inlineScriptHashes('<script>x="课"</script>');
    const [b] = inlineScriptHashes('<script>x="k"</script>');
    expect(a).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(inlineScriptHashes('<script>x="课"</script>')).toEqual([a]);
  });
});

describe('contentSecurityPolicy', () => {
  it('adds the hashes to script-src only, never unsafe-inline', () => {
    const csp = contentSecurityPolicy(['sha256-AAAA', 'sha256-BBBB']);
    const directives = csp.split('; ');
    expect(directives.find((d) => d.startsWith('script-src'))).toBe(
      "script-src 'self' 'unsafe-eval' 'sha256-AAAA' 'sha256-BBBB'",
    );
    expect(directives.filter((d) => d.includes('sha256-'))).toHaveLength(1);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(contentSecurityPolicy()).toContain("script-src 'self' 'unsafe-eval'; ");
  });

  it("reads the hashes from a built screen's index.html, none without one", () => {
    const dir = mkdtempSync(join(tmpdir(), 'edu-csp-'));
    try {
      expect(screenScriptHashes(dir)).toEqual([]);
      writeFileSync(join(dir, 'index.html'), `<html><script>alert('Hello, world.');</script></html>`);
      expect(screenScriptHashes(dir)).toEqual(['sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng=']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
