import { useEffect } from 'react';
import type { AlertGroup } from '@edu/analytics/live';
import './alerts.css';

// A NEW critical alert group (e.g. children unaccounted for in a district) pops up over the
// wall with a tone, once per group — not once per member: more members joining a group already
// shown make no new pop-up (state/live.ts decides what is new). It stays until the officer
// opens 一键监管 or dismisses it. The tone is synthesised (WebAudio): nothing is downloaded.

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

/** Members named in the pop-up; the rest are in the alert panel's line. */
const SHOWN = 3;

export function CriticalPopup({
  groups,
  sound,
  onOpen,
  onDismiss,
}: {
  /** New critical groups not yet dismissed, oldest first. */
  groups: readonly AlertGroup[];
  sound: boolean;
  /** 一键监管 for the group (its first member). */
  onOpen: (g: AlertGroup) => void;
  onDismiss: (key: string) => void;
}) {
  const first = groups[0];
  useEffect(() => {
    if (first && sound) beep();
  }, [first?.key, sound]);
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
  const more = groups.length - 1;
  return (
    <div className="critical" data-testid="critical-popup" data-group={first.key}>
      <div className="critical-title">紧急预警{more > 0 ? `（另有${more}组待查看）` : ''}</div>
      <div className="critical-body">
        {first.text}
        <ul className="critical-members">
          {first.members.slice(0, SHOWN).map((m) => (
            <li key={m.id}>
              {first.school_id ? '' : `${m.school_name || '未登记学校'}：`}
              {m.detail}
            </li>
          ))}
        </ul>
        {first.count > SHOWN && <div className="critical-more">另有{first.count - SHOWN}项，见预警列表</div>}
      </div>
      <div className="actions">
        <button className="primary" onClick={() => onOpen(first)}>
          一键监管
        </button>
        <button onClick={() => onDismiss(first.key)}>知道了</button>
      </div>
    </div>
  );
}
