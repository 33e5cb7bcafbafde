import { useEffect, useRef } from 'react';

// When nobody touches the wall for a minute, it tours the city and its districts, 30 s each;
// any touch stops the tour until the wall is idle again.

const IDLE_MS = 60_000;
const STEP_MS = 30_000;

export function useIdleRotation(enabled: boolean, stops: string[], current: string, go: (scope: string) => void): void {
  const lastInput = useRef(Date.now());
  const state = useRef({ stops, current });
  state.current = { stops, current };
  useEffect(() => {
    if (!enabled) return;
    const touched = () => (lastInput.current = Date.now());
    const events = ['pointerdown', 'keydown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, touched);
    const t = setInterval(() => {
      if (Date.now() - lastInput.current < IDLE_MS) return;
      const { stops: list, current: cur } = state.current;
      if (list.length < 2) return;
      go(list[(list.indexOf(cur) + 1) % list.length] as string);
    }, STEP_MS);
    return () => {
      for (const e of events) window.removeEventListener(e, touched);
      clearInterval(t);
    };
  }, [enabled, go]);
}
