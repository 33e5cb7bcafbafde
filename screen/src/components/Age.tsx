import { age } from '../lib/format.ts';
import { useNow } from '../lib/now.ts';
import { serviceNow, type ServiceTime } from '../lib/service-time.ts';

/**
 * "12秒前", ticking on its own: the once-a-second clock re-renders this span only, never the
 * charts and flops around it (a re-render would hand them new configs and restart animations).
 * With `serviceTime`, the age is counted on the service's clock, as event times are (on the
 * embedded default, the simulated city's day); without it, on the browser's (a push's arrival).
 */
export function Age({ iso, serviceTime }: { iso: string | null | undefined; serviceTime?: ServiceTime }) {
  const now = useNow(1000);
  return <>{age(iso, serviceNow(serviceTime, now))}</>;
}
