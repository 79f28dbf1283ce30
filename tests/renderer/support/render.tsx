// Renders inbox components as the app does: inside the notices provider, in English.
import { render, type RenderOptions } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, beforeEach } from 'vitest';
import { NoticesProvider } from '../../../src/renderer/src/components/Notices';

export function renderInApp(ui: ReactElement, options?: RenderOptions) {
  return render(<NoticesProvider>{ui}</NoticesProvider>, options);
}

/**
 * happy-dom lays nothing out, so every box is 0×0 and the virtualized lists (the inbox's and the
 * conversation pane's) would show no rows: give their scrollers a window-sized height, as a real
 * window does. Rows still measure 0 high, so every row of a short test list is drawn.
 */
export function giveScrollersASize(height = 600): () => void {
  const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('list-scroll') || this.classList.contains('messages-scroll') ? height : (original?.get?.call(this) ?? 0);
    },
  });
  return () => {
    if (original) Object.defineProperty(HTMLElement.prototype, 'clientHeight', original);
  };
}

/** giveScrollersASize around every test of the file that calls this. */
export function sizeScrollersInEachTest(height = 600): void {
  let restore: (() => void) | null = null;
  beforeEach(() => {
    restore = giveScrollersASize(height);
  });
  afterEach(() => restore?.());
}
