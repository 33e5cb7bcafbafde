import { useEffect } from 'react';
import type { Alert } from '../api/types.ts';

// A new critical alert (a child unaccounted for) pops up over the wall with a tone, until the
// officer opens or dismisses it. The tone is synthesised (WebAudio): nothing is downloaded.

// Browsers start an AudioContext made without a user gesture 'suspended' (a kiosk whose
// session was restored from sessionStorage may never see a click before its first alert), and
// it stays silent until resume(): so every beep resumes it, and the first touch unlocks it.
let ctx: AudioContext | null = null;
function audio(): AudioContext {
  ctx ??= new AudioContext();
  if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
  return ctx;
}
function beep(): void {
  try {
    const ctx = audio();
    const o = ctx.createOscillator();
    const g = ctx.createGain();
    o.frequency.value = 880;
    g.gain.setValueAtTime(0.2, ctx.currentTime);
    g.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.6);
    o.connect(g).connect(ctx.destination);
    o.start();
    o.stop(ctx.currentTime + 0.6);
  } catch {
    /* no audio device: the pop-up alone */
  }
}

export function CriticalPopup({
  alerts,
  sound,
  onOpen,
  onDismiss,
}: {
  alerts: Alert[];
  sound: boolean;
  onOpen: (a: Alert) => void;
  onDismiss: (id: string) => void;
}) {
  const first = alerts[0];
  useEffect(() => {
    if (first && sound) beep();
  }, [first?.id, sound]);
  useEffect(() => {
    if (!sound) return;
    const unlock = () => {
      try {
        audio();
      } catch {
        /* no audio device */
      }
    };
    window.addEventListener('pointerdown', unlock, { once: true });
    window.addEventListener('keydown', unlock, { once: true });
    return () => {
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, [sound]);
  if (!first) return null;
  return (
    <div className="critical" data-testid="critical-popup">
      <div className="critical-title">紧急预警</div>
      <div className="critical-body">
        {first.school_name}：{first.title}
        <div className="critical-detail">{first.detail}</div>
      </div>
      <div className="actions">
        <button className="primary" onClick={() => onOpen(first)}>
          一键监管
        </button>
        <button onClick={() => onDismiss(first.id)}>知道了</button>
      </div>
    </div>
  );
}
