// What a wall's URL pins: `?scope=district:D01&date=2026-11-27&rotate=0&sound=0`. A wall in a
// district office is pinned to its district; the city hall's rotates through districts. So
// rotation defaults to on only for the city scope: a pinned district wall must not tour away
// from its district unless `rotate=1` asks for it.

export interface WallOptions {
  scope: string;
  date: string | undefined;
  rotate: boolean;
  sound: boolean;
}

const SCOPE_RE = /^(city|(district|zone|school):[\w.-]{1,64})$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function parseOptions(search: string): WallOptions {
  const q = new URLSearchParams(search);
  const scope = q.get('scope') ?? 'city';
  const date = q.get('date') ?? undefined;
  const pinned = SCOPE_RE.test(scope) ? scope : 'city';
  const rotate = q.get('rotate');
  return {
    scope: pinned,
    // A replay's date (`replay=1`, state/replay.ts) is the replayed day, not the live one: the
    // socket stays on today, so 返回实时 is live at once.
    date: date && DATE_RE.test(date) && q.get('replay') !== '1' ? date : undefined,
    rotate: rotate === null ? pinned === 'city' : rotate !== '0',
    sound: q.get('sound') !== '0',
  };
}
