import { useEffect, useState } from 'react';
import { age } from '../lib/format.ts';
import { serviceNow, type ServiceTime } from './Header.tsx';

/**
 * "12秒前", ticking on its own: the once-a-second clock re-renders this span only, never the
 * charts and flops around it (a re-render would hand them new configs and restart animations).
 * With `serviceTime`, the age is counted on the service's clock, as event times are (on the
 * embedded default, the simulated city's day); without it, on the browser's (a push's arrival).
 */
export function Age({ iso, serviceTime }: { iso: string | null | undefined; serviceTime?: ServiceTime }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return <>{age(iso, serviceNow(serviceTime, now))}</>;
}
