import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useUi } from '../state/ui.ts';
import { ScaledCanvas } from './ScaledCanvas.tsx';

const resize = (w: number, h: number) =>
  act(() => {
    Object.assign(window, { innerWidth: w, innerHeight: h });
    window.dispatchEvent(new Event('resize'));
  });

afterEach(cleanup);

describe('ScaledCanvas', () => {
  it('scales the design canvas into the window and tells the charts the scale', () => {
    resize(1920, 1080);
    render(
      <ScaledCanvas>
        <span>墙</span>
      </ScaledCanvas>,
    );
    resize(3840, 2160);
    expect(screen.getByTestId('canvas').style.transform).toBe('translate(0px, 0px) scale(2)');
    expect(useUi.getState().scale).toBe(2);
    resize(5760, 1080);
    expect(screen.getByTestId('canvas').style.transform).toBe('translate(1920px, 0px) scale(1)');
    expect(useUi.getState().scale).toBe(1);
  });
});
