import { useEffect, useState, type ReactNode } from 'react';
import { DESIGN, fitCanvas } from '../lib/scale.ts';
import { useUi } from '../state/ui.ts';

/** The 1920×1080 design canvas, scaled uniformly and centred in whatever the wall is. */
export function ScaledCanvas({ children }: { children: ReactNode }) {
  const [fit, setFit] = useState(() => fitCanvas(window.innerWidth, window.innerHeight));
  useEffect(() => {
    let mq: MediaQueryList | null = null;
    const update = () => {
      const next = fitCanvas(window.innerWidth, window.innerHeight);
      setFit(next);
      useUi.getState().setFit(next.scale, window.devicePixelRatio);
      watchRatio();
    };
    // A change of OS display scaling changes devicePixelRatio without always resizing. A
    // media query matches one ratio only, so it is rebuilt for the new ratio after each change.
    const watchRatio = () => {
      mq?.removeEventListener('change', update);
      mq = window.matchMedia?.(`(resolution: ${window.devicePixelRatio}dppx)`) ?? null;
      mq?.addEventListener('change', update);
    };
    update();
    window.addEventListener('resize', update);
    return () => {
      window.removeEventListener('resize', update);
      mq?.removeEventListener('change', update);
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
