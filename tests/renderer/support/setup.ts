// Component tests: English strings, and the DOM cleaned after each test.
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeAll } from 'vitest';
import i18n from '../../../src/renderer/src/i18n';

// find*/waitFor wait for a condition, up to this long. The dialogs and views loaded on first use are
// chunks of their own, which Vite transforms at their first import: on a loaded 2-core machine that
// took over a second, Testing Library's default wait (Settings, the shortcut sheet, Notifications).
configure({ asyncUtilTimeout: 10_000 });

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
afterEach(() => cleanup());
