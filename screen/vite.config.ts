import legacy from '@vitejs/plugin-legacy';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { legacyGuardWithoutDataUrls } from './legacy-guard.ts';

// Built into screen/dist and served by the streamer at `/` (relative asset paths, same-origin
// API). `npm run dev -w @edu/screen` proxies the API and the socket to a running streamer.
const streamer = process.env.VITE_STREAMER_URL ?? 'http://127.0.0.1:8080';

// The build's id (issue 12, src/lib/build.ts), made from the time of the build. The bundle
// carries it as import.meta.env.VITE_SCREEN_BUILD and dist/build.json announces it: a wall
// display that finds another id there reloads itself.
const screenBuild = `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${process.pid}`;
process.env.VITE_SCREEN_BUILD = screenBuild;

function buildStamp(): Plugin {
  return {
    name: 'screen-build-stamp',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'build.json', source: JSON.stringify({ build: screenBuild }) });
    },
  };
}

/**
 * DataV bundles an old regenerator-runtime whose last statement, in an ES module (always
 * strict), falls back to `Function("r", "regeneratorRuntime = r")`: the streamer's
 * Content-Security-Policy (no eval) refuses it, and the whole screen fails to load. The global
 * is set directly instead, as newer regenerator-runtime releases do.
 */
function datavWithoutEval(): Plugin {
  const FALLBACK = /Function\("r", "regeneratorRuntime = r"\)\((\w+)\)/g;
  return {
    name: 'datav-without-eval',
    transform(code, id) {
      if (!id.includes('/node_modules/@jiaminghi/') || !FALLBACK.test(code)) return null;
      FALLBACK.lastIndex = 0;
      return { code: code.replace(FALLBACK, 'globalThis.regeneratorRuntime = $1'), map: null };
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [
    react(),
    datavWithoutEval(),
    // Old wall PCs: the manual's floor is Chrome 61 (recommended 88). Browsers without what the
    // modern chunks need load `*-legacy-*.js` (ES2017 syntax, SystemJS, core-js polyfills by
    // usage) through nomodule scripts; `deploy/test-all.sh` checks their syntax with es-check.
    legacy({ targets: ['chrome >= 59'] }),
    legacyGuardWithoutDataUrls(),
    buildStamp(),
  ],
  build: {
    outDir: 'dist',
    // Lowers CSS syntax the old browsers lack where it can (`inset` into its four sides).
    cssTarget: 'chrome61',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        // Heavy libraries in their own long-cached chunks; echarts-gl and three load lazily.
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts-gl') || id.includes('node_modules/three')) return 'gl';
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/@jiaminghi')) return 'datav';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': streamer,
      '/socket.io': { target: streamer, ws: true },
    },
  },
});
