import { useEffect } from 'react';
import type { Alert } from '../api/types.ts';

// A new critical alert (a child unaccounted for) pops up over the wall with a tone, until the
// officer opens or dismisses it. The tone is synthesised (WebAudio): nothing is downloaded.

let ctx: AudioContext | null = null;
function beep(): void {
  try {
    ctx ??= new AudioContext();
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
