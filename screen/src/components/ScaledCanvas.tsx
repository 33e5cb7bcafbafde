import { useEffect, useState, type ReactNode } from 'react';
import { DESIGN, fitCanvas } from '../lib/scale.ts';

/** The 1920×1080 design canvas, scaled uniformly and centred in whatever the wall is. */
export function ScaledCanvas({ children }: { children: ReactNode }) {
  const [fit, setFit] = useState(() => fitCanvas(window.innerWidth, window.innerHeight));
  useEffect(() => {
    const update = () => setFit(fitCanvas(window.innerWidth, window.innerHeight));
    window.addEventListener('resize', update);
    // A change of OS display scaling changes devicePixelRatio without always resizing.
    const mq = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    mq.addEventListener?.('change', update);
    return () => {
      window.removeEventListener('resize', update);
      mq.removeEventListener?.('change', update);
    };
  }, []);
  return (
    <div className="viewport">
      <div
        className="canvas"
        data-testid="canvas"
        style={{
          width: DESIGN.width,
          height: DESIGN.height,
          transform: `translate(${fit.left}px, ${fit.top}px) scale(${fit.scale})`,
        }}
      >
        {children}
      </div>
    </div>
  );
}
