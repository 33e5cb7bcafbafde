import { afterEach, describe, expect, it, vi } from 'vitest';
import { observeSize } from './use-chart.ts';

// The charts follow their box's size; on Chrome 61–63 (the legacy bundle's oldest browsers)
// there is no ResizeObserver, and the window's resizes must stand in.

afterEach(() => vi.unstubAllGlobals());

describe('observeSize', () => {
  it('follows the window where ResizeObserver is missing, until unobserved', () => {
    vi.stubGlobal('ResizeObserver', undefined);
    const onResize = vi.fn();
    const unobserve = observeSize(document.createElement('div'), onResize);
    window.dispatchEvent(new Event('resize'));
    expect(onResize).toHaveBeenCalledTimes(1);
    unobserve();
    window.dispatchEvent(new Event('resize'));
    expect(onResize).toHaveBeenCalledTimes(1);
  });

  it('uses ResizeObserver on the box where there is one, and disconnects it', () => {
    const observed: Element[] = [];
    let callback: (() => void) | null = null;
    const disconnect = vi.fn();
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(cb: () => void) {
          callback = cb;
        }
        observe(node: Element) {
          observed.push(node);
        }
        disconnect = disconnect;
      },
    );
    const box = document.createElement('div');
    const onResize = vi.fn();
    const unobserve = observeSize(box, onResize);
    expect(observed).toEqual([box]);
    window.dispatchEvent(new Event('resize'));
    expect(onResize).not.toHaveBeenCalled();
    callback!();
    expect(onResize).toHaveBeenCalledTimes(1);
    unobserve();
    expect(disconnect).toHaveBeenCalledTimes(1);
  });
});
