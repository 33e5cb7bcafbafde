import { createHash } from 'node:crypto';
import { dirname, posix } from 'node:path';
import type { Plugin } from 'vite';

/**
 * @vitejs/plugin-legacy decides between the modern and the legacy bundle with a module imported
 * from a `data:text/javascript,…` URL that throws where `import.meta.resolve` is missing: the
 * modern entry chunk imports one, and so does the inline detection script of index.html. The
 * streamer's Content-Security-Policy allows scripts from 'self' only, so a data: import is
 * refused in every browser: the modern entry would fail and the modern ones would load the
 * legacy bundle too (or nothing, as the refused import is not the "syntax error" the fallback
 * expects). Allowing data: in script-src would let injected markup run scripts, so each such
 * module is written as a file of its own beside the assets and imported from there instead.
 * The inline scripts left in index.html are allowed by their hashes (streamer/src/http).
 */
export function legacyGuardWithoutDataUrls(): Plugin {
  // A string literal (either quote) holding a data: JavaScript module, after `import`.
  const DATA_IMPORT = /import\s*(["'])(data:text\/javascript,(?:\\.|(?!\1)[^\\])*)\1/g;
  return {
    name: 'legacy-guard-without-data-urls',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files = new Map<string, string>(); // module body -> file name
      const fileFor = (literal: string): string => {
        const body = decodeURIComponent(unquote(literal).slice('data:text/javascript,'.length));
        let name = files.get(body);
        if (!name) {
          const hash = createHash('sha256').update(body).digest('base64url').slice(0, 8);
          name = posix.join('assets', `legacy-guard-${hash}.js`);
          files.set(body, name);
          this.emitFile({ type: 'asset', fileName: name, source: body });
        }
        return name;
      };
      const rewrite = (code: string, from: string) =>
        code.replace(DATA_IMPORT, (_m, quote: string, literal: string) => {
          let rel = posix.relative(dirname(from), fileFor(`${quote}${literal}${quote}`));
          if (!rel.startsWith('.')) rel = `./${rel}`;
          return `import${quote}${rel}${quote}`;
        });
      for (const out of Object.values(bundle)) {
        if (out.type === 'chunk' && !out.fileName.includes('-legacy')) out.code = rewrite(out.code, out.fileName);
        else if (out.type === 'asset' && out.fileName.endsWith('.html') && typeof out.source === 'string')
          out.source = rewrite(out.source, out.fileName);
      }
    },
  };
}

/** The value of a JavaScript string literal of the kind the bundler writes (no escapes beyond `\x`). */
function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, '$1');
}
