// Renders inbox components as the app does: inside the notices provider, in English.
import { render, type RenderOptions } from '@testing-library/react';
import type { ReactElement } from 'react';
import { NoticesProvider } from '../../../src/renderer/src/components/Notices';

export function renderInApp(ui: ReactElement, options?: RenderOptions) {
  return render(<NoticesProvider>{ui}</NoticesProvider>, options);
}

/**
 * happy-dom lays nothing out, so every box is 0×0 and the virtualized list would show no rows:
 * give the list's scroller a window-sized height, as a real window does.
 */
export function giveScrollersASize(height = 600): () => void {
  const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('list-scroll') ? height : (original?.get?.call(this) ?? 0);
    },
  });
  return () => {
    if (original) Object.defineProperty(HTMLElement.prototype, 'clientHeight', original);
  };
}
