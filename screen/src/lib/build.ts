// The screen's build id (issue 12): stamped at build time (vite.config.ts sets VITE_SCREEN_BUILD
// and writes the same id to dist/build.json, which the streamer serves with the screen). A wall
// display reports it when it connects (the administration page shows what each display runs)
// and reloads itself when the served build.json names another build: the product was upgraded.

export const SCREEN_BUILD: string = (import.meta.env.VITE_SCREEN_BUILD as string | undefined) ?? 'dev';

/** Where the streamer serves the build id of the screen it has now. */
export const BUILD_FILE = 'build.json';

/** Remembers the build a reload was made for: a cached old bundle must not reload in a loop. */
const RELOADED_FOR = 'edu.reloaded-for';
/** How often a display asks which build the server has. */
export const BUILD_CHECK_MS = 60_000;

/**
 * Polls the served build.json; when it names a build other than this one, calls `reload` (once
 * per announced build). Nothing to compare in a development build ('dev'). Returns a stop.
 */
export function watchBuild(reload: () => void, everyMs = BUILD_CHECK_MS, own = SCREEN_BUILD): () => void {
  if (own === 'dev') return () => {};
  let stopped = false;
  const check = async () => {
    try {
      const res = await fetch(BUILD_FILE, { cache: 'no-store' });
      if (!res.ok) return;
      const announced = ((await res.json()) as { build?: unknown }).build;
      if (stopped || typeof announced !== 'string' || announced === own) return;
      if (sessionStorage.getItem(RELOADED_FOR) === announced) return;
      sessionStorage.setItem(RELOADED_FOR, announced);
      reload();
    } catch {
      /* the server is away: the next round asks again */
    }
  };
  const t = setInterval(() => void check(), everyMs);
  void check();
  return () => {
    stopped = true;
    clearInterval(t);
  };
}
