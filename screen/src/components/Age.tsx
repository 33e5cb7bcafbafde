import { useEffect, useState } from 'react';
import { age } from '../lib/format.ts';

/**
 * "12秒前", ticking on its own: the once-a-second clock re-renders this span only, never the
 * charts and flops around it (a re-render would hand them new configs and restart animations).
 */
export function Age({ iso }: { iso: string | null | undefined }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return <>{age(iso, now)}</>;
}
